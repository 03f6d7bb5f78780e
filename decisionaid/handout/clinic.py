"""The clinic's own results beside a published figure, on the handout's one denominator.

Numbers only: the words ("In our clinic (2021–2025): 27 of 212 people — about 13 in 100
(between 9 and 18)") are the templates' (`strings.html`, `ours`).

Two rules decide what is printed (docs/authoring.md, "The clinic's own results"):

- Too few to say: when the 95% Wilson interval is wider than `TOO_WIDE` (20 in 100),
  the figure would tell a patient little, and its middle would read as more certain
  than it is; the handout says how many people were treated and that this is too few.
  (0 of 12: 0 to 24 in 100. 27 of 212: 9 to 18 in 100, shown.) The interval's width,
  not the count, is what decides, so a clinic figure is never shown with more certainty
  than it has.
- Small counts: 1 to 4 events are printed as "fewer than 5", with the interval that
  covers every count from 1 to 4 (wider, never narrower), so that a patient who knows
  of one complication cannot match it to one person. 0 is printed as it is: it names
  nobody. The quality report for staff shows the exact counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from ..content.models import Benefit, Chance
from ..content.outcomes import ClinicOutcomes, published_range, wilson

TOO_WIDE = Fraction(1, 5)  # an interval wider than 20 in 100: too few to say
FEW = 5  # 1 to FEW - 1 events are printed as "fewer than FEW"

# The picture (a dot with its interval over the published band), in SVG units.
WIDTH, HEIGHT, MARGIN = 300, 34, 6


@dataclass(frozen=True)
class Band:
    """Where a picture draws one figure: x positions on its scale."""

    low: float
    high: float
    mid: float

    def for_direction(self, direction: str) -> Band:
        """Drawn from the right in a right-to-left page: the positions mirrored here,
        not by an SVG transform (WeasyPrint draws mirrored pattern fills wrongly)."""
        if direction != "rtl":
            return self
        return Band(WIDTH - self.high, WIDTH - self.low, WIDTH - self.mid)


@dataclass(frozen=True)
class ClinicFigure:
    """One outcome's audited count, restated on the handout's denominator."""

    events: int
    treated: int
    per: int
    count: int  # the middle, rounded to the denominator
    low: int  # the Wilson interval's ends, rounded
    high: int
    too_few: bool
    few: bool  # 1 to 4 events: printed as "fewer than 5"
    years: str  # "2021–2025", or "2025"
    audited_by: str
    audited_on: str  # ISO date
    general: bool = False  # a copy for a group: labelled "for all our patients"
    # The picture: the published range and the clinic's interval on one scale.
    scale: int = 0  # the scale's end, in people out of `per`
    published: Band | None = None
    ours: Band | None = None
    published_count: int | None = None
    published_low: int | None = None
    published_high: int | None = None

    @property
    def fewer_than(self) -> int:
        return FEW

    @property
    def kinds(self) -> tuple[str, ...]:
        """What the key must explain for this figure (handout.html's "How to read")."""
        if self.too_few:
            return ("too_few",)
        return ("figure", "few") if self.few else ("figure",)


def _round(share: float, per: int) -> int:
    return int(Fraction(share).limit_denominator(10**9) * per + Fraction(1, 2))


def too_few(events: int, treated: int) -> bool:
    low, high = wilson(events, treated)
    return Fraction(high - low) > TOO_WIDE


def interval(events: int, treated: int) -> tuple[float, float]:
    """The interval printed: for 1 to 4 events, the one that covers them all."""
    if 0 < events < FEW:
        return wilson(1, treated)[0], wilson(min(FEW - 1, treated), treated)[1]
    return wilson(events, treated)


def clinic_figure(
    audit: ClinicOutcomes,
    option_id: str,
    item: Benefit,
    per: int,
    general: bool = False,
    staff: bool = False,
) -> ClinicFigure | None:
    """The clinic's figure for a benefit or risk of an option (None if not audited).
    `staff`: for the clinic's governance (the quality report, /status): the exact count
    and its own interval, drawn even when too few to print for a patient."""
    found = audit.count(option_id, item.id) if item.id else None
    if found is None:
        return None
    events, treated = found
    low, high = wilson(events, treated) if staff else interval(events, treated)
    figure = ClinicFigure(
        events=events,
        treated=treated,
        per=per,
        count=_round(events / treated, per),
        low=_round(low, per),
        high=_round(high, per),
        too_few=too_few(events, treated),
        few=0 < events < FEW and not staff,
        years=audit.years,
        audited_by=audit.audited_by,
        audited_on=audit.audited_on.isoformat(),
        general=general,
    )
    return _with_picture(figure, item.chance, low, high, drawn=staff)


def _with_picture(
    figure: ClinicFigure, chance: Chance | None, low: float, high: float, drawn: bool
) -> ClinicFigure:
    """The figure with its picture's positions; too few to print for a patient: none,
    unless `drawn` (the staff's pages draw every audited outcome)."""
    if (figure.too_few and not drawn) or chance is None:
        return figure
    p_low, p_mid, p_high = published_range(chance)
    per = figure.per
    top = max(float(p_high), high)
    # The scale ends at the next tenth of the denominator above both (at least a tenth):
    # the same marks whatever the counts, and room for the dot's label.
    step = max(per // 10, 1)
    scale = max(step, int(-(-(top * per * 1.15) // step)) * step)
    scale = min(scale, per)

    def x(share: float) -> float:
        return round(MARGIN + (WIDTH - 2 * MARGIN) * min(share * per / scale, 1.0), 1)

    middle = figure.events / figure.treated if not figure.few else (low + high) / 2
    return replace(
        figure,
        scale=scale,
        published=Band(x(float(p_low)), x(float(p_high)), x(float(p_mid))),
        ours=Band(x(low), x(high), x(middle)),
        published_count=chance.count * (per // chance.per),
        published_low=(chance.range or (chance.count, chance.count))[0] * (per // chance.per),
        published_high=(chance.range or (chance.count, chance.count))[1] * (per // chance.per),
    )
