"""The view of an aid's expectations for the templates: each hope against the options
the handout shows, the quiz with the section that explains each answer, and, in a copy
for one patient, the hopes ticked for them, marked where a chosen option cannot meet
one. Templates hold the words; this module only the structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..content.expectation_rules import sections
from ..content.expectations import Goal, GoalAnswer, WarningSigns
from ..content.models import Aid, Option
from .figures import Stated, answer_for
from .markup import to_html

# Where each section a quiz answer may point to stands in handout.html.
ANCHORS = {
    "condition": "condition",
    "options": "options-at-a-glance",
    "goals": "goals",
    "hopes": "your-hopes",  # a copy with every hope ticked (see Expectations.table)
    "uncertainties": "unknowns",
    "expectations": "expectations",
    "feelings": "feelings",
    "warning_signs": "when-to-call",
}


@dataclass(frozen=True)
class GoalCell:
    """What one option can do for one hope."""

    option_id: str
    option: str  # the option's name
    no_action: bool
    answer: str  # can | likely | may | cannot
    why: str | None
    # The figure the answer is derived from, as the people whose hope it meets: printed
    # beside the answer ("It may: about 40 in 100").
    met: Stated | None = None


@dataclass(frozen=True)
class GoalRow:
    """One hope, answered for each option the handout shows."""

    id: str
    hope: str
    cells: tuple[GoalCell, ...]

    @property
    def talk(self) -> bool:
        """A chosen option (not the one of doing nothing) cannot meet this hope: in a
        copy, the patient is asked to talk about it with the surgeon."""
        return any(c.answer == "cannot" and not c.no_action for c in self.cells)

    @property
    def unmet_by(self) -> tuple[GoalCell, ...]:
        """The chosen options (not the one of doing nothing) that cannot meet it."""
        return tuple(c for c in self.cells if c.answer == "cannot" and not c.no_action)


@dataclass(frozen=True)
class QuizView:
    """A statement, its answer, and where the handout explains it."""

    number: int
    statement: str
    answer: bool
    explain: str
    section: str  # one of ANCHORS, or "option"
    anchor: str  # the id of the section in the handout
    option: str | None = None  # the option's name when it points to an option
    option_number: int | None = None


@dataclass(frozen=True)
class Expectations:
    goals: tuple[GoalRow, ...] = ()
    quiz: tuple[QuizView, ...] = ()
    feelings: tuple[Markup, ...] = ()
    warning_signs: WarningSigns | None = None
    time_to_decide: str | None = None
    hopes: tuple[GoalRow, ...] = ()  # a copy: the patient's own hopes (health information)

    @property
    def table(self) -> tuple[GoalRow, ...]:
        """The rows of "What can each option do for you?": in a copy, the hopes not
        ticked. A ticked hope is answered once, in full (the answers and why), in the
        copy's "What you hope for" box near the start: printed twice, it once made a
        copy with every hope ticked a page longer than the README allows (issue 28)."""
        return tuple(row for row in self.goals if row not in self.hopes)


def expectations(aid: Aid, figures: dict[str, Stated], hopes: tuple[str, ...] = ()) -> Expectations:
    """The view of `aid` (already narrowed to a copy's options); `figures` the copy's
    figures by id (handout/figures.py); `hopes` the ids of the goals ticked for one
    patient."""
    rows = tuple(_row(aid, goal, figures) for goal in aid.goals)
    every_hope = bool(rows) and all(row.id in hopes for row in rows)
    return Expectations(
        goals=rows,
        quiz=tuple(_quiz(aid, n, item, every_hope) for n, item in enumerate(aid.quiz, start=1)),
        feelings=tuple(map(to_html, aid.feelings)),
        warning_signs=aid.warning_signs,
        time_to_decide=aid.time_to_decide,
        hopes=tuple(row for row in rows if row.id in hopes),
    )


def _row(aid: Aid, goal: Goal, figures: dict[str, Stated]) -> GoalRow:
    cells = tuple(
        _cell(o, goal.answers[o.id], figures) for o in aid.options if o.id in goal.answers
    )
    return GoalRow(goal.id, goal.hope, cells)


def _cell(option: Option, given: GoalAnswer, figures: dict[str, Stated]) -> GoalCell:
    """An answer written by hand, or derived from the figure it names."""
    answer, met = answer_for(given, figures)
    return GoalCell(option.id, option.name, option.no_action, answer, given.why, met)


def _quiz(aid: Aid, number: int, item, every_hope: bool = False) -> QuizView:
    """`every_hope`: a copy with every hope ticked has no goals table; an answer about
    the hopes points to the copy's own "What you hope for" box instead."""
    see = item.see or best_section(aid, f"{item.statement} {item.explain}")
    if see == "goals" and every_hope:
        see = "hopes"
    for n, option in enumerate(aid.options, start=1):
        if option.id == see:
            anchor = f"option-{option.id}"
            return QuizView(
                number, item.statement, item.answer, item.explain, "option", anchor, option.name, n
            )
    if see not in ANCHORS:  # an option a copy leaves out: its place at a glance
        see = "options"
    return QuizView(number, item.statement, item.answer, item.explain, see, ANCHORS[see])


_WORD = re.compile(r"\w{4,}")


def best_section(aid: Aid, text: str) -> str:
    """The section whose words the text shares most, each shared word counting less
    the more sections hold it ("surgery" says little, "swelling" much); the first
    section in handout order wins a tie, the condition when nothing is shared."""
    texts = _section_texts(aid)
    words = {name: set(_WORD.findall(body.casefold())) for name, body in texts.items()}
    wanted = set(_WORD.findall(text.casefold()))
    holding = {w: sum(w in found for found in words.values()) for w in wanted}
    best, score = "condition", 0.0
    for name, found in words.items():
        points = sum(1 / holding[w] for w in wanted & found)
        if points > score:
            best, score = name, points
    return best


def _section_texts(aid: Aid) -> dict[str, str]:
    """The words of each section a quiz statement may point to, in handout order."""
    have = sections(aid)
    texts = {"condition": aid.condition}
    texts["options"] = " ".join(
        [row.question for row in aid.compare]
        + [a for row in aid.compare for a in row.answers.values()]
    )
    for option in aid.options:
        parts = [option.name, option.description, option.living_with]
        parts += [step.what for step in option.recovery]
        parts += [o.text for o in (*option.benefits, *option.risks)]
        parts += [r.name for r in option.risks]
        texts[option.id] = " ".join(parts)
    texts["goals"] = " ".join(
        f"{g.hope} " + " ".join(a.why for a in g.answers.values() if a.why) for g in aid.goals
    )
    texts["uncertainties"] = " ".join(aid.uncertainties)
    texts["expectations"] = " ".join(aid.expectations)
    texts["feelings"] = " ".join(aid.feelings)
    signs = aid.warning_signs
    texts["warning_signs"] = " ".join([*signs.call_us, *signs.emergency]) if signs else ""
    return {name: body for name, body in texts.items() if name in have and body}
