"""Checks of an aid's expectations (content/expectations.py): what patients hope for
against what each option can do, the quiz, warning signs, and the IPDAS quality items
they meet (knowledge, realistic expectations).

A `can` promises: "Yes, it can". When the goal's own `why` gives the chance in words
("About 7 in 10 people ..."), the chance is read from it, and a `can` below 9 in 10 is
a warning: most people, not everyone, so say `may`. The chance is read as "N in M",
"N out of M" (English), "N de cada M" (Spanish) or "N من كل M" (Arabic), with digits;
a `why` without one is not judged.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..content.models import Aid, Clinic
from .findings import Collector
from .ipdas import Criterion
from .language import clip

MIN_QUIZ = 3  # statements an approved aid asks, at least
CAN_AT_LEAST = Fraction(9, 10)  # below this, "can" promises too much: "may"

_NUMBER = r"(\d[\d.,\u066c\u00a0\u202f]*)"
_CHANCE = re.compile(
    rf"{_NUMBER}\s+(?:in(?:\s+every)?|out\s+of|de\s+cada|من\s+كل|من\s+أصل)\s+{_NUMBER}",
    re.IGNORECASE,
)


def chance_in(text: str) -> Fraction | None:
    """The first chance written in `text` as "N in M" (or its Spanish and Arabic forms),
    as a fraction; None when there is none, or it is not a chance (N above M)."""
    found = _CHANCE.search(text)
    if found is None:
        return None
    count, per = (_whole(part) for part in found.groups())
    if count is None or not per or count > per:
        return None
    return Fraction(count, per)


def _whole(number: str) -> int | None:
    """ "1,000", "1.000", "1 000" and Arabic "١٠" are whole numbers; "7.5" is not."""
    digits = re.sub(r"[.,\u066c\u00a0\u202f](?=\d{3}(?:\D|$))", "", number.rstrip(".,"))
    return int(digits) if digits.isdigit() else None


def expectation_criteria(aid: Aid) -> list[Criterion]:
    """The IPDAS quality items these keys meet (never errors: `expectations` warns)."""
    return [
        Criterion(
            "ipdas-knowledge",
            f"lets the patient check what they understood (at least {MIN_QUIZ} quiz statements)",
            "quality",
            len(aid.quiz) >= MIN_QUIZ,
        ),
        Criterion(
            "ipdas-expectations",
            "sets what the patient may hope for beside what each option can do (goals)",
            "quality",
            bool(aid.goals),
        ),
    ]


def expectations(aid: Aid, clinic: Clinic, c: Collector) -> None:
    """What is missing (goals, quiz, warning signs, the clinic's numbers), a one-sided
    quiz, and a `can` whose own chance is below 9 in 10."""
    approved = aid.status == "approved"
    if len(aid.options) >= 2 and not aid.goals:
        c.add(
            "warning",
            "no-goals",
            "no goals: add what patients often hope for, answered for each option (can, "
            "may or cannot), so that a hope no option can meet is found before surgery",
        )
    if approved and len(aid.quiz) < MIN_QUIZ:
        c.add(
            "warning",
            "few-quiz",
            f"{len(aid.quiz)} quiz statement(s): an approved aid asks at least {MIN_QUIZ}, "
            "each about a misconception the handout corrects",
            ("quiz",) if aid.quiz else (),
        )
    if approved and aid.warning_signs is None:
        c.add(
            "warning",
            "no-warning-signs",
            "no warning_signs: say when to call the clinic (call_us) and when it is an "
            "emergency (emergency) after the procedure",
        )
    answers = {item.answer for item in aid.quiz}
    if len(aid.quiz) >= 2 and len(answers) == 1:
        c.add(
            "info",
            "quiz-one-sided",
            f"every quiz answer is {str(answers.pop()).lower()}: mix true and false statements, "
            "so that a reader cannot guess",
            ("quiz",),
        )
    _can(aid, c)
    _contacts(aid, clinic, c)


def _can(aid: Aid, c: Collector) -> None:
    for i, goal in enumerate(aid.goals):
        for key, answer in goal.answers.items():
            chance = chance_in(answer.why) if answer.answer == "can" else None
            if chance is not None and chance < CAN_AT_LEAST:
                c.add(
                    "warning",
                    "can-below-9-in-10",
                    f"'can' for '{clip(goal.hope, 40)}', but its why gives a chance of "
                    f"{chance.numerator} in {chance.denominator} ('{clip(answer.why, 50)}'): "
                    "below 9 in 10 not everyone gets it; say 'may'",
                    ("goals", i, "answers", key, "answer"),
                )


def _contacts(aid: Aid, clinic: Clinic, c: Collector) -> None:
    """The numbers "When to call us" prints come from clinic.yaml: no default."""
    signs = aid.warning_signs
    if signs is None:
        return
    if signs.emergency and not clinic.emergency_number:
        c.add(
            "warning",
            "no-emergency-number",
            "clinic.yaml has no emergency_number, so the emergency box can only say "
            "'call your local emergency number': add it, like emergency_number: \"911\"",
            ("warning_signs", "emergency"),
        )
    if signs.call_us and not clinic.after_hours_phone:
        c.add(
            "warning",
            "no-after-hours-phone",
            "clinic.yaml has no after_hours_phone: say whom a patient calls when the clinic "
            "is closed (add after_hours_phone)",
            ("warning_signs", "call_us"),
        )
