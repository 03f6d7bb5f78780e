"""The pipeline: one aid in, one result out, in memory.

    loaded aid ─ check (quality/) ─ policy: blocked? ─ enrich (handout/) ─ render HTML ─ PDF

`make_aid` writes nothing, reads only the content root and the package, and keeps no
state between calls, so threads, worker processes and the web app can call it. The
commands are thin loops around it: `build` writes the results (publish/build.py),
`check` reports them without rendering.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .content.models import Aid
from .content.root import ContentRoot, Loaded
from .handout.enrich import Handout, enrich
from .handout.render import Renderer, template_problem
from .problems import Problem
from .publish.pdf import render_pdf
from .quality import AidCheck, CheckReport, blocking, check_aid
from .quality.check import unused_terms
from .settings import BuildOptions, ContentLayout


@dataclass
class Context:
    """What every aid of one build shares: the content root (each file read once),
    the options and the templates."""

    content: ContentRoot
    options: BuildOptions = field(default_factory=BuildOptions)

    @classmethod
    def open(cls, root: Path, options: BuildOptions | None = None) -> Context:
        return cls(ContentRoot(ContentLayout(root)), options or BuildOptions())

    @property
    def layout(self) -> ContentLayout:
        return self.content.layout

    @cached_property
    def renderer(self) -> Renderer:
        return Renderer(self.layout)

    def __getstate__(self) -> dict[str, Any]:
        # A worker process makes its own Jinja environment.
        state = dict(self.__dict__)
        state.pop("renderer", None)
        return state


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
    files: dict[str, bytes] = field(default_factory=dict)
    traceback: str | None = None  # of an internal error, kept for --debug

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def key(self) -> str:
        """Where its outputs live under OUT: `<language>/<id>`."""
        if self.aid is None:
            return f"?/{self.path.stem}"
        return f"{self.aid.language}/{self.aid.id}"


def make_aid(loaded: Loaded, ctx: Context, *, render: bool = True) -> AidResult:
    """Check one loaded aid and, unless it is blocked or `render` is false, make its
    handout (HTML, PDF) and quality page in memory. Never raises for one bad aid: an
    unexpected error becomes a problem of this aid."""
    try:
        return _make(loaded, ctx, render)
    except Exception as exc:  # noqa: BLE001 - one aid must never stop the others
        check = AidCheck(id=loaded.path.stem, language="", file=loaded.path)
        problem = Problem(loaded.path, 0, "", f"internal error: {type(exc).__name__}: {exc}")
        return AidResult(
            loaded.path, loaded.aid, check, (problem,), traceback=traceback.format_exc()
        )


def make_all(
    ctx: Context, selectors: tuple[str, ...] = (), *, render: bool = True
) -> Iterator[AidResult]:
    """`make_aid` over the named aids of the content root (all by default)."""
    for path in ctx.content.aid_paths(selectors):
        yield make_aid(ctx.content.load(path), ctx, render=render)


def check_all(ctx: Context, selectors: tuple[str, ...] = ()) -> CheckReport:
    """`decisionaid check`: the same loop as the build, without rendering."""
    results = list(make_all(ctx, selectors, render=False))
    internal = [p for r in results if r.traceback for p in r.problems]
    return CheckReport(
        aids=[r.check for r in results],
        glossary_findings=unused_terms(ctx.content),
        problems=[*ctx.content.clinic()[1], *internal],
        tracebacks=[r.traceback for r in results if r.traceback],
    )


def _make(loaded: Loaded, ctx: Context, render: bool) -> AidResult:
    aid, options = loaded.aid, ctx.options
    clinic, clinic_problems = ctx.content.clinic()
    glossary, glossary_problems = ctx.content.glossary(aid.language if aid else "en")
    check = check_aid(loaded, glossary, clinic, options.today, glossary_problems)
    problems = (*loaded.problems, *glossary_problems, *clinic_problems, *blocking(aid, check))
    if problems or aid is None:
        return AidResult(loaded.path, aid, check, tuple(dict.fromkeys(problems)))
    if not render:
        return AidResult(loaded.path, aid, check)
    handout = enrich(aid, clinic, glossary, options.large_print, options.paper)
    try:
        return _render(loaded.path, handout, check, ctx)
    except TemplateError as exc:
        return AidResult(loaded.path, aid, check, (template_problem(exc),), handout)


def _render(path: Path, handout: Handout, check: AidCheck, ctx: Context) -> AidResult:
    aid, options = handout.aid, ctx.options
    names = {
        ext: options.output_name(aid, ext)
        for ext in ("html", "pdf", "check.html", "summary.html", "summary.pdf")
    }
    pdf_link = Path(names["pdf"]).name if _pdf(ctx) else None
    html = ctx.renderer.handout(handout, pdf_link)
    # The author's quality page sits beside the handout; the handout never links to it.
    check_html = ctx.renderer.page("check.html", c=check, aid=aid)
    pdf = render_pdf(html, ctx.layout) if pdf_link else None
    files = {names["check.html"]: check_html.encode("utf-8")}
    if "html" in options.formats:
        files[names["html"]] = html.encode("utf-8")
    if pdf is not None:
        files[names["pdf"]] = pdf.data
    warnings = [f"{pdf_link}: {m}" for m in (pdf.warnings if pdf else ())]
    if not options.large_print:  # one page at 18 pt cannot hold the comparison
        warnings += _add_summary(handout, ctx, names, files)
    return AidResult(
        path,
        aid,
        check,
        handout=handout,
        html=html,
        pdf=pdf.data if pdf else None,
        check_html=check_html,
        warnings=tuple(warnings),
        files=files,
    )


def _add_summary(
    handout: Handout, ctx: Context, names: dict[str, str], files: dict[str, bytes]
) -> list[str]:
    """The one-page summary, at 11 pt, else at 10 pt (never smaller). One that cannot
    fit is not written (never cut): the warning says so and `check` says what to shorten."""
    html = ctx.renderer.page("summary.html", h=handout, fit=False)
    pdf = render_pdf(html, ctx.layout) if _pdf(ctx) else None
    if pdf is not None and pdf.pages > 1:
        html = ctx.renderer.page("summary.html", h=handout, fit=True)
        pdf = render_pdf(html, ctx.layout)
    name = Path(names["summary.pdf"]).name
    if pdf is not None and pdf.pages > 1:
        return [
            f"{name}: does not fit on one page even at 10 pt and was not written; "
            "run 'decisionaid check' to see what to shorten"
        ]
    if "html" in ctx.options.formats:
        files[names["summary.html"]] = html.encode("utf-8")
    if pdf is None:
        return []
    files[names["summary.pdf"]] = pdf.data
    return [f"{name}: {m}" for m in pdf.warnings]


def _pdf(ctx: Context) -> bool:
    return "pdf" in ctx.options.formats
