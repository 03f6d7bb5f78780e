"""A finding of the quality check, located like a validation problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..content.load import dotted, line_of
from ..content.texts import Loc
from ..problems import Problem, display_path

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing to fix or to know about one aid; `code` is stable (docs/checks.md)."""

    aid: str
    file: Path
    line: int
    level: Level
    code: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        place = f"{display_path(self.file)}:{self.line}"
        return f"{place}: {self.level} {self.code}: {where}{self.message}"

    def as_problem(self) -> Problem:
        return Problem(self.file, self.line, self.where, self.message, self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "aid": self.aid,
            "file": display_path(self.file),
            "line": self.line,
            "where": self.where,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


class Collector:
    """Collects findings for one aid file, turning YAML locations into lines."""

    def __init__(self, aid_id: str, path: Path, data: Any) -> None:
        self.aid_id, self.path, self.data = aid_id, path, data
        self.findings: list[Finding] = []

    def add(
        self, level: Level, code: str, message: str, loc: Loc = (), line_offset: int = 0
    ) -> None:
        line = line_of(self.data, loc) + line_offset
        self.findings.append(
            Finding(self.aid_id, self.path, line, level, code, message, dotted(loc))
        )

    def add_problem(self, problem: Problem) -> None:
        self.findings.append(
            Finding(
                self.aid_id,
                problem.path,
                problem.line,
                "error",
                problem.code,
                problem.message,
                problem.where,
            )
        )
