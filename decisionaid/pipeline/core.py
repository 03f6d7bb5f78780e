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
from dataclasses import replace
from pathlib import Path

from jinja2 import TemplateError

from ..approval.diff import changes_since
from ..approval.state import ApprovalState, approval_state
from ..content.load import line_of
from ..content.models import Aid
from ..content.root import Loaded
from ..content.translated import source_path, translation_loop
from ..handout.consult import Consult, InvalidConsult, validate
from ..handout.enrich import Handout, enrich
from ..handout.onepage import FLOOR, SIZES, plan
from ..handout.render import SCRIPT_FROM_PAGE, template_problem
from ..output.fonts import describe, missing_characters
from ..output.pdf import Pdf, render_pdf
from ..problems import Problem, display_path, shown
from ..quality import AidCheck, CheckReport, blocking, check_aid, withheld
from ..quality.check import CheckInput, unused_factors, unused_terms
from ..quality.summary_fit import SummaryPage, copies_to_check
from ..settings import Edition
from .result import AidResult, Context, Page


def make_aid(loaded: Loaded, ctx: Context, *, render: bool = True) -> AidResult:
    """Check one loaded aid and, unless it is blocked or `render` is false, make its
    handout (HTML, PDF), summary and quality page in memory. Never raises for one bad
    aid: an unexpected error becomes a problem of this aid."""
    try:
        return _make(loaded, ctx, render)
    except Exception as exc:  # noqa: BLE001 - one aid must never stop the others
        return internal_error(loaded, exc)


def make_copy(
    loaded: Loaded, ctx: Context, consult: Consult, checked: AidResult | None = None
) -> AidResult:
    """One patient's copy: the handout, or the summary with `consult.summary`, in the
    first of `ctx.options.formats`, in `files` under the name "copy". Only a finished
    aid is handed out: one with any check error is refused, draft or not, with those
    errors as its problems (`checked`: the aid as already checked, which the web app
    keeps, since nothing about the patient changes the checks). The patient's name goes
    into that output only. A consult `validate` refuses raises InvalidConsult."""
    result = checked if checked is not None else check_result(loaded, ctx)
    if result.unready:
        return replace(result, problems=result.unready)
    return _copy(loaded, ctx, consult, result)


def make_preview(
    loaded: Loaded, ctx: Context, checked: AidResult | None = None, script: str | None = None
) -> AidResult:
    """The generic handout as a web page, for its authors and staff to look at: made
    whenever the aid builds (a draft with open errors too, marked as a draft). `script`:
    where the page finds its script (the web app serves it)."""
    result = checked if checked is not None else check_result(loaded, ctx)
    if not result.ok:
        return result
    html_only = ctx.with_options(replace(ctx.options, formats=("html",)))
    return _copy(loaded, html_only, Consult(), result, script)


def _copy(
    loaded: Loaded,
    ctx: Context,
    consult: Consult,
    result: AidResult,
    script: str | None = None,
) -> AidResult:
    if errors := validate(result.valid, consult, ctx.options.large_print):
        raise InvalidConsult(errors)
    try:
        handout = _enrich(result.valid, ctx, consult, result.check.approval)
        fmt = ctx.options.formats[0]
        if consult.summary:
            html, pdf = _summary(handout, ctx, fmt == "pdf")
            if pdf is not None and pdf.pages > 1:
                problem = Problem(
                    loaded.path, 0, "", "the summary does not fit on one page", "no-summary"
                )
                return replace(result, problems=(problem,), refused_kind="summary")
        else:
            html = ctx.renderer_for(handout.aid.language).handout(handout, None, script)
            pdf = render_pdf(html, ctx.layout) if fmt == "pdf" else None
        data = pdf.data if pdf is not None else html.encode("utf-8")
        return replace(result, handout=handout, files={"copy": data})
    except TemplateError as exc:
        problem = private(template_problem(exc), consult)
        return replace(check_result(loaded, ctx), problems=(problem,))
    except Exception as exc:  # noqa: BLE001 - reported, never with the patient's details
        failed = internal_error(loaded, exc)
        return replace(failed, problems=tuple(private(p, consult) for p in failed.problems))


def private(problem: Problem, consult: Consult) -> Problem:
    """A problem met while making one patient's copy or note, without what was typed
    about the patient: a template can put the name into an error's text
    (`{% include h.consult.patient %}` names the template it did not find)."""
    message = problem.message
    for typed in (consult.patient, consult.clinician):
        if typed and typed.strip():
            message = message.replace(typed, "(typed on the form)")
    return replace(problem, message=message) if message != problem.message else problem


def internal_error(loaded: Loaded, exc: Exception) -> AidResult:
    check = AidCheck(id=loaded.path.stem, language="", file=loaded.path)
    problem = Problem(
        loaded.path, 0, "", f"internal error: {type(exc).__name__}: {exc}", "internal-error"
    )
    return AidResult(loaded.path, loaded.aid, check, (problem,), traceback=traceback.format_exc())


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
        factor_findings=unused_factors(ctx.content),
        problems=[*ctx.content.clinic()[1], *ctx.content.orphan_outcomes(), *internal],
        tracebacks=[r.traceback for r in results if r.traceback],
    )


