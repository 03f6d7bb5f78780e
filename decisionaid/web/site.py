"""What the app shows, as of the files on disk now and of today: one snapshot per change.

A file watcher makes a new Site whenever anything under the content root changes, and
a new day makes one too (the checks and the form's default date depend on it); a
request uses the Site that is current when it starts, so no request sees half an edit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from jinja2 import TemplateError

from ..content.expectations import Goal
from ..content.models import Aid, Factor
from ..content.root import ContentRoot, Loaded
from ..handout.locale import SOURCE_LANGUAGE
from ..handout.render import Renderer, template_problem
from ..pipeline.core import AidResult, Context, make_aid
from ..pipeline.notes import staff_version
from ..problems import Problem
from ..settings import BuildOptions
from .search import Found, Searchable, language_names, search


@dataclass(frozen=True)
class SiteEntry:
    """One aid file as the catalog lists it."""

    key: str  # "<language>/<id>": the aid's address in the app
    loaded: Loaded
    result: AidResult  # checked, not rendered
    # The same aid in the staff's language, when this one is a translation: its
    # option names and factor questions are what staff read.
    staff: Aid | None = None

    @property
    def printable(self) -> bool:
        """Whether a copy may be handed to a patient (no open check error)."""
        return not self.result.unready

    @property
    def errors(self) -> tuple[Problem, ...]:
        """What must be fixed in the content before a patient may have it."""
        return tuple(p for p in self.result.unready if p is not self.result.withheld)

    @property
    def approval(self) -> str | None:
        """draft | approved | changed | unrecorded (approval/state.py); None if unreadable."""
        state = self.result.check.approval
        return state.state if state else None

    @property
    def buildable(self) -> bool:
        """Whether its handout can be made at all (the preview), draft errors or not."""
        return self.result.ok

    def staff_name(self, option_id: str) -> str | None:
        """An option's name in the staff's language, if this aid is a translation."""
        if self.staff is None:
            return None
        return next((o.name for o in self.staff.options if o.id == option_id), None)


def now() -> dt.datetime:
    """This instant (the clinic's time zone, in clinic.yaml, says which day it is)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Site:
    """`now`: the instant the Site is for; a date is taken as the clinic's day as it
    is (a test's fixed day)."""

    root: Path
    generation: int = 0
    now: dt.date = field(default_factory=now)

    @cached_property
    def _content(self) -> ContentRoot:
        return ContentRoot.at(self.root)

    def day_of(self, instant: dt.date) -> dt.date:
        """The clinic's date at an instant: in clinic.yaml's time zone, read from the
        files as they are now (never frozen at start-up)."""
        if isinstance(instant, dt.datetime):
            return self._content.clinic()[0].day(instant)
        return instant

    @cached_property
    def today(self) -> dt.date:
        return self.day_of(self.now)

    @cached_property
    def ctx(self) -> Context:
        return Context(self._content, BuildOptions(today=self.today))

    @property
    def staff_language(self) -> str:
        return self.ctx.content.clinic()[0].language

    @cached_property
    def entries(self) -> dict[str, SiteEntry]:
        entries: dict[str, SiteEntry] = {}
        for path in self.ctx.content.aid_paths():
            loaded = self.ctx.content.load(path)
            key = _key(loaded)
            result = make_aid(loaded, self.ctx, render=False)
            entry = SiteEntry(key, loaded, result, staff_version(loaded, self.ctx))
            _add(entries, entry)
        return entries

    @cached_property
    def _searchable(self) -> list[Searchable]:
        items = []
        for key, entry in self.entries.items():
            aid = entry.loaded.aid
            if aid is None:
                items.append(Searchable.of(key, [entry.loaded.path.stem]))
                continue
            names = language_names(aid.language, self.staff_language)
            texts = [aid.title, aid.decision, aid.id, aid.language, *aid.keywords, *names]
            if entry.staff is not None:
                texts += [entry.staff.title, *entry.staff.keywords]
            items.append(Searchable.of(key, texts))
        return items

    def warm_up(self) -> None:
        """Check every aid and index it for search, before the first request needs it
        (PDFs are made by the render workers, which warm themselves up)."""
        _ = self._searchable

    @cached_property
    def _staff_pages(self) -> tuple[Renderer, list[Problem]]:
        try:
            return self.ctx.renderer, []
        except TemplateError as exc:
            return self.ctx.renderer_for(SOURCE_LANGUAGE), [template_problem(exc)]

    @property
    def renderer(self) -> Renderer:
        """The staff pages' words, in clinic.yaml's language; in the tool's own English
        when that language's catalog cannot be used, so that a catalog broken on a
        shared drive never takes the app down (the catalog page names the problem)."""
        return self._staff_pages[0]

    @property
    def staff_problems(self) -> list[Problem]:
        """Why the staff pages are in English: their language's catalog is broken."""
        return self._staff_pages[1]

    @property
    def clinic_problems(self) -> list[Problem]:
        return self.ctx.content.clinic()[1]

    def search(self, query: str) -> tuple[list[SiteEntry], bool]:
        """The entries found (readable ones first, then by key), and whether they are
        only close matches."""
        found: Found = search(self._searchable, query)
        entries = [self.entries[key] for key in found.keys]
        if not found.close:
            entries.sort(key=lambda e: (e.loaded.aid is None, e.key))
        return entries, found.close

    def factors(self, entry: SiteEntry) -> list[tuple[Factor, Factor | None]]:
        """The aid's own factors, each with the same factor in the staff's language when
        the aid is a translation (none for a broken file)."""
        aid = entry.loaded.aid
        if aid is None:
            return []
        known, _ = self.ctx.content.factors(aid.language)
        staff: dict[str, Factor] = {}
        if aid.language != self.staff_language:
            staff, _ = self.ctx.content.factors(self.staff_language)
        return [(known[f], staff.get(f)) for f in aid.factor_ids() if f in known]

    def goals(self, entry: SiteEntry) -> list[tuple[Goal, Goal | None]]:
        """The aid's goals (what patients hope for), each with the same goal in the
        staff's language when the aid is a translation."""
        aid = entry.loaded.aid
        if aid is None:
            return []
        staff = {goal.id: goal for goal in entry.staff.goals} if entry.staff else {}
        return [(goal, staff.get(goal.id)) for goal in aid.goals]

    def others(self, entry: SiteEntry) -> list[SiteEntry]:
        """The same aid in its other languages."""
        aid = entry.loaded.aid
        if aid is None:
            return []
        return [
            other
            for other in self.entries.values()
            if other.loaded.aid and other.loaded.aid.id == aid.id and other.key != entry.key
        ]


def _add(entries: dict[str, SiteEntry], entry: SiteEntry) -> None:
    """A readable aid keeps its address; a broken file said to have the same one takes
    its file's name instead (`es/upper-eyelid-surgery.es`)."""
    other = entries.get(entry.key)
    if other is not None:
        broken = other if entry.loaded.aid is not None else entry
        language = broken.key.partition("/")[0]
        moved = replace(broken, key=f"{language}/{broken.loaded.path.stem}")
        entries[moved.key] = moved
        if broken is other:
            entries[entry.key] = entry
        return
    entries[entry.key] = entry


def _key(loaded: Loaded) -> str:
    """`<language>/<id>`. A file that does not validate keeps its address, so a page
    open on it shows why it broke: its id and language as written, else as its name
    says (`upper-eyelid-surgery.es.yaml` is `es/upper-eyelid-surgery`, even when the
    YAML cannot be read at all), else the default language."""
    if loaded.aid is not None:
        return f"{loaded.aid.language}/{loaded.aid.id}"
    stem, _, named = loaded.path.stem.partition(".")
    data = loaded.data if isinstance(loaded.data, dict) else {}
    language, aid_id = data.get("language"), data.get("id")
    if not _plain(language):
        language = named if _plain(named) else "en"
    if not _plain(aid_id):
        aid_id = stem
    return f"{language}/{aid_id}"


ADDRESS_WORD = r"[A-Za-z0-9][A-Za-z0-9-]{0,63}"


def _plain(word: object) -> bool:
    """A language tag or id that may stand in an address as it is."""
    return (
        isinstance(word, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}", word) is not None
    )
