"""Typed settings: where a content root keeps its files, and how a build runs.

Every path into a content root is made here, so that no other module decides
where `aids/`, `glossary/`, `templates/` or `clinic.yaml` live.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .content.models import Aid

_PACKAGE = Path(__file__).resolve().parent

Format = Literal["html", "pdf"]
FORMATS: tuple[Format, ...] = ("html", "pdf")
Paper = Literal["letter", "a4"]
Kind = Literal["full", "summary"]
Size = Literal["standard", "large"]


@dataclass(frozen=True)
class Edition:
    """Which copy: the full handout or the one-page summary, in standard or large print.
    The one answer to "which copy?": it names the files, is the build's manifest variant
    (a build writes one size of every kind), and says which kinds and sizes go together.
    A new kind (a version for the family, a read-aloud page) is a value here and its
    template."""

    kind: Kind = "full"
    size: Size = "standard"

    def __post_init__(self) -> None:
        if not Edition.allows(self.kind, self.size):
            raise ValueError("large print is for the full handout; the summary is one page")

    @staticmethod
    def allows(kind: Kind, size: Size) -> bool:
        """Whether the kind comes in the size: one page at 18 pt cannot hold the
        summary's comparison."""
        return not (kind == "summary" and size == "large")

    @property
    def variant(self) -> Size:
        """The build's set of files (manifest variant): the standard or the large-print."""
        return self.size

    @property
    def suffix(self) -> str:
        """What a file name says of the edition: `.summary`, `.large` or nothing."""
        return ".summary" if self.kind == "summary" else ".large" if self.size == "large" else ""

    def copy_name(self, aid: Aid, fmt: str) -> str:
        """A patient's copy as saved: id, language and edition, never the patient
        (`upper-eyelid-surgery.es.summary.pdf`, `rhinoplasty.en.large.pdf`)."""
        return f"{aid.id}.{aid.language}{self.suffix}.{fmt}"

    def output_name(self, aid: Aid, ext: str) -> str:
        """Where a build's output goes under OUT: `<language>/<id><suffix>.<ext>`; the
        quality page (`check.html`) is one for both sizes."""
        suffix = self.suffix if ext in FORMATS else ""
        return f"{aid.language}/{aid.id}{suffix}.{ext}"


def builtin_templates() -> Path:
    """The built-in templates: inside the package when installed from a wheel,
    else the repository's top-level `templates/` (an editable install)."""
    packaged = _PACKAGE / "templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "templates"


@dataclass(frozen=True)
class ContentLayout:
    """The folders and files of one content root."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", self.root.resolve())

    @property
    def aids(self) -> Path:
        return self.root / "aids"

    @property
    def glossaries(self) -> Path:
        return self.root / "glossary"

    @property
    def factors(self) -> Path:
        """Patient factors (smoking, diabetes...) that change an outcome's chance."""
        return self.root / "factors"

    @property
    def outcomes(self) -> Path:
        """The clinic's own audited results, one file per aid (content/outcomes.py)."""
        return self.root / "outcomes"

    def outcomes_file(self, aid_id: str) -> Path:
        return self.outcomes / f"{aid_id}.yaml"

    @property
    def templates(self) -> Path:
        """The root's own templates, which override the built-in ones file by file."""
        return self.root / "templates"

    @property
    def clinic(self) -> Path:
        return self.root / "clinic.yaml"

    @property
    def approvals(self) -> Path:
        """Who approved which exact version of each aid, with copies (approval/store.py)."""
        return self.root / "approvals"

    def approval_file(self, aid_id: str, language: str) -> Path:
        """The approval history of one aid in one language (`aid_id` and `language` are
        validated: short, no path separators)."""
        return self.approvals / language / f"{aid_id}.json"

    @property
    def builtin_templates(self) -> Path:
        return builtin_templates()

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, in order."""
        return (self.templates, self.builtin_templates)

    def template_inside(self, folder: Path) -> tuple[Path, ...]:
        """Where the files of a templates folder must lie, links followed: the root's
        own inside the content root and its templates/, the built-in ones in theirs."""
        return (self.root, self.templates) if folder == self.templates else (folder,)

    @property
    def readable(self) -> tuple[Path, ...]:
        """The only folders rendering may read from (the PDF fetcher enforces it)."""
        return (self.root, self.builtin_templates)

    def aid_file(self, aid_id: str) -> Path:
        return self.aids / f"{aid_id}.yaml"

    def glossary_file(self, language: str) -> Path:
        return _language_file(self.glossaries, language)

    def factors_file(self, language: str) -> Path:
        return _language_file(self.factors, language)


def _language_file(folder: Path, language: str) -> Path:
    """`<folder>/<language>.yaml`, matched whatever its case (language tags are
    case-insensitive: `EN` finds `en.yaml`, `en-GB` finds `en-gb.yaml`). `language` is a
    validated tag (content/models.py), so it is short and holds no path separators."""
    exact = folder / f"{language}.yaml"
    if os.path.lexists(exact) or not folder.is_dir():
        return exact
    wanted = f"{language}.yaml".casefold()
    matches = sorted(p for p in folder.iterdir() if p.name.casefold() == wanted)
    return matches[0] if matches else exact


@dataclass(frozen=True)
class BuildOptions:
    """How handouts are made and where they go."""

    out: Path = Path("out")
    formats: tuple[Format, ...] = FORMATS
    large_print: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    paper: Paper | None = None  # None: the clinic's paper (clinic.yaml)

    def __post_init__(self) -> None:
        wanted = set(self.formats)
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in wanted))

    @property
    def edition(self) -> Edition:
        """The full handout in the print size asked for (Edition.variant names the
        build's set of files)."""
        return Edition("full", "large" if self.large_print else "standard")

    @property
    def variant(self) -> Size:
        return self.edition.variant

    def output_name(self, aid: Aid, ext: str) -> str:
        """Where an output goes under OUT (Edition.output_name)."""
        return self.edition.output_name(aid, ext)
