"""Checks of an aid's expectations (content/expectations.py): what patients hope for
against what each option can do, the quiz, warning signs, and the IPDAS quality items
they meet (knowledge, realistic expectations).

A hope's answer and its number are derived from the figure it names
(handout/figures.py); a chance written in a hand-written answer is an error of
quality/chances.py.
"""

from __future__ import annotations

from ..content.models import Aid, Clinic
from .findings import Collector
from .ipdas import Criterion

MIN_QUIZ = 3  # statements an approved aid asks, at least


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
    _contacts(aid, clinic, c)


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
