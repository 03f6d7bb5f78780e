"""A copy for one patient: who it is for, who gives it, when, and which options apply.

The patient's name is personal health information, and so are their factors and what
they hope for. They live in this object for one request and go only into the output
that was asked for: never a file of ours, a cache, a log line, a URL or an error
message (the messages here name the aid's own ids only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.models import Aid, CompareRow


class UnknownOption(ValueError):
    """An option id that the aid does not have (the message names the valid ones)."""


class UnknownFactor(ValueError):
    """A factor the aid gives no figure for (the message names the ones it has)."""


class UnknownGoal(ValueError):
    """A hope (goal id) the aid does not list (the message names the ones it has)."""


@dataclass(frozen=True)
class Consult:
    patient: str | None = None
    clinician: str | None = None
    date: dt.date | None = None
    options: tuple[str, ...] = ()  # the options that apply; empty: all of them
    summary: bool = False  # the one-page summary instead of the full handout
    factors: tuple[str, ...] = ()  # the patient's factors (health information, like the name)
    goals: tuple[str, ...] = ()  # what the patient hopes for (health information too)

    def __repr__(self) -> str:  # never print the patient's details by accident
        return f"Consult(options={self.options!r}, summary={self.summary})"

    def check_factors(self, aid: Aid) -> None:
        """Raise UnknownFactor for a factor the aid gives no figure for."""
        unknown, listed = _unknown(self.factors, aid.factor_ids())
        if unknown:
            raise UnknownFactor(
                f"'{aid.id}' has no figures for factor(s) {unknown}; its factors are: {listed}"
            )

    def check_goals(self, aid: Aid) -> None:
        """Raise UnknownGoal for a goal id the aid does not list."""
        unknown, listed = _unknown(self.goals, [goal.id for goal in aid.goals])
        if unknown:
            raise UnknownGoal(f"'{aid.id}' has no goal(s) {unknown}; its goals are: {listed}")

    def file_name(self, aid: Aid, large_print: bool, fmt: str) -> str:
        """What the copy is called when saved: id, language and kind, never the patient
        (`upper-eyelid-surgery.es.summary.pdf`, `rhinoplasty.en.large.pdf`)."""
        kind = ".summary" if self.summary else ".large" if large_print else ""
        return f"{aid.id}.{aid.language}{kind}.{fmt}"

    @property
    def prepared(self) -> bool:
        return bool(self.patient or self.clinician or self.date)

    def check_options(self, aid: Aid) -> None:
        """Raise UnknownOption for an id the aid does not have."""
        ids = [option.id for option in aid.options]
        unknown = [option for option in self.options if option not in ids]
        if unknown:
            raise UnknownOption(
                f"no option {', '.join(repr(u) for u in unknown)} in '{aid.id}'; "
                f"its options are: {', '.join(ids)}"
            )

    def select(self, aid: Aid) -> Aid:
        """The aid with only the chosen options, the no-action option always kept."""
        if not self.options:
            return aid
        self.check_options(aid)
        kept = [o for o in aid.options if o.id in self.options or o.no_action]
        ids = {o.id for o in kept}
        compare = [
            CompareRow(
                question=row.question,
                answers={key: value for key, value in row.answers.items() if key in ids},
            )
            for row in aid.compare
        ]
        return aid.model_copy(update={"options": kept, "compare": compare})


def _unknown(asked: tuple[str, ...], known: list[str]) -> tuple[str, str]:
    """The ids asked for that are not known ('a', 'b'), and the known ones (or "none")."""
    unknown = ", ".join(repr(i) for i in asked if i not in known)
    return unknown, ", ".join(known) or "none"
