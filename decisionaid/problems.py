"""Problems found in content, reported as `PATH:LINE: field.path: message`.

A message quotes what a file holds (a key, a value, its name), and files come from
many hands: what it quotes is made safe to print (`printable`), so a key holding a
terminal escape cannot retitle the terminal or print a fake "all good", and a
right-to-left override cannot turn a line around.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Problems whose message says it all: the file's own shape (`invalid`, as docs/checks.md
# calls it), an error inside the tool, a file that cannot be written, a template that
# fails, a summary that cannot be made. A check's code is printed after its message
# ("... [changed-since-approval]"), as docs/checks.md lists them.
UNSHOWN_CODES = frozenset(
    {"invalid", "internal-error", "cannot-write", "template", "no-summary", "worker"}
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located well enough for an author to fix it.
    Line 0 means the whole file (an internal error while making it). `code` says what
    kind of problem it is: a program asks the code, never the message's words."""

    path: Path
    line: int
    where: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        line = f":{self.line}" if self.line else ""
        code = "" if self.code in UNSHOWN_CODES else f" [{self.code}]"
        return printable(f"{display_path(self.path)}{line}: {where}{self.message}{code}")


class UnknownAid(LookupError):
    """An aid named on the command line that is neither an id nor a file."""


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it
    (as written, else with links followed)."""
    here = Path.cwd().resolve()
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        if candidate.is_relative_to(here):
            return str(candidate.relative_to(here))
    return str(path)


def counted(n: int, noun: str) -> str:
    """`1 warning`, `2 warnings`, `0 notes`: a summary reads as a sentence, not a template."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


# Control characters (C0, DEL, C1), line and paragraph separators, bidirectional
# embeddings, overrides and isolates (the marks LRM and RLM only nudge their
# neighbours and stay), and half characters (lone surrogates: no terminal prints one).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str, keep: str = "") -> str:
    """The text with every character that could change how a terminal or a page shows
    the rest written as an escape (`\\x1b`, `\\u202e`); the characters in `keep`
    (such as a newline) stay as they are."""

    def escaped(match: re.Match[str]) -> str:
        char = match[0]
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(escaped, text)


SHOWN_CHARS = 60  # of a wrong value quoted back in a message


def shown(value: Any, quote: Callable[[Any], str] = str) -> str:
    """A wrong value as a message quotes it: at most SHOWN_CHARS characters of it."""
    text = quote(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def json_printable(text: str) -> str:
    """JSON text with the same characters as `printable` written as JSON escapes
    (`\\u202e`), so that it prints safely and still reads back the same (the newlines
    of its indentation stay: inside its strings, json.dumps escapes them already)."""

    def escaped(match: re.Match[str]) -> str:
        return match[0] if match[0] == "\n" else f"\\u{ord(match[0]):04x}"

    return _UNSAFE.sub(escaped, text)
