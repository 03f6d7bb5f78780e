"""Chances for the patient's own group, shown honestly.

A generic handout gives the general figure and, beside it, one line per group in
words. A copy for a patient with chosen factors draws the figure of exactly their
group where the evidence gives one, with the general figure beside it. Where it
gives none for their factors together, it never multiplies or adds chances: it shows
each factor's own figure and says that the combined chance is not known.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import Benefit, Factor, Risk
from .risk import Figure, figure


@dataclass(frozen=True)
class GroupLine:
    """The figure for people with some factors, and how it compares with everyone's."""

    factors: tuple[Factor, ...]
    figure: Figure
    source_number: int | None
    direction: str  # "higher" | "lower" | "same"

    @property
    def traits(self) -> tuple[str, ...]:
        return tuple(factor.group for factor in self.factors)


@dataclass(frozen=True)
class ForPatient:
    """What one outcome shows: `main` is drawn; `general` is shown beside it when the
    main figure is a group's; `lines` are the groups in words."""

    main: Figure | None
    group: GroupLine | None = None
    general: Figure | None = None
    lines: tuple[GroupLine, ...] = ()
    combined_unknown: tuple[Factor, ...] = ()  # chosen factors with no figure together
    # A copy for a patient whose factors change this chance, but whose group has no
    # figure of its own: `main` is everyone's, and is labelled so wherever it is printed.
    unmatched: bool = False


def for_patient(
    item: Benefit,
    per: int,
    factors: dict[str, Factor],
    chosen: tuple[str, ...],
    numbers: dict[str, int],
) -> ForPatient:
    if item.chance is None:
        return ForPatient(None)
    worded = isinstance(item, Risk)
    general = figure(item.chance, per, worded)
    lines = tuple(_line(group, general, per, factors, numbers, worded) for group in item.groups)
    if not chosen:
        return ForPatient(general, lines=lines)
    relevant = set(chosen) & {f.id for line in lines for f in line.factors}
    if not relevant:
        return ForPatient(general)
    for line in lines:
        if {f.id for f in line.factors} == relevant:
            return ForPatient(line.figure, group=line, general=general)
    singles = tuple(
        line for line in lines if len(line.factors) == 1 and line.factors[0].id in relevant
    )
    unknown = tuple(factors[f] for f in chosen if f in relevant) if len(relevant) > 1 else ()
    return ForPatient(general, lines=singles, combined_unknown=unknown, unmatched=True)


def _line(
    group, general: Figure, per: int, factors: dict[str, Factor], numbers, worded: bool
) -> GroupLine:
    fig = figure(group.chance, per, worded)
    direction = (
        "higher" if fig.count > general.count else "lower" if fig.count < general.count else "same"
    )
    known = tuple(factors[f] for f in group.factors if f in factors)
    return GroupLine(known, fig, numbers.get(group.source) if group.source else None, direction)
