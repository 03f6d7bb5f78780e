"""Will the one-page summary fit? `check` asks the same model the pipeline lays the
summary out with (handout/onepage.py), on the summary's own HTML at the 9 pt floor, so
that it warns exactly when the build would leave a summary out or the front desk would
be refused one: before a patient is waiting for it.

The summaries asked about (`SummaryPage`, rendered by the pipeline): the one `build`
writes, and a patient's copy at its longest: "Prepared for" a patient and by a
clinician with names of about 40 characters, on a date with a long month, with none,
each and all of the aid's patient factors ticked; each on Letter and on A4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.models import Aid
from ..handout.consult import Consult
from ..handout.onepage import FLOOR, Fit, plan
from .findings import Collector

MAX_OPTIONS = 4
PAPER_NAMES = {"letter": "Letter", "a4": "A4"}
# A patient's copy at its longest: two long names (not anyone's) and a long month.
SAMPLE_PATIENT = "Mariana Alejandra Rodriguez-Castellanos"
SAMPLE_CLINICIAN = "Dr. Christopher Montgomery-Whitfield"
SAMPLE_DATE = dt.date(2027, 9, 30)


def copies_to_check(aid: Aid) -> list[tuple[str, Consult]]:
    """The summaries `check` asks about, as copies to make: (what it is in words, the
    copy). First the one `build` writes, then a patient's copy at its longest."""
    factors = aid.factor_ids()
    ticked = [(), *([tuple(factors)] if factors else [])]
    ticked += [(factor,) for factor in factors] if len(factors) > 1 else []
    longest = [
        (
            "a patient's copy" + (f" with {', '.join(f)} ticked" if f else ""),
            Consult(SAMPLE_PATIENT, SAMPLE_CLINICIAN, SAMPLE_DATE, summary=True, factors=f),
        )
        for f in ticked
    ]
    return [("", Consult(summary=True)), *longest]


@dataclass(frozen=True)
class SummaryPage:
    """One summary to ask the model about: its HTML, and what it is in words."""

    label: str  # "" for the summary `build` writes; else "a patient's copy ..."
    html: str


def summary_fit(aid: Aid, c: Collector, pages: Iterable[SummaryPage] = ()) -> None:
    """Warn (`summary-too-long`) when a summary cannot fit on one page even at 9 pt,
    naming the row that takes the most room."""
    options = len(aid.options)
    if options > MAX_OPTIONS:
        c.add(
            "warning",
            "summary-too-long",
            f"{options} options: the one-page summary has room for {MAX_OPTIONS} columns; "
            "combine options or leave the summary out of the consult",
            ("options",),
        )
        return
    for page in pages:
        for paper, name in PAPER_NAMES.items():
            fit = plan(page.html, paper, (FLOOR,))
            if fit.fits:
                continue
            what = f"{name}, {page.label}" if page.label else name
            label, loc = _longest_row(aid, fit)
            c.add(
                "warning",
                "summary-too-long",
                f"the one-page summary does not fit on one page even at {FLOOR:g} pt "
                f"({what}: about {max(fit.over, 0.01):.0%} too long), so it would not be "
                f"printed; shorten {label}, the longest row, or the other long answers",
                loc,
            )
            return


def _longest_row(aid: Aid, fit: Fit) -> tuple[str, tuple[str | int, ...]]:
    """The grid row that takes the most room, in words and as a place in the aid: the
    rows are the compare questions, the goals, the recovery (when an option has one),
    the benefits and the risks, in that order."""
    kinds: list[tuple[str, int | None]] = [("compare", i) for i in range(len(aid.compare))]
    kinds += [("goals", None)] if aid.goals else []
    if len(fit.rows) == len(kinds) + 3:
        kinds.append(("recovery", None))
    kinds += [("benefits", None), ("risks", None)]
    if not fit.rows or len(kinds) != len(fit.rows):
        return "the longest answers", ("options",)
    row = max(range(len(fit.rows)), key=lambda r: max(fit.rows[r], default=0.0))
    cells = fit.rows[row]
    column = max(range(len(cells)), key=lambda k: cells[k])
    kind, index = kinds[row]
    if kind == "compare" and index is not None:
        return f"the answers to '{aid.compare[index].question}'", ("compare", index)
    if kind == "goals":
        return "the hopes (goals), in their words", ("goals",)
    option = aid.options[column] if column < len(aid.options) else aid.options[0]
    return f"the {kind} of '{option.id}'", ("options", aid.options.index(option), kind)
