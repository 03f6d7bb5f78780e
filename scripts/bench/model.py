"""What one run measures: its settings, the catalog, each timed run, each row of the table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ....scripts.bench.procs import _run_text, cli


@dataclass(frozen=True)
class Settings:
    """What one run does: sizes and repeats (smaller with --quick)."""

    n: int = 18  # aid files: three copies of each of the six example files
    web_posts: int = 20
    desks: int = 8  # copies asked for at once in the many-desks rows
    desk_copies: int = 48  # at once, after `alone_copies` one at a time
    alone_copies: int = 12
    memory_after: tuple[int, int] = (50, 500)  # copies made when memory is read
    weasy_repeats: int = 10
    cli_repeats: int = 5
    repeats: int = 1  # cold builds and floor: the median of this many
    linearity: bool = True
    chromium: bool = True

    @classmethod
    def quick(cls, n: int | None) -> Settings:
        return cls(
            n=n or 6,
            web_posts=5,
            weasy_repeats=3,
            cli_repeats=2,
            desk_copies=16,
            alone_copies=4,
            memory_after=(10, 40),
        )


@dataclass(frozen=True)
class Features:
    """What the installed `decisionaid build` offers (from its --help)."""

    jobs: bool
    force: bool
    language: bool

    @classmethod
    def detect(cls) -> Features:
        help_text = _run_text([*cli(), "build", "--help"])
        return cls(
            jobs="--jobs" in help_text,
            force="--force" in help_text,
            language="--language" in help_text,
        )


@dataclass(frozen=True)
class Catalog:
    """A synthetic content root: N aid files copied from every example file."""

    root: Path
    ids: list[str]  # the English aids (the single-aid steps use one of them)
    source_of: dict[str, str]  # copy id → example id
    files: int  # aid files, translations included

    @property
    def n(self) -> int:
        return self.files


@dataclass
class Row:
    """One line of the table."""

    key: str
    label: str
    seconds: float | None = None  # wall clock (MB for the memory row, hours for projections)
    cpu: float | None = None  # user + system seconds, all processes of the step
    ratio: float | None = None
    cpu_ratio: float | None = None  # the same ratio in cpu seconds (steadier under load)
    against: str = ""  # what the ratio divides by
    target: str = ""
    status: str = "info"  # met | missed | info | n/a (...)
    note: str = ""
    unit: str = "s"

    def judge(self, limit: float | None) -> Row:
        """Mark met / missed from the ratio (or the value for a plain limit)."""
        value = self.ratio if self.unit == "s" else self.seconds
        if limit is not None and value is not None:
            self.status = "met" if value <= limit else "missed"
        return self


@dataclass
class Results:
    """Everything measured, for the table, the docs and --json."""

    settings: Settings
    features: Features
    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    projection: list[Row] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)  # step → MB
    seconds: float = 0.0
    load_end: str = ""

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def value(self, key: str) -> float | None:
        row = self.row(key)
        return row.seconds if row else None
