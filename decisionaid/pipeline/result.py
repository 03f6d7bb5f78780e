"""What the pipeline works with and gives back: the `Context` every aid of one run
shares, and the `AidResult` of one aid (with the `Page` the check rendered)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..content.models import Aid
from ..content.root import ContentRoot
from ..handout.enrich import Handout
from ..handout.render import Renderer
from ..problems import Problem
from ..quality import AidCheck, not_ready
from ..settings import BuildOptions, ContentLayout, Kind


@dataclass
class Context:
    """What every aid of one build shares: the content root (each file read once),
    the options and the templates."""

    content: ContentRoot
    options: BuildOptions = field(default_factory=BuildOptions)

    @classmethod
    def open(cls, root: Path, options: BuildOptions | None = None) -> Context:
        return cls(ContentRoot(ContentLayout(root)), options or BuildOptions())

    @classmethod
    def today_at(cls, root: Path, options: BuildOptions | None = None) -> Context:
        """The content root and `options` on the clinic's day now (clinic.yaml's time
        zone), as `check`, `status`, `diff` and `build` judge dates."""
        ctx = cls.open(root, options)
        return ctx.with_options(replace(ctx.options, today=ctx.content.today()))

    @property
    def layout(self) -> ContentLayout:
        return self.content.layout

    def with_options(self, options: BuildOptions) -> Context:
        """The same content and templates with other options (one patient's copy)."""
        other = Context(self.content, options)
        for shared in ("renderer", "_renderers"):
            if shared in self.__dict__:
                other.__dict__[shared] = self.__dict__[shared]
        return other

    @cached_property
    def renderer(self) -> Renderer:
        """Staff pages (quality report, catalog, web app, chart note): clinic.yaml's language."""
        clinic, _ = self.content.clinic()
        return self.renderer_for(clinic.language)

    def renderer_for(self, language: str) -> Renderer:
        """The patient's pages in the aid's language (its template catalog)."""
        renderers = self.__dict__.setdefault("_renderers", {})
        if language not in renderers:
            renderers[language] = Renderer(self.layout, language)
        return renderers[language]

    def __getstate__(self) -> dict[str, Any]:
        # A worker process makes its own Jinja environment.
        state = dict(self.__dict__)
        state.pop("renderer", None)
        state.pop("_renderers", None)
        return state


@dataclass(frozen=True)
class Page:
    """The generic handout, rendered once: the check measures its reading level over
    these words (the template's included), and the build writes this same HTML."""

    handout: Handout
    html: str


@dataclass(frozen=True)
class AidResult:
    """Everything made for one aid. `problems` are what stopped it; when there are
    none and it was rendered, `files` holds each output by its name under OUT."""

    path: Path
    aid: Aid | None
    check: AidCheck
    problems: tuple[Problem, ...] = ()
    handout: Handout | None = None
    html: str | None = None
    pdf: bytes | None = None
    check_html: str | None = None
    warnings: tuple[str, ...] = ()
    page: Page | None = None  # the handout as the check rendered it, for the build to write
    files: dict[str, bytes] = field(default_factory=dict)
    traceback: str | None = None  # of an internal error, kept for --debug
    refused_kind: Kind | None = None  # "summary": only that kind of copy could not be made
    # Why a patient may not have it although it has no errors: not approved, or changed
    # since, under clinic.yaml's front_desk: approved (quality/policy.py).
    withheld: Problem | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def copy(self) -> bytes:
        """A patient's copy, as `make_copy` made it (PDF or HTML bytes)."""
        return self.files["copy"]

    @property
    def note(self) -> str:
        """The chart note, as `make_note` made it."""
        return self.files["note"].decode("utf-8")

    @property
    def valid(self) -> Aid:
        """The aid, for a result whose file was valid (its checks ran)."""
        assert self.aid is not None, "the aid file is not valid"
        return self.aid

    @property
    def unready(self) -> tuple[Problem, ...]:
        """Why no copy of this aid may be handed to a patient: what stops its build, else
        every open check error (a draft with errors is built for its authors, never
        handed out) and, under `front_desk: approved`, that it is not approved as it is
        now. Empty when a patient may have it."""
        if self.problems:
            return self.problems
        return (*not_ready(self.check), *((self.withheld,) if self.withheld else ()))

    @property
    def key(self) -> str:
        """Where its outputs live under OUT: `<language>/<id>`."""
        if self.aid is None:
            return f"?/{self.path.stem}"
        return f"{self.aid.language}/{self.aid.id}"
