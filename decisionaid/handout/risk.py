"""Chances as the evidence says to show them: natural frequencies on one denominator.

This module only computes; the words a patient reads ("About 15 in 100 people")
are written in the templates (`templates/strings.html`), where they can be translated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..content.models import Chance

DEFAULT_DENOMINATOR = 100

# The fixed word scale (EU labelling guidance): a chance is the first word whose
# threshold it reaches. The keys are translated in the templates.
SCALE: tuple[tuple[str, Fraction], ...] = (
    ("very_common", Fraction(1, 10)),
    ("common", Fraction(1, 100)),
    ("uncommon", Fraction(1, 1000)),
    ("rare", Fraction(1, 10000)),
    ("very_rare", Fraction(0)),
)


@dataclass(frozen=True)
class Figure:
    """One chance, converted to the handout's denominator. All numbers are whole."""

    count: int
    per: int
    low: int | None
    high: int | None
    timeframe: str
    # A key of SCALE: the word printed beside a harm's number. None for a benefit: the
    # scale is the one for side effects (EU SmPC), and "very common" would otherwise
    # mean both 85 in 100 people helped and 10 in 100 harmed in one handout.
    word: str | None
    converted: bool  # the author wrote it with a smaller denominator
    certainty: str | None = None  # how sure the evidence is (content/certainty.py)
    certainty_why: str | None = None  # why, in a patient's words

    @property
    def has_range(self) -> bool:
        return self.low is not None and (self.low, self.high) != (self.count, self.count)

    @property
    def is_zero(self) -> bool:
        return self.count == 0


def denominator(chances: Iterable[Chance]) -> int:
    """The one denominator of a handout: the largest any of its chances uses."""
    return max((c.per for c in chances), default=DEFAULT_DENOMINATOR)


def figure(chance: Chance, per: int, worded: bool = True) -> Figure:
    """Restate `chance` out of `per` people (a multiple of its own denominator);
    `worded`: with the scale's word (a harm's)."""
    factor = per // chance.per
    low, high = chance.range or (None, None)
    return Figure(
        count=chance.count * factor,
        per=per,
        low=None if low is None else low * factor,
        high=None if high is None else high * factor,
        timeframe=chance.timeframe,
        word=scale_word(chance.count, chance.per) if worded else None,
        converted=factor != 1,
        certainty=chance.certainty,
        certainty_why=chance.certainty_why,
    )


def scale_word(count: int, per: int) -> str:
    """The fixed scale's word for count in per. Zero counts as "below 1 in per"."""
    if count == 0:
        # Fewer than 1 in per: the word for the band just below 1 in per.
        rate = Fraction(1, per)
        below = [key for key, threshold in SCALE if threshold < rate]
        return below[0]
    rate = Fraction(count, per)
    return next(key for key, threshold in SCALE if rate >= threshold)
