"""The content of expectations: what patients hope for against what each option can do
(`goals`), true/false statements that catch common misconceptions (`quiz`), how people
often feel (`feelings`), when to call (`warning_signs`) and `time_to_decide`.

Patients judge an operation by their own standards; a consult has to find and correct
what they expect wrongly. These models describe the shape of those keys; the rules
across them (every goal answers every option) live in expectation_rules.py, the
checks (a `can` whose chance is below 9 in 10) in quality/expectations.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from .fields import MAX_LIST, Id, Strict, Text

Answer = Literal["can", "may", "cannot"]
ANSWERS: tuple[Answer, ...] = ("can", "may", "cannot")

# Where a quiz statement's answer is explained, besides an option's id (its section).
SECTIONS = (
    "condition",
    "options",
    "goals",
    "uncertainties",
    "expectations",
    "feelings",
    "warning_signs",
)


def _true_or_false(value: Any) -> bool:
    """`true` or `false` as YAML writes them; `yes`, `1` or `"true"` are not answers."""
    if isinstance(value, bool):
        return value
    shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "..."
    raise ValueError(f"'{shown}' is not an answer: write true or false")


TrueOrFalse = Annotated[bool, BeforeValidator(_true_or_false)]


class GoalAnswer(Strict):
    """What one option can do for one hope, and why, in the patient's words."""

    answer: Answer
    why: Text


class Goal(Strict):
    """Something patients often hope for, answered for every option."""

    id: Id
    hope: Text
    answers: dict[Id, GoalAnswer]


class QuizItem(Strict):
    """A true/false statement that catches a common misconception, with why."""

    statement: Text
    answer: TrueOrFalse
    explain: Text
    # The section that explains it: an option's id or one of SECTIONS. Without it, the
    # section whose words the statement and explanation share most (handout/expect.py).
    see: Annotated[Text, Field(max_length=100)] | None = None


class WarningSigns(Strict):
    """After the procedure: when to call the clinic, and when it is an emergency."""

    call_us: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    emergency: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
