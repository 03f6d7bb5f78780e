"""The clinic's own results against the published figures, for its governance.

`clinic-differs` (a warning at the outcomes file's line): the clinic's whole 95% Wilson
interval lies outside the published range, worse or better. Either is for the clinic's
governance to look at, not for blame: the check says which, in the direction that
matters for the outcome (more of a risk is worse, more of a benefit is better).
`clinic-audit-old`: the audit is older than the aid's own review period (review_by −
updated), so the handout would print counts the clinic has not looked at since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..content.models import Aid
from ..content.outcomes import AuditFile, differs, wilson
from ..handout.clinic import ClinicFigure, clinic_figure
from ..handout.risk import denominator
from .findings import Collector


@dataclass(frozen=True)
class ClinicRow:
    """One audited outcome for the clinic's governance: the quality report and /status
    draw it (a dot with its interval over the published band)."""

    option: str
    label: str
    kind: str  # "benefits" | "risks"
    figure: ClinicFigure  # the exact count and its own interval (staff=True)
    side: str | None  # "higher" | "lower" than the published range, or None

    def as_dict(self) -> dict[str, Any]:
        f = self.figure
        return {
            "option": self.option,
            "outcome": self.label,
            "events": f.events,
            "treated": f.treated,
            "wilson_95": [round(end, 4) for end in wilson(f.events, f.treated)],
            "interval": [f.low, f.high],  # the same, rounded to the handout's denominator
            "per": f.per,
            "published": [f.published_low, f.published_high] if f.published else None,
            "differs": self.side,
        }


def clinic_rows(aid: Aid, found: AuditFile | None) -> list[ClinicRow]:
    """Every audited outcome of the aid with its published figure, in handout order."""
    if found is None:
        return []
    per = denominator(aid.chances())
    rows = []
    for ref in aid.outcomes():
        figure = clinic_figure(found.audit, ref.option.id, ref.item, per, staff=True)
        if figure is None:
            continue
        chance = ref.item.chance
        side = differs(figure.events, figure.treated, chance) if chance else None
        rows.append(ClinicRow(ref.option.id, ref.label, ref.kind, figure, side))
    return rows


def clinic_results(aid: Aid, found: AuditFile | None, today: dt.date, c: Collector) -> None:
    """Add the findings about the aid's outcomes file (at its lines) to `c`."""
    if found is None:
        return
    audit = found.audit
    here = Collector(aid.id, found.path, found.data)
    for ref in aid.outcomes():
        item, chance = ref.item, ref.item.chance
        counted = audit.count(ref.option.id, item.id) if item.id else None
        if counted is None or chance is None:
            continue
        events, treated = counted
        side = differs(events, treated, chance)
        if side is None:
            continue
        worse = (side == "higher") == (ref.kind == "risks")
        low, high = wilson(events, treated)
        published = f"{chance.count} in {chance.per}"
        if chance.range:
            published += f" ({chance.range[0]} to {chance.range[1]})"
        here.add(
            "warning",
            "clinic-differs",
            f"'{ref.label}' for '{ref.option.id}': our clinic's {events} of {treated} "
            f"(95% interval {low:.1%} to {high:.1%}) is {side} than the published "
            f"{published}: {'worse' if worse else 'better'} than published. For the "
            "clinic's governance to review (the case mix, the counting, the technique), "
            "not for blame",
            ("options", ref.option.id, "outcomes", item.id or ""),
        )
    period = aid.review_by - aid.updated
    if period.days > 0 and today - audit.audited_on > period:
        here.add(
            "warning",
            "clinic-audit-old",
            f"audited_on {audit.audited_on.isoformat()} is older than the aid's review "
            f"period ({period.days} days, from updated to review_by): audit the counts "
            "again, or remove the file so that old figures are not printed",
            ("audited_on",),
        )
    c.findings.extend(here.findings)
