"""Say a fact once: a figure's number is printed from the figure wherever it is mentioned.

An author refers to a benefit's or risk's figure by its id: in any text with `{id}`
("About {dry-eyes} people have dry eyes for a while"), and from a hope's answer with
`figure: id`. Each copy states every figure once, here: the patient's group's figure in
a personal copy where the evidence gives one, else everyone's (labelled as such when the
patient's group has no figure of its own); all on the handout's one denominator. The
words around a number are the templates' (`strings.html`, `figure_ref`); this module
only chooses the figure and derives a hope's answer from it.

The answer to a hope, from the chance p that the hope is met (docs/authoring.md):
can when p is 9 in 10 or more; likely from 1 in 2; may above 0; cannot at 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from ..content.expectations import Answer, GoalAnswer, MetWhen
from ..content.fields import ID_PATTERN
from ..content.models import Aid, Factor
from .groups import for_patient
from .risk import Figure, denominator

# `{dry-eyes}`: a figure's id in braces (an id's own pattern, without its anchors).
REFERENCE = re.compile(r"\{(" + ID_PATTERN.strip("^$").replace("(", "(?:") + r")\}")

CAN_AT_LEAST = Fraction(9, 10)  # "Yes, it can": nearly everyone
LIKELY_AT_LEAST = Fraction(1, 2)  # "It is likely": more often than not


@dataclass(frozen=True)
class Stated:
    """A figure as one copy states it."""

    figure: Figure
    # Everyone's figure in a copy whose patient's group has none of its own for this
    # outcome: printed with "for all patients", never passed off as theirs.
    general: bool = False


def stated_figures(
    aid: Aid, factors: dict[str, Factor], chosen: tuple[str, ...]
) -> dict[str, Stated]:
    """Every figure with an id, as a copy for a patient with the `chosen` factors states
    it: the group's figure that the pictures draw, on the handout's denominator."""
    per = denominator(aid.chances())
    found: dict[str, Stated] = {}
    for key, ref in aid.figures().items():
        shown = for_patient(ref.item, per, factors, chosen, {})
        if shown.main is None:
            continue
        found[key] = Stated(shown.main, general=shown.unmatched)
    return found


def derived_answer(stated: Stated, met_when: MetWhen) -> tuple[Answer, Stated]:
    """The answer to a hope that the figure measures, and the figure of the people whose
    hope is met (everyone else, when the hope is to avoid the outcome)."""
    met = stated if met_when == "happens" else replace(stated, figure=_others(stated.figure))
    share = Fraction(met.figure.count, met.figure.per)
    if share >= CAN_AT_LEAST:
        return "can", met
    if share >= LIKELY_AT_LEAST:
        return "likely", met
    return ("may" if share > 0 else "cannot"), met


def answer_for(given: GoalAnswer, figures: dict[str, Stated]) -> tuple[Answer, Stated | None]:
    """A hope's answer for one option: derived from the figure it names (as `figures`
    states it), or as written by hand; and the figure it is derived from."""
    stated = figures.get(given.figure) if given.figure else None
    if stated is None:  # by hand (a named figure is checked to exist when loaded)
        return given.answer or "may", None
    return derived_answer(stated, given.met_when)


def handout_answers(aid: Aid) -> dict[tuple[str, str], Answer]:
    """Every hope's answer for every option, by (goal id, option id), as the handout
    for all patients gives them (what `check` judges)."""
    figures = stated_figures(aid, {}, ())
    return {
        (goal.id, key): answer_for(given, figures)[0]
        for goal in aid.goals
        for key, given in goal.answers.items()
    }


def _others(f: Figure) -> Figure:
    """The people an outcome does not happen to, with the range turned round."""
    low = None if f.high is None else f.per - f.high
    high = None if f.low is None else f.per - f.low
    return replace(f, count=f.per - f.count, low=low, high=high, word=None)


def resolve(aid: Aid, figures: dict[str, Stated], words: Callable[[Stated], str]) -> Aid:
    """The aid with every `{id}` in its text replaced by the figure's words. A reference
    to no figure is left as written (`check` reports it at its line)."""

    def text(value: str) -> str:
        if "{" not in value:
            return value
        return REFERENCE.sub(lambda m: words(figures[m[1]]) if m[1] in figures else m[0], value)

    return _walk(aid, text)


def _walk(value: Any, text: Callable[[str], str]) -> Any:
    """`value` with `text` applied to every string in it; unchanged parts are the same
    objects (the models are frozen, so a changed one is a copy)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _walk(old, text)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list | tuple):
        items = [_walk(item, text) for item in value]
        same = all(a is b for a, b in zip(items, value, strict=True))
        return value if same else type(value)(items)
    if isinstance(value, dict):
        pairs = {key: _walk(item, text) for key, item in value.items()}
        return value if all(pairs[k] is value[k] for k in value) else pairs
    return value