def _make(loaded: Loaded, ctx: Context, render: bool) -> AidResult:
    result = check_result(loaded, ctx)
    if not result.ok or not render:
        # Its page is for the build to write: a result kept (the web app keeps one per
        # aid and language) holds no handout.
        return replace(result, page=None)
    # The check rendered the handout (`page`) and the build writes that HTML: one
    # render per aid. Only if that failed is it made again here, to report why.
    page = result.page
    handout = page.handout if page else None
    try:
        # Enriching asks the aid's language's words for its figures: a broken catalog
        # is a problem at its line here, as in rendering.
        handout = handout or _enrich(result.valid, ctx, approval=result.check.approval)
        return _render(loaded.path, handout, result.check, ctx, page.html if page else None)
    except TemplateError as exc:
        return replace(result, problems=(template_problem(exc),), handout=handout, page=None)


def check_result(loaded: Loaded, ctx: Context) -> AidResult:
    """The aid checked, with what blocks it (its own, its glossary's, clinic.yaml's)."""
    aid = loaded.aid
    clinic, clinic_problems = ctx.content.clinic()
    glossary, glossary_problems = ctx.content.glossary(aid.language if aid else "en")
    if aid is not None and aid.factor_ids():
        glossary_problems = [*glossary_problems, *ctx.content.factors(aid.language)[1]]
    if aid is not None:  # the clinic's own results: the file's own shape (content/outcomes.py)
        glossary_problems = [*glossary_problems, *ctx.content.outcomes(aid.id)[1]]
    source = source_path(loaded.path, aid.translation_of if aid else None)
    original = ctx.content.load(source) if source and source.is_file() else None
    looped = _translation_loop(loaded, ctx) if source else None
    if looped is not None:  # compared with nothing that is no translation: no figures check
        loaded, original = replace(loaded, problems=[*loaded.problems, looped]), None
    approval = approval_state(ctx.content, loaded, glossary)
    diff = changes_since(ctx.content, loaded, glossary, approval) if approval else None
    page = _page(aid, ctx, approval) if aid is not None else None
    check = check_aid(
        CheckInput(
            loaded,
            glossary,
            clinic,
            ctx.options.today,
            tuple(glossary_problems),
            original,
            lambda valid: _summary_pages(valid, ctx, approval),
            approval,
            diff if approval and not approval.approved else None,
            ctx.layout.approval_file(aid.id, aid.language) if aid else None,
            page.html if page else None,
            ctx.content.audit_file(aid) if aid else None,
        )
    )
    problems = (*loaded.problems, *glossary_problems, *clinic_problems, *blocking(aid, check))
    if aid is None and not problems:
        problems = (Problem(loaded.path, 1, "", "the file could not be read as an aid"),)
    hold = withheld(aid, check, clinic.front_desk, line_of(loaded.data, ("status",)))
    return AidResult(
        loaded.path, aid, check, tuple(dict.fromkeys(problems)), withheld=hold, page=page
    )


def _translation_loop(loaded: Loaded, ctx: Context) -> Problem | None:
    """An error at `translation_of` when the chain of translations goes round in a
    circle instead of ending at the file that is no translation."""
    aid = loaded.aid
    if aid is None:
        return None

    def translation_of(path: Path) -> str | None:
        other = ctx.content.load(path).aid
        return other.translation_of if other is not None else None

    loop = translation_loop(loaded.path, aid.translation_of, translation_of)
    if not loop:
        return None
    names = " → ".join(display_path(path) for path in loop)
    return Problem(
        loaded.path,
        line_of(loaded.data, ("translation_of",)),
        "",
        f"this translation's sources go round in a circle ({names}), so its figures are "
        "never compared with the aid it translates: a translation's chain must end at a "
        f"file that is no translation (aids/{shown(aid.id)}.yaml); name that file's "
        "language in translation_of, or remove translation_of",
    )


def _page(aid: Aid, ctx: Context, approval: ApprovalState | None) -> Page | None:
    """The generic handout as the build writes it, rendered here, before the check, so
    that the reading level is measured over every word the patient gets, and the build
    then writes this HTML instead of rendering it again (about as long as the check of
    one aid takes). None when it cannot be rendered: the check measures the aid's own
    text and says so, and the build, rendering it again, reports why."""
    try:
        handout = _enrich(aid, ctx, approval=approval)
        html = ctx.renderer_for(aid.language).handout(
            handout, _pdf_link(aid, ctx), SCRIPT_FROM_PAGE
        )
    except Exception:  # noqa: BLE001 - a broken template or picture is the build's to report
        return None
    return Page(handout, html)


def _pdf_link(aid: Aid, ctx: Context) -> str | None:
    """The handout page's link to its PDF, beside it under OUT (none without a PDF)."""
    return Path(ctx.options.output_name(aid, "pdf")).name if _pdf(ctx) else None


