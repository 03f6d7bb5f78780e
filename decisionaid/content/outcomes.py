"""The clinic's own results: `outcomes/<aid id>.yaml`, its audited counts per option.

A clinic that audits its results keeps, per aid, how many people had each option in a
period and how many of them had each outcome (a benefit's or risk's `id`). The file is
shared by the aid's translations (ids are the same in every language). Only counts:
never a patient's record (docs/authoring.md, "The clinic's own results").

The counts are checked against the aid here, each problem at its line: an unknown
option or outcome id, a count that is not a whole number written in decimal, more
events than people treated, nobody treated, a period that ends after the audit, an
audit dated in the future. `wilson` is the interval every clinic figure carries.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictInt

from ..problems import Problem, shown
from .fields import MAX_LIST, MAX_OPTIONS, Id, Strict, Text, decimal
from .load import dotted, line_of
from .models import Aid, Chance

Z95 = 1.959964  # the normal quantile for a two-sided 95% interval


def wilson(events: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of `events` in `n` (n > 0), as shares between 0 and 1.

    It behaves for small n and for 0 events, where the plain p ± z·SE gives an interval
    of width 0 ("0 of 12" would read as "never"): with 0 events its upper end is about
    3.84/(n + 3.84), the "rule of three"."""
    if n <= 0 or not 0 <= events <= n:
        raise ValueError(f"wilson needs 0 <= events <= n and n > 0, got {events} of {n}")
    p = events / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Rounding can take an end a hair past 0 or 1 (0 events: centre == half).
    return max(0.0, centre - half), min(1.0, centre + half)


def published_range(chance: Chance) -> tuple[Fraction, Fraction, Fraction]:
    """The published figure as shares: (low, count, high); no range → the count alone."""
    low, high = chance.range or (chance.count, chance.count)
    return (
        Fraction(low, chance.per),
        Fraction(chance.count, chance.per),
        Fraction(high, chance.per),
    )


def differs(events: int, treated: int, chance: Chance) -> Literal["higher", "lower"] | None:
    """Whether the clinic's whole 95% interval lies above or below the published range
    (Spiegelhalter's funnel plot: the benchmark as a band, the unit with its limits)."""
    low, high = wilson(events, treated)
    p_low, _, p_high = published_range(chance)
    if high < p_low:
        return "lower"
    if low > p_high:
        return "higher"
    return None


def _count(value: object) -> object:
    """A number of people: whole, in decimal digits (not `1.5`, `0x1B` or `"27"`)."""
    if isinstance(value, bool | float):
        raise ValueError(
            f"'{shown(getattr(value, 'written', value))}' is not a whole number of people: "
            "write how many people, like 27"
        )
    if isinstance(value, str):
        raise ValueError(
            f"'{shown(value)}' is not a number: write how many people in digits, like 27, "
            "without quotes"
        )
    return decimal(value)


Count = Annotated[StrictInt, BeforeValidator(_count)]


class Period(Strict):
    """The dates the counts cover, from the first day to the last."""

    start: dt.date = Field(alias="from")
    to: dt.date


class OptionAudit(Strict):
    """One option's counts: how many had it, and how many of them had each outcome."""

    treated: Count = Field(ge=0)
    outcomes: dict[Id, Count] = Field(min_length=1, max_length=MAX_LIST)


class ClinicOutcomes(Strict):
    """`outcomes/<aid id>.yaml`: the clinic's audited counts for one aid."""

    period: Period
    audited_by: Text  # who checked the counts (a committee, a named lead)
    audited_on: dt.date
    options: dict[Id, OptionAudit] = Field(min_length=1, max_length=MAX_OPTIONS)

    @property
    def years(self) -> str:
        """The period as a reader says it: "2021–2025", or "2025"."""
        start, end = self.period.start.year, self.period.to.year
        return str(start) if start == end else f"{start}\u2013{end}"

    def count(self, option_id: str, outcome_id: str) -> tuple[int, int] | None:
        """(events, treated) for an option's outcome, or None if the audit has none."""
        option = self.options.get(option_id)
        if option is None or outcome_id not in option.outcomes or option.treated == 0:
            return None
        return option.outcomes[outcome_id], option.treated


@dataclass(frozen=True)
class AuditFile:
    """A valid outcomes file, where it is and its parsed YAML (for lines)."""

    path: Path
    audit: ClinicOutcomes
    data: Any = None


def outcome_rules(
    audit: ClinicOutcomes, data: Any, path: Path, aid: Aid, today: dt.date
) -> list[Problem]:
    """The audit against the aid it is for and the calendar, each problem at its line."""
    found = _date_rules(audit, today) + _count_rules(audit, aid)
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


Found = list[tuple[tuple[str | int, ...], str]]


def _date_rules(audit: ClinicOutcomes, today: dt.date) -> Found:
    found: Found = []
    period = audit.period
    if period.to < period.start:
        found.append((("period", "to"), "the period ends before it starts: swap the dates"))
    if period.to > audit.audited_on:
        found.append(
            (
                ("period", "to"),
                f"the period ends {period.to.isoformat()}, after the audit "
                f"(audited_on {audit.audited_on.isoformat()}): counts cannot be audited "
                "before they happen; end the period on or before audited_on",
            )
        )
    if audit.audited_on > today:
        found.append(
            (("audited_on",), f"audited_on {audit.audited_on.isoformat()} is in the future")
        )
    return found


def _count_rules(audit: ClinicOutcomes, aid: Aid) -> Found:
    found: Found = []
    options = {option.id: option for option in aid.options}
    for option_id, counts in audit.options.items():
        loc: tuple[str | int, ...] = ("options", option_id)
        option = options.get(option_id)
        if option is None:
            known = ", ".join(sorted(options))
            found.append((loc, f"unknown option '{shown(option_id)}' (the aid's: {known})"))
            continue
        if counts.treated == 0:
            found.append(
                (
                    (*loc, "treated"),
                    "treated is 0: with nobody treated there is no figure; "
                    "remove this option from the audit",
                )
            )
        ids = [item.id for item in (*option.benefits, *option.risks) if item.id]
        for outcome_id, events in counts.outcomes.items():
            where = (*loc, "outcomes", outcome_id)
            if outcome_id not in ids:
                known = ", ".join(ids) or "none: give its benefits and risks an id"
                found.append(
                    (
                        where,
                        f"unknown outcome '{shown(outcome_id)}' for option "
                        f"'{option_id}' (its ids: {known})",
                    )
                )
            elif events > counts.treated:
                found.append(
                    (
                        where,
                        f"{events} people had it, but only {counts.treated} were treated: "
                        "check the counts",
                    )
                )
    return found
