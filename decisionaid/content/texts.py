"""The patient-facing text of an aid, section by section, with where each piece stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Aid, Illustration, Risk

if TYPE_CHECKING:
    from .glossary import Glossary, Term

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class TextItem:
    section: str
    loc: Loc
    text: str


def patient_texts(aid: Aid) -> list[TextItem]:
    """Every piece of text a patient reads, in handout order (not sources or credits)."""
    items = [
        TextItem("introduction", ("title",), aid.title),
        TextItem("introduction", ("decision",), aid.decision),
        TextItem("introduction", ("audience",), aid.audience),
        TextItem("condition", ("condition",), aid.condition),
    ]
    for j, picture in enumerate(aid.illustrations):
        items += _picture("condition", ("illustrations", j), picture)
    for i, row in enumerate(aid.compare):
        items.append(TextItem("compare", ("compare", i, "question"), row.question))
        for key, answer in row.answers.items():
            items.append(TextItem("compare", ("compare", i, "answers", key), answer))
    outcomes = list(aid.outcomes())
    for i, option in enumerate(aid.options):
        section = f"option:{option.id}"
        items.append(TextItem(section, ("options", i, "name"), option.name))
        items.append(TextItem(section, ("options", i, "description"), option.description))
        items.append(TextItem(section, ("options", i, "living_with"), option.living_with))
        for ref in outcomes:
            if ref.option_index != i:
                continue
            if isinstance(ref.item, Risk):
                items.append(TextItem(section, (*ref.loc, "name"), ref.item.name))
            items.append(TextItem(section, (*ref.loc, "text"), ref.item.text))
        for j, step in enumerate(option.recovery):
            items.append(TextItem(section, ("options", i, "recovery", j, "what"), step.what))
        for j, picture in enumerate(option.illustrations):
            items += _picture(section, ("options", i, "illustrations", j), picture)
    for field in ("uncertainties", "expectations", "values", "questions"):
        for i, text in enumerate(getattr(aid, field)):
            items.append(TextItem(field, (field, i), text))
    items += expectation_texts(aid)
    items.append(TextItem("next_steps", ("next_steps",), aid.next_steps))
    return items


def expectation_texts(aid: Aid) -> list[TextItem]:
    """What patients hope for and why, the quiz, feelings, warning signs and the time to
    decide (content/expectations.py): read by patients, so checked like the rest."""
    items = []
    for i, goal in enumerate(aid.goals):
        items.append(TextItem("goals", ("goals", i, "hope"), goal.hope))
        for key, answer in goal.answers.items():
            if answer.why:
                items.append(TextItem("goals", ("goals", i, "answers", key, "why"), answer.why))
    for i, item in enumerate(aid.quiz):
        items.append(TextItem("quiz", ("quiz", i, "statement"), item.statement))
        items.append(TextItem("quiz", ("quiz", i, "explain"), item.explain))
    for i, text in enumerate(aid.feelings):
        items.append(TextItem("feelings", ("feelings", i), text))
    if aid.warning_signs is not None:
        for kind in ("call_us", "emergency"):
            for i, text in enumerate(getattr(aid.warning_signs, kind)):
                items.append(TextItem("warning_signs", ("warning_signs", kind, i), text))
    if aid.time_to_decide:
        items.append(TextItem("time_to_decide", ("time_to_decide",), aid.time_to_decide))
    return items


def _picture(section: str, loc: Loc, picture: Illustration) -> list[TextItem]:
    """A picture's alt text and caption are read too (aloud, by a screen reader)."""
    items = [TextItem(section, (*loc, "alt"), picture.alt)]
    if picture.caption:
        items.append(TextItem(section, (*loc, "caption"), picture.caption))
    return items


def glossary_terms(aid: Aid, glossary: Glossary) -> list[Term]:
    """The glossary entries the aid's text uses: its "Words to know"."""
    return glossary.used_in(item.text for item in patient_texts(aid))
