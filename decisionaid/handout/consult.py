"""A copy for one patient: who it is for, who gives it, when, and which options apply.

The patient's name is personal health information, and so are their factors and what
they hope for. They live in this object for one request and go only into the output
that was asked for: never a file of ours, a cache, a log line, a URL or an error
message (the messages here name the aid's own ids only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ..content.models import Aid, CompareRow
from ..settings import Edition, Kind


class ConsultError(StrEnum):
    """What can be wrong with a consult; the value is the form's message key
    (templates/app/aid.html), so the form and the command line say the same."""

    UNKNOWN_OPTION = "unknown_option"
    NO_OPTION = "no_option"  # only the no-action option, of an aid that has others
    UNKNOWN_FACTOR = "unknown_factor"
    UNKNOWN_GOAL = "unknown_goal"
    SUMMARY_LARGE = "summary_large"


# The form's field of each error (the command line's option: cli/copies.py).
FIELDS = {
    ConsultError.UNKNOWN_OPTION: "options",
    ConsultError.NO_OPTION: "options",
    ConsultError.UNKNOWN_FACTOR: "factors",
    ConsultError.UNKNOWN_GOAL: "goals",
    ConsultError.SUMMARY_LARGE: "large_print",
}


@dataclass(frozen=True)
class Invalid:
    """One thing wrong with a consult, with the aid's own ids named (never the patient's
    details): what the command line prints, and the form shows in its words."""

    error: ConsultError
    detail: str

    @property
    def field(self) -> str:
        return FIELDS[self.error]


class InvalidConsult(ValueError):
    """A consult the aid cannot be copied for (`validate` says why)."""

    def __init__(self, errors: tuple[Invalid, ...]) -> None:
        super().__init__("; ".join(e.detail for e in errors))
        self.errors = errors


MAX_NAME = 200  # characters of a patient's or clinician's name: not a place for notes


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

    def edition(self, large_print: bool) -> Edition:
        """Which copy this is (settings.Edition); ValueError for a large-print summary,
        which `validate` refuses first."""
        return Edition(
            "summary" if self.summary else "full", "large" if large_print else "standard"
        )

    @property
    def prepared(self) -> bool:
        return bool(self.patient or self.clinician or self.date)

    def select(self, aid: Aid) -> Aid:
        """The aid with only the chosen options, the no-action option always kept."""
        if not self.options:
            return aid
        if unknown := _unknown_options(self, aid):
            raise InvalidConsult((unknown,))
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


def validate(aid: Aid, consult: Consult, large_print: bool = False) -> tuple[Invalid, ...]:
    """Everything wrong with `consult` for `aid`, at once: the one answer to "is this
    consult valid?" for the form, the command line, the pipeline and the workers."""
    found = [_unknown_options(consult, aid), _no_option(consult, aid)]
    unknown, listed = _unknown(consult.factors, aid.factor_ids())
    if unknown:
        found.append(
            Invalid(
                ConsultError.UNKNOWN_FACTOR,
                f"'{aid.id}' has no figures for factor(s) {unknown}; its factors are: {listed}",
            )
        )
    unknown, listed = _unknown(consult.goals, [goal.id for goal in aid.goals])
    if unknown:
        found.append(
            Invalid(
                ConsultError.UNKNOWN_GOAL,
                f"'{aid.id}' has no goal(s) {unknown}; its goals are: {listed}",
            )
        )
    kind: Kind = "summary" if consult.summary else "full"
    if not Edition.allows(kind, "large" if large_print else "standard"):
        found.append(
            Invalid(
                ConsultError.SUMMARY_LARGE,
                "large print is for the full handout; the summary is one page",
            )
        )
    return tuple(e for e in found if e is not None)


def _unknown_options(consult: Consult, aid: Aid) -> Invalid | None:
    ids = [option.id for option in aid.options]
    unknown = [option for option in consult.options if option not in ids]
    if not unknown:
        return None
    return Invalid(
        ConsultError.UNKNOWN_OPTION,
        f"no option {', '.join(repr(u) for u in unknown)} in '{aid.id}'; "
        f"its options are: {', '.join(ids)}",
    )


def _no_option(consult: Consult, aid: Aid) -> Invalid | None:
    """Only the no-action option chosen, of an aid that has others: a copy that offers
    the patient nothing to decide between."""
    treatments = [o.id for o in aid.options if not o.no_action]
    chosen = [o for o in consult.options if o]
    if not chosen or not treatments or set(treatments) & set(chosen):
        return None
    if any(o not in {x.id for x in aid.options} for o in chosen):
        return None  # said as an unknown option
    return Invalid(
        ConsultError.NO_OPTION,
        f"choose at least one option besides not having the procedure; "
        f"'{aid.id}' has: {', '.join(treatments)}",
    )


def _unknown(asked: tuple[str, ...], known: list[str]) -> tuple[str, str]:
    """The ids asked for that are not known ('a', 'b'), and the known ones (or "none")."""
    unknown = ", ".join(repr(i) for i in asked if i not in known)
    return unknown, ", ".join(known) or "none"
