"""`OUT/index.html`: the catalog of the handouts that passed, for clinic staff.

The catalog is made from listings: the few facts it shows about each aid. The
manifest keeps them, so an aid that is not rebuilt is listed without being read again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output.files import write_atomic

if TYPE_CHECKING:
    from ..content.models import Aid
    from ..handout.render import Renderer
    from ..quality import AidCheck


@dataclass(frozen=True)
class Listing:
    """What the catalog says about one aid."""

    id: str
    language: str
    title: str
    decision: str
    status: str
    review_by: dt.date
    updated: dt.date
    errors: int
    warnings: int
    ipdas_met: int
    ipdas_total: int
    grade: Any  # the reading grade as the check gave it (a number, or None)
    # Approval (approval/state.py): draft | approved | changed | unrecorded, and the last.
    approval: str = "draft"
    approved_by: str | None = None
    approved_on: dt.date | None = None
    # Beside the criteria the check requires: the IPDAS certification criteria met.
    certification_met: int = 0
    certification_total: int = 0
    # Spanish: the Szigriszt-Pazos reading ease and its INFLESZ band (grade is None).
    ease: float | None = None
    ease_band: str | None = None
    # The plain-language rules not run in the aid's language (they exist in English only).
    not_checked: int = 0

    @classmethod
    def of(cls, aid: Aid, check: AidCheck) -> Listing:
        state = check.approval
        last = state.last if state else None
        return cls(
            aid.id,
            aid.language,
            aid.title,
            aid.decision,
            aid.status,
            aid.review_by,
            aid.updated,
            check.count("error"),
            check.count("warning"),
            check.ipdas_met,
            len(check.criteria),
            check.reading.get("grade"),
            state.state if state else aid.status,
            last.by if last else None,
            last.on if last else None,
            check.certification_met,
            len(check.certification),
            check.reading.get("ease"),
            check.reading.get("band"),
            len(check.unchecked),
        )

    def as_json(self) -> dict[str, Any]:
        dates = {"review_by": self.review_by.isoformat(), "updated": self.updated.isoformat()}
        on = {"approved_on": self.approved_on.isoformat() if self.approved_on else None}
        return {**asdict(self), **dates, **on}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Listing:
        dates = {k: dt.date.fromisoformat(data[k]) for k in ("review_by", "updated")}
        on = data.get("approved_on")
        return cls(**{**data, **dates, "approved_on": dt.date.fromisoformat(on) if on else None})


@dataclass(frozen=True)
class IndexEntry:
    aid: Listing
    files: dict[str, str]  # "html", "pdf", "large.pdf", ... → path under OUT

    @classmethod
    def of(cls, listing: Listing, names: list[str]) -> IndexEntry:
        """`names` are paths under OUT such as `en/x.large.pdf`: keyed by what follows the id."""
        prefix = f"{listing.language}/{listing.id}."
        return cls(listing, {n.removeprefix(prefix): n for n in names if n.startswith(prefix)})


def render_index(renderer: Renderer, clinic: Any, entries: list[IndexEntry]) -> str:
    """The catalog of `entries`: each aid with its translations beside it."""
    ordered = sorted(entries, key=lambda e: (e.aid.id, e.aid.language != "en", e.aid.language))
    return renderer.page("index.html", entries=ordered, clinic=clinic)


def write_index(out: Path, html: str) -> Path:
    index = out / "index.html"
    write_atomic(index, html)
    return index
