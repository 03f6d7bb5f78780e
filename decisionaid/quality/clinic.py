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

from ..content.models import Aid
from ..content.outcomes import AuditFile, differs, wilson
from .findings import Collector


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
            ("options", ref.option.id, "outcomes", item.id),
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
