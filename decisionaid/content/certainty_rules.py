"""The rules of certainty across fields: a reason (`certainty_why`) goes with a level.

Whether every figure has a certainty, and whether an outcome's words promise more than
its certainty allows, are findings of the quality check (quality/certainty.py): they
depend on the aid's status and language, not on its shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem
from .load import dotted, line_of
from .models import Aid, Chance, OutcomeRef


@dataclass(frozen=True)
class FigureRef:
    """One figure of an aid: an outcome's general chance, or a group's under `for:`."""

    loc: tuple[str | int, ...]  # of the chance mapping
    outcome: OutcomeRef
    chance: Chance
    source: str | None  # the source it cites (a group's own)
    factors: tuple[str, ...] = ()  # the group's, for a group figure

    @property
    def label(self) -> str:
        """How an author finds it: 'Dry eyes', or 'Dry eyes' for smoking + diabetes."""
        group = f" for {' + '.join(self.factors)}" if self.factors else ""
        return f"'{self.outcome.label}'{group}"


def figures(aid: Aid) -> Iterator[FigureRef]:
    """Every figure of the aid, in handout order, each group's after its outcome's."""
    for ref in aid.outcomes():
        if ref.item.chance is not None:
            yield FigureRef((*ref.loc, "chance"), ref, ref.item.chance, ref.item.source)
        for g, group in enumerate(ref.item.groups):
            loc = (*ref.loc, "for", g, "chance")
            yield FigureRef(loc, ref, group.chance, group.source, tuple(group.factors))


def certainty_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """A `certainty_why` without a `certainty` explains nothing a patient is shown."""
    return [
        Problem(
            path,
            line_of(data, (*figure.loc, "certainty_why")),
            dotted((*figure.loc, "certainty_why")),
            "certainty_why says why the figure is less sure: add certainty: high, moderate, "
            "low or very_low beside it",
        )
        for figure in figures(aid)
        if figure.chance.certainty_why and figure.chance.certainty is None
    ]
