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
from ..content.translated import source_path
from ..handout.locale import SOURCE_LANGUAGE
from ..handout.render import Renderer, template_problem
from ..output.inputs import Inputs
from ..pipeline.core import make_aid
from ..pipeline.notes import staff_factors, staff_version
from ..pipeline.result import AidResult, Context
from ..problems import Problem
from ..settings import BuildOptions
from .search import Found, Searchable, fold, language_names, search


@dataclass(frozen=True)
class SiteEntry:
    """One aid file as the catalog lists it."""

    key: str  # "<language>/<id>": the aid's address in the app
    loaded: Loaded
    result: AidResult  # checked, not rendered
    # The aid as staff read it, when this one is in another language: its version in
    # the staff's language, else its source (pipeline/notes.py staff_version).
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
        """An option's name in the staff's words, if this aid is in another language."""
        if self.staff is None:
            return None
        return next((o.name for o in self.staff.options if o.id == option_id), None)


def now() -> dt.datetime:
    """This instant (the clinic's time zone, in clinic.yaml, says which day it is)."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CatalogAid:
    """One aid as the catalog shows it: once, whatever languages it is in. `versions`:
    each language's file, the one staff read first (in their language where the content
    has it, else the source), then the translations."""

    id: str
    versions: tuple[SiteEntry, ...]

    @property
    def main(self) -> SiteEntry:
        return self.versions[0]

    @property
    def title(self) -> str:
        aid = self.main.loaded.aid
        return aid.title if aid else self.main.loaded.path.name


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
            return self._content.today(instant)
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
    def version(self) -> str:
        """What this Site's pages are made from: the content root's files by their
        bytes, the tool, and the day. Two Sites of the same files on the same day have
        the same version, so a page left open refreshes only when what it shows may
        have changed (not on every save of the same bytes, which would also take away a
        problem shown after a copy was refused). Read before any aid is (`entries`): a
        file saved in between makes the page look older, never newer, than it is."""
        return f"{Inputs(self.ctx.layout, self.ctx.options).content}-{self.today.isoformat()}"

    @cached_property
    def entries(self) -> dict[str, SiteEntry]:
        _ = self.version  # first: see `version`
        entries: dict[str, SiteEntry] = {}
        for path in self.ctx.content.aid_paths():
            loaded = self.ctx.content.load(path)
            key = _key(loaded)
            result = make_aid(loaded, self.ctx, render=False)
            entry = SiteEntry(key, loaded, result, staff_version(loaded, self.ctx))
            _add(entries, entry)
        return entries

    @cached_property
    def aids(self) -> dict[str, CatalogAid]:
        """Each aid once, with its versions in every language, in the catalog's order
        (readable ones first, then by the title staff read)."""
        grouped: dict[str, list[SiteEntry]] = {}
        for entry in self.entries.values():
            grouped.setdefault(_aid_id(entry.loaded), []).append(entry)
        aids = [
            CatalogAid(aid_id, tuple(sorted(versions, key=self._reading_order)))
            for aid_id, versions in grouped.items()
        ]
        aids.sort(key=lambda a: (a.main.loaded.aid is None, fold(a.title), a.id))
        return {a.id: a for a in aids}

    def _reading_order(self, entry: SiteEntry) -> tuple:
        """The version staff read first: valid, in their language, else the source (no
        translation), then the others by address."""
        aid = entry.loaded.aid
        if aid is None:
            return (2, entry.key)
        translation = source_path(entry.loaded.path, aid.translation_of) is not None
        return (0 if aid.language == self.staff_language else 1, translation, entry.key)

    @cached_property
    def languages(self) -> list[str]:
        """The languages whose names search knows in their words: English, the staff
        pages' catalogs (templates/locale), the staff's and every aid's."""
        locale = self.ctx.layout.builtin_templates / "locale"
        shipped = sorted(p.name for p in locale.iterdir() if p.is_dir()) if locale.is_dir() else []
        found = [e.loaded.aid.language for e in self.entries.values() if e.loaded.aid]
        return list(dict.fromkeys(["en", self.staff_language, *shipped, *found]))

    @cached_property
    def _searchable(self) -> list[Searchable]:
        """Each aid with the words of all its versions: titles, decisions, other names in
        every language, and its languages' names in each language the app knows."""
        items = []
        for aid_id, catalog_aid in self.aids.items():
            texts = [aid_id]
            for entry in catalog_aid.versions:
                aid = entry.loaded.aid
                if aid is None:
                    texts.append(entry.loaded.path.stem)
                    continue
                names = language_names(aid.language, self.languages)
                texts += [aid.title, aid.decision, aid.language, *aid.keywords, *names]
                texts += [word for words in aid.keywords_in.values() for word in words]
            items.append(Searchable.of(aid_id, texts))
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

    def search(self, query: str) -> tuple[list[CatalogAid], bool]:
        """The aids found (in the catalog's order, or closest first), and whether they are
        only close matches."""
        found: Found = search(self._searchable, query)
        return [self.aids[key] for key in found.keys], found.close

    def factors(self, entry: SiteEntry) -> list[tuple[Factor, Factor | None]]:
        """The aid's own factors, each with the same factor in the staff's words when the
        aid is in another language: from the staff's language where the content has it,
        else from the source's (none for a broken file)."""
        aid = entry.loaded.aid
        if aid is None:
            return []
        known, _ = self.ctx.content.factors(aid.language)
        staff: dict[str, Factor] = {}
        if aid.language != self.staff_language:
            staff = staff_factors(self.ctx, aid, entry.staff)
        pairs = [(known[f], staff.get(f)) for f in aid.factor_ids() if f in known]
        return [(own, None if words is own else words) for own, words in pairs]

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


def _aid_id(loaded: Loaded) -> str:
    """The aid a file is a version of: its id, or for a broken file its name's first part
    (`x.es.yaml` → x)."""
    return loaded.aid.id if loaded.aid is not None else loaded.path.stem.partition(".")[0]


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
