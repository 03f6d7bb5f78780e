"""Problems found in content, reported as `PATH:LINE: field.path: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located well enough for an author to fix it.
    Line 0 means the whole file (an internal error while making it)."""

    path: Path
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        line = f":{self.line}" if self.line else ""
        return f"{display_path(self.path)}{line}: {where}{self.message}"


class UnknownAid(LookupError):
    """An aid named on the command line that is neither an id nor a file."""


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def counted(n: int, noun: str) -> str:
    """`1 warning`, `2 warnings`, `0 notes`: a summary reads as a sentence, not a template."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