def _enrich(
    aid: Aid,
    ctx: Context,
    consult: Consult | None = None,
    approval: ApprovalState | None = None,
) -> Handout:
    clinic, _ = ctx.content.clinic()
    glossary, _ = ctx.content.glossary(aid.language)
    options = ctx.options
    factors, _ = ctx.content.factors(aid.language)
    return enrich(
        aid,
        clinic,
        glossary,
        options.large_print,
        options.paper,
        consult,
        ctx.content.logo(),
        factors,
        _images(aid, ctx),
        approval,
        words=ctx.renderer_for(aid.language).figure_words,
        audit=audit.audit if (audit := ctx.content.audit_file(aid)) else None,
    )


def _images(aid: Aid, ctx: Context) -> dict[str, str]:
    """The aid's illustrations as data: URLs (checked when the aid was loaded)."""
    found = {name: ctx.content.image(name) for name in aid.picture_files()}
    return {name: uri for name, uri in found.items() if uri}


def _render(
    path: Path, handout: Handout, check: AidCheck, ctx: Context, html: str | None = None
) -> AidResult:
    """Write what the aid needs; `html`: its handout, if the check rendered it already."""
    aid, options = handout.aid, ctx.options
    names = {
        ext: options.output_name(aid, ext)
        for ext in ("html", "pdf", "check.html", "summary.html", "summary.pdf")
    }
    pdf_link = _pdf_link(aid, ctx)
    patient = ctx.renderer_for(aid.language)
    if html is None:
        html = patient.handout(handout, pdf_link, SCRIPT_FROM_PAGE)
    # The author's quality page sits beside the handout; the handout never links to it.
    check_html = ctx.renderer.page("check.html", c=check, aid=aid)
    pdf = render_pdf(html, ctx.layout) if pdf_link else None
    files = {names["check.html"]: check_html.encode("utf-8")}
    if "html" in options.formats:
        files[names["html"]] = html.encode("utf-8")
    if pdf is not None:
        files[names["pdf"]] = pdf.data
    warnings = [f"{pdf_link}: {m}" for m in (pdf.warnings if pdf else ())]
    missing = missing_characters(html)
    if missing:
        warnings.append(
            f"{names['html']}: no installed font has {describe(missing)}: they would print as "
            "empty boxes; install a font for this script (e.g. Debian fonts-noto-cjk)"
        )
    if patient.language.missing:
        warnings.append(
            f"{names['html']}: no template translations for '{aid.language}' "
            f"(templates/locale/{aid.language}/LC_MESSAGES/messages.po): its headings and "
            "captions are in English"
        )
    if Edition.allows("summary", options.edition.size):
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
    """The one-page summary, at the largest size from 11 pt down to 9 pt that fits. One
    that cannot fit is not written (never cut): the warning says so and `check` says
    what to shorten."""
    html, pdf = _summary(handout, ctx, _pdf(ctx))
    name = Path(names["summary.pdf"]).name
    if pdf is not None and pdf.pages > 1:
        return [
            f"{name}: does not fit on one page even at {FLOOR:g} pt and was not written; "
            "run 'decisionaid check' to see what to shorten"
        ]
    if "html" in ctx.options.formats:
        files[names["summary.html"]] = html.encode("utf-8")
    if pdf is None:
        return []
    files[names["summary.pdf"]] = pdf.data
    return [f"{name}: {m}" for m in pdf.warnings]


def _summary(handout: Handout, ctx: Context, as_pdf: bool) -> tuple[str, Pdf | None]:
    """The summary and, if asked for, its PDF, laid out once: at the type size and
    column widths its own words need (handout/onepage.py). Only if the page ran over
    all the same is it laid out again, a size smaller, down to the floor."""
    renderer = ctx.renderer_for(handout.aid.language)
    words = renderer.page("summary.html", h=handout, fit=None)
    sizes = SIZES
    while True:
        fit = plan(words, handout.paper, sizes)
        html = renderer.page("summary.html", h=handout, fit=fit)
        if not as_pdf:
            return html, None
        pdf = render_pdf(html, ctx.layout)
        sizes = tuple(size for size in sizes if size < fit.size)
        if pdf.pages <= 1 or not sizes:
            return html, pdf


def _summary_pages(
    aid: Aid, ctx: Context, approval: ApprovalState | None = None
) -> list[SummaryPage]:
    """The summaries `check` asks the one-page model about (quality/summary_fit.py),
    rendered; none when the aid cannot be rendered (the build reports why)."""
    try:
        renderer = ctx.renderer_for(aid.language)
        return [
            SummaryPage(
                label, renderer.page("summary.html", h=_enrich(aid, ctx, c, approval), fit=None)
            )
            for label, c in copies_to_check(aid)
        ]
    except Exception:  # noqa: BLE001 - a broken template or picture is the build's to report
        return []


def _pdf(ctx: Context) -> bool:
    return "pdf" in ctx.options.formats
