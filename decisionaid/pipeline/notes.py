"""The chart note, and the staff's words for a translated aid.

Staff read an aid in their own language (clinic.yaml's) whatever language the patient's
copy is in: the form lists options, factors and hopes in both, and the note for the
record is in the staff's language throughout. Apart from core.py, which makes the
patient's copies, since a note is made from the same checked aid but never rendered.
"""

from __future__ import annotations

from dataclasses import replace

from jinja2 import TemplateError

from ..content.models import Aid
from ..content.outcomes import ClinicOutcomes
from ..content.root import Loaded
from ..handout.consult import Consult, InvalidConsult, validate
from ..handout.expect import expectations
from ..handout.figures import Stated, stated_figures
from ..handout.render import template_problem
from ..problems import UnknownAid
from .core import AidResult, Context, check_result, internal_error, private


def make_note(
    loaded: Loaded, ctx: Context, consult: Consult, checked: AidResult | None = None
) -> AidResult:
    """The chart note for the record (plain text, in `files` under "note"), in the staff's
    language throughout: the decision, the aid's title and version, the options discussed,
    the patient's factors, the hopes discussed and those the chosen options cannot meet,
    what was given in which language and print size, the date.
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
        names = {option.id: option.name for option in staff.options}
        known, _ = ctx.content.factors(staff.language)
        own, _ = ctx.content.factors(aid.language)
        factors = [known.get(f) or own[f] for f in consult.factors if f in known or f in own]
        text = ctx.renderer.text(
            "note.txt",
            aid=aid,
            words=staff,
            options=[(option, names.get(option.id, option.name)) for option in aid.options],
            factors=factors,
            hopes=_hopes(aid, staff, consult, names, stated_figures(aid, own, consult.factors)),
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
) -> list[tuple[str, list[str]]]:
    """The hopes discussed, in the staff's words, each with the chosen options (in the
    staff's words) that cannot meet it, answered from the figures of the patient's copy."""
    words = {goal.id: goal.hope for goal in staff.goals}
    return [
        (words.get(row.id, row.hope), [names.get(c.option_id, c.option) for c in row.unmet_by])
        for row in expectations(aid, figures, consult.goals).hopes
    ]


def staff_version(loaded: Loaded, ctx: Context) -> Aid | None:
    """The same aid in the staff's language (clinic.yaml's), when `loaded` is a
    translation and that version exists and is valid: its words are what staff read."""
    aid = loaded.aid
    staff_language = ctx.content.clinic()[0].language
    if aid is None or aid.language == staff_language:
        return None
    try:
        paths = ctx.content.aid_paths((aid.id,))
    except UnknownAid:
        return None
    for path in paths:
        other = ctx.content.load(path).aid
        if other is not None and other.id == aid.id and other.language == staff_language:
            return other
    return None
