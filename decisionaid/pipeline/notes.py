"""The chart note, and the staff's words for a translated aid.

Staff read an aid in their own language (clinic.yaml's) whatever language the patient's
copy is in: the form lists options, factors and hopes in both, and the note for the
record is in the staff's language throughout. Where the content has no version of the
aid in the staff's language, staff read the version it translates (its source, e.g. the
English aid an Arabic one translates), and the note gives the patient's words beside.
Apart from core.py, which makes the patient's copies, since a note is made from the
same checked aid but never rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from jinja2 import TemplateError

from ..content.models import Aid, Factor
from ..content.outcomes import ClinicOutcomes
from ..content.root import Loaded
from ..content.translated import source_path
from ..handout.consult import Consult, InvalidConsult, validate
from ..handout.expect import expectations
from ..handout.figures import Stated, stated_figures
from ..handout.render import template_problem
from ..problems import UnknownAid
from .core import check_result, internal_error, private
from .result import AidResult, Context


@dataclass(frozen=True)
class Said:
    """What the note says in the staff's words, and the patient's words for it beside
    them when the staff's words are a source version's, not the staff's language."""

    words: str
    patient: str | None = None


def make_note(
    loaded: Loaded, ctx: Context, consult: Consult, checked: AidResult | None = None
) -> AidResult:
    """The chart note for the record (plain text, in `files` under "note"), in the staff's
    language throughout: the decision, the aid's title and version, the options discussed,
    the patient's factors, the hopes discussed and those the chosen options cannot meet,
    what was given in which language and print size, the date. The aid's words come from
    its version in the staff's language, else from its source (with the patient's words
    beside the options and hopes).
    Like a copy, it is refused for an aid that may not be handed to a patient. Every
    value in it is safe to print (Renderer.text). `checked`: the aid as already checked
    (the web app keeps it; nothing about the patient changes the checks)."""
    result = checked if checked is not None else check_result(loaded, ctx)
    if result.unready:
        return replace(result, problems=result.unready)
    if errors := validate(result.valid, consult, ctx.options.large_print):
        raise InvalidConsult(errors)
    try:
        aid = consult.select(result.valid)
        staff = staff_version(loaded, ctx) or result.valid
        beside = staff.language not in (aid.language, ctx.content.clinic()[0].language)
        names = {option.id: option.name for option in staff.options}
        labels = staff_factors(ctx, aid, staff)
        own, _ = ctx.content.factors(aid.language)
        options = [
            (option, Said(names.get(option.id, option.name), option.name if beside else None))
            for option in aid.options
        ]
        text = ctx.renderer.text(
            "note.txt",
            aid=aid,
            words=staff,
            options=options,
            factors=[labels[f] for f in consult.factors if f in labels],
            hopes=_hopes(aid, staff, consult, names, stated_figures(aid, own, consult.factors)),
            beside=beside,
            consult=consult,
            large_print=ctx.options.large_print,
            approval=result.check.approval,
            audit=_audit_shown(aid, ctx),
        )
    except TemplateError as exc:
        return replace(result, problems=(private(template_problem(exc), consult),))
    except Exception as exc:  # noqa: BLE001 - reported, never with the patient's details
        failed = internal_error(loaded, exc)
        return replace(failed, problems=tuple(private(p, consult) for p in failed.problems))
    return replace(result, files={"note": text.encode("utf-8")})


def _audit_shown(aid: Aid, ctx: Context) -> ClinicOutcomes | None:
    """The clinic's audit whose figures the copy shows (of the options given), if any."""
    found = ctx.content.audit_file(aid)
    if found is None:
        return None
    audit = found.audit
    shown = any(
        audit.count(option.id, item.id)
        for option in aid.options
        for item in (*option.benefits, *option.risks)
        if item.id
    )
    return audit if shown else None


def _hopes(
    aid: Aid, staff: Aid, consult: Consult, names: dict[str, str], figures: dict[str, Stated]
) -> list[tuple[Said, list[str]]]:
    """The hopes discussed, in the staff's words (with the patient's own words, which
    the note shows when the staff's are a source version's), each with the chosen
    options (in the staff's words) that cannot meet it, answered from the figures of
    the patient's copy."""
    words = {goal.id: goal.hope for goal in staff.goals}
    return [
        (
            Said(words.get(row.id, row.hope), row.hope),
            [names.get(c.option_id, c.option) for c in row.unmet_by],
        )
        for row in expectations(aid, figures, consult.goals).hopes
    ]


def staff_factors(ctx: Context, aid: Aid, staff: Aid | None) -> dict[str, Factor]:
    """The factors in the staff's words, by id: from `factors/<staff language>.yaml`,
    else from the staff version's language (the source's), else the aid's own."""
    staff_language = ctx.content.clinic()[0].language
    merged: dict[str, Factor] = {}
    languages = [aid.language, staff.language if staff else aid.language, staff_language]
    for language in dict.fromkeys(languages):  # the later ones' words win
        merged.update(ctx.content.factors(language)[0])
    return merged


def staff_version(loaded: Loaded, ctx: Context) -> Aid | None:
    """The aid as staff read it, when `loaded` is not in the staff's language
    (clinic.yaml's): its version in that language if the content has one (and it is
    valid), else the version it translates (its source, valid). None when `loaded` is in
    the staff's language, or is no translation and has no version in it."""
    aid = loaded.aid
    staff_language = ctx.content.clinic()[0].language
    if aid is None or aid.language == staff_language:
        return None
    try:
        paths = ctx.content.aid_paths((aid.id,))
    except UnknownAid:
        paths = []
    for path in paths:
        other = ctx.content.load(path).aid
        if other is not None and other.id == aid.id and other.language == staff_language:
            return other
    source = source_path(loaded.path, aid.translation_of)
    if source is None or not source.is_file():
        return None
    other = ctx.content.load(source).aid
    if other is None or other.id != aid.id or other.language == aid.language:
        return None
    return other
