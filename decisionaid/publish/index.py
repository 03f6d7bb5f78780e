"""`OUT/index.html`: the catalog of the handouts that passed, for clinic staff."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.models import Aid
from ..pipeline import Context
from ..quality import AidCheck
from .output import write_atomic


@dataclass(frozen=True)
class IndexEntry:
    aid: Aid
    check: AidCheck
    files: dict[str, str]  # "html", "pdf", "large.pdf", ... → path under OUT

    @classmethod
    def of(cls, aid: Aid, check: AidCheck, names: list[str]) -> IndexEntry:
        """`names` are paths under OUT such as `en/x.large.pdf`: keyed by what follows the id."""
        prefix = f"{aid.language}/{aid.id}."
        return cls(aid, check, {n.removeprefix(prefix): n for n in names if n.startswith(prefix)})


def write_index(ctx: Context, entries: list[IndexEntry]) -> Path:
    """Write the catalog of `entries`: each aid with its translations beside it."""
    clinic, _ = ctx.content.clinic()
    ordered = sorted(entries, key=lambda e: (e.aid.id, e.aid.language != "en", e.aid.language))
    index = ctx.options.out / "index.html"
    write_atomic(index, ctx.renderer.page("index.html", entries=ordered, clinic=clinic))
    return index
