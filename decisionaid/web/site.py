"""What the app shows, as of the files on disk now: one snapshot per change.

A file watcher makes a new Site whenever anything under the content root changes; a
request uses the Site that is current when it starts, so no request sees half an edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..content.root import Loaded
from ..pipeline import AidResult, Context, make_aid
from ..problems import Problem
from ..settings import BuildOptions


@dataclass(frozen=True)
class Entry:
    """One aid file as the catalog lists it."""

    key: str  # "<language>/<id>": the aid's address in the app
    loaded: Loaded
    result: AidResult  # checked, not rendered

    @property
    def printable(self) -> bool:
        return self.result.ok

    def matches(self, query: str) -> bool:
        """Search by what staff say: title, decision, keywords, id, language."""
        aid = self.loaded.aid
        if aid is None:
            return query.casefold() in self.loaded.path.stem.casefold()
        haystack = " ".join([aid.title, aid.decision, aid.id, aid.language, *aid.keywords])
        return all(word in haystack.casefold() for word in query.casefold().split())


@dataclass
class Site:
    root: Path
    generation: int = 0
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def ctx(self) -> Context:
        return Context.open(self.root, BuildOptions(today=self.today))

    @cached_property
    def entries(self) -> dict[str, Entry]:
        entries = {}
        for path in self.ctx.content.aid_paths():
            loaded = self.ctx.content.load(path)
            key = _key(loaded)
            entries[key] = Entry(key, loaded, make_aid(loaded, self.ctx, render=False))
        return entries

    def warm_up(self) -> None:
        """Check every aid, and lay out one small page so that WeasyPrint has loaded
        its fonts: the first copy a receptionist prints costs only its own layout."""
        from ..publish.pdf import render_pdf

        _ = self.entries
        render_pdf("<!DOCTYPE html><html lang=en><title>.</title><p>.</p></html>", self.ctx.layout)

    @property
    def clinic_problems(self) -> list[Problem]:
        return self.ctx.content.clinic()[1]

    def search(self, query: str) -> list[Entry]:
        found = [e for e in self.entries.values() if not query or e.matches(query)]
        return sorted(found, key=lambda e: (e.loaded.aid is None, e.key))


def _key(loaded: Loaded) -> str:
    """`<language>/<id>`. A file that does not validate keeps its address (its language
    as written, else the default), so a page open on it shows why it broke."""
    if loaded.aid is not None:
        return f"{loaded.aid.language}/{loaded.aid.id}"
    data = loaded.data
    language = data.get("language") if isinstance(data, dict) else None
    if not isinstance(language, str) or not language.isalpha():
        language = "en"
    return f"{language}/{loaded.path.stem}"
