"""The rules across an aid's expectations that the models alone cannot say: every goal
answers every option and names no other, goal ids are unique, a quiz statement points
to a section the handout has, and warning signs list at least one sign. Each problem
is tied to the line of the key it is about."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..problems import Problem, shown
from .expectations import SECTIONS
from .load import dotted, example, line_of
from .models import Aid

Found = list[tuple[tuple[str | int, ...], str]]


def expectation_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """Goals against the options, quiz pointers against the sections, warning signs."""
    found = _figure_ids(aid) + _goals(aid) + _goal_figures(aid) + _quiz(aid)
    signs = aid.warning_signs
    if signs is not None and not (signs.call_us or signs.emergency):
        found.append(
            (
                ("warning_signs",),
                "no signs listed: add them under call_us (call the clinic) or emergency "
                "(call the emergency number), or remove warning_signs",
            )
        )
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def _goals(aid: Aid) -> Found:
    found: Found = []
    option_ids = [o.id for o in aid.options]
    counts = Counter(goal.id for goal in aid.goals)
    seen: set[str] = set()
    for i, goal in enumerate(aid.goals):
        if counts[goal.id] > 1 and goal.id in seen:
            found.append((("goals", i, "id"), f"id '{shown(goal.id)}' is used more than once"))
        seen.add(goal.id)
        for key in goal.answers:
            if key not in option_ids:
                message = f"'{shown(key)}' is not an option id ({_names(option_ids)})"
                found.append((("goals", i, "answers", key), message))
        left_out = [key for key in option_ids if key not in goal.answers]
        for key in left_out:
            found.append(
                (
                    ("goals", i),
                    f"no answer for option '{shown(key)}': a goal says what every option can "
                    f"do for it, like {key}: {{answer: may, why: ...}}",
                )
            )
    return found


def _figure_ids(aid: Aid) -> Found:
    """A figure id names one benefit or risk of the aid, and no option."""
    found: Found = []
    seen: set[str] = set()
    options = {o.id for o in aid.options}
    for ref in aid.outcomes():
        key = ref.item.id
        if key is None:
            continue
        if key in seen:
            found.append(((*ref.loc, "id"), f"id '{shown(key)}' is used more than once"))
        elif key in options:
            found.append(((*ref.loc, "id"), f"'{shown(key)}' is an option's id: name it apart"))
        seen.add(key)
    return found


def _goal_figures(aid: Aid) -> Found:
    """A hope's answer rests on a figure of the same option, one with a chance."""
    found: Found = []
    figures = aid.figures()
    for i, goal in enumerate(aid.goals):
        for key, answer in goal.answers.items():
            if answer.figure is None:
                continue
            loc = ("goals", i, "answers", key, "figure")
            ref = figures.get(answer.figure)
            own = [r.item.id for r in aid.outcomes() if r.option.id == key and r.item.id]
            if ref is None or ref.option.id != key:
                where = "another option's" if ref is not None else "no"
                ids = _names(own) if own else "none has an id yet: add id: to one"
                found.append(
                    (
                        loc,
                        f"'{shown(answer.figure)}' is {where} figure of option '{shown(key)}': "
                        f"name one of its own benefits or risks by its id ({ids})",
                    )
                )
            elif ref.item.chance is None:
                found.append((loc, f"'{shown(answer.figure)}' has no chance to answer from"))
    return found


def _quiz(aid: Aid) -> Found:
    """A quiz statement's `see` names a section this handout has."""
    found: Found = []
    have = sections(aid)
    for i, item in enumerate(aid.quiz):
        if item.see is None or item.see in have:
            continue
        if item.see in SECTIONS:
            message = f"this handout has no '{item.see}' section: point to one it has"
        else:
            message = f"'{shown(item.see)}' is not a section"
        found.append((("quiz", i, "see"), f"{message} ({_names(have)})"))
    return found


def sections(aid: Aid) -> list[str]:
    """What a quiz statement may point to: the sections this aid's handout has, and
    each option by its id."""
    present = {
        "condition": True,
        "options": True,
        "goals": bool(aid.goals),
        "uncertainties": bool(aid.uncertainties),
        "expectations": bool(aid.expectations),
        "feelings": bool(aid.feelings),
        "warning_signs": aid.warning_signs is not None,
    }
    return [name for name in SECTIONS if present[name]] + [o.id for o in aid.options]


def _names(names: list[str]) -> str:
    """Ids listed in a message, cut short when there are many long ones."""
    return example(", ".join(names))
