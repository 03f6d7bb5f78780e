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

from pydantic import BeforeValidator, Field, model_validator

from .fields import MAX_LIST, Id, Strict, Text

Answer = Literal["can", "likely", "may", "cannot"]
ANSWERS: tuple[Answer, ...] = ("can", "likely", "may", "cannot")
MetWhen = Literal["happens", "avoided"]

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
    """What one option can do for one hope, and why, in the patient's words.

    Where a figure of the option measures the hope, the author names it (`figure`) and
    says whether the hope is met when it happens or when it is avoided; the answer's
    word and number are then derived from the figure (handout/figures.py), for the
    patient's group in a personal copy. A hand-written `answer` (with its `why`) is for
    hopes no figure measures."""

    answer: Answer | None = None
    why: Text | None = None
    figure: Id | None = None
    met_when: MetWhen = "happens"

    @model_validator(mode="after")
    def _one_way(self) -> GoalAnswer:
        if self.figure is not None and self.answer is not None:
            raise ValueError(
                f"the answer is derived from figure '{self.figure}': remove `answer` "
                "(or remove `figure` for a hope no figure measures)"
            )
        if self.figure is None and self.answer is None:
            raise ValueError(
                "name the figure this hope rests on (figure: ID, the id of one of this "
                "option's benefits or risks) or, where no figure measures it, write "
                "answer: can, may or cannot with why"
            )
        if self.figure is None and self.why is None:
            raise ValueError("a hand-written answer says why: add why: ...")
        return self


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
