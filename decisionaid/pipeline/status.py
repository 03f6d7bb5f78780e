"""The review cycle at a glance: every aid in every language with its approval state,
who approved it and when, when it must be reviewed, and its open errors and warnings.

`decisionaid status` prints it (or `--json`) and exits 1 when any aid marked approved
is overdue for review or no longer approved as it is (changed since, or never
recorded), so a clinic's CI can watch its content; the web app shows it at /status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..problems import display_path
from ..quality.clinic import ClinicRow
from .core import make_all
from .result import AidResult, Context

DUE_DAYS = 60  # a review due within this many days is listed as due
Review = Literal["overdue", "due", "ok"]


@dataclass(frozen=True)
class StatusRow:
    """One aid file in one language, as the review cycle sees it."""

    id: str
    language: str
    file: str
    status: str  # as the file says: draft | approved ("" when it cannot be read)
    state: str  # draft | approved | changed | unrecorded | invalid
    approved_by: str | None
    approved_on: dt.date | None
    approvals: int  # how many approvals the history holds
    fingerprint: str
    review_by: dt.date | None
    review: Review | None
    days: int | None  # until review_by (negative: overdue)
    errors: int
    warnings: int
    # Plain-language rules that did not run in the aid's language: its 0 warnings is no pass.
    not_checked: int = 0
    # Its last approval: unsigned, or signed and verified or not (approval/signature.py).
    signature: str = "unsigned"
    signed_by: str | None = None  # the verified signer, as allowed_signers names them
    # The clinic's own results beside the published ones (quality/clinic.py), to draw.
    clinic: tuple[ClinicRow, ...] = ()

    @property
    def failing(self) -> bool:
        """An aid marked approved that is overdue, or not approved as it is now, or whose
        approval carries a signature that does not verify (it was edited, or the key is
        not an allowed signer's)."""
        return self.status == "approved" and (
            self.state != "approved" or self.review == "overdue" or self.signature == "not verified"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "file": self.file,
            "status": self.status,
            "state": self.state,
            "approved_by": self.approved_by,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "approvals": self.approvals,
            "signature": self.signature,
            "signed_by": self.signed_by,
            "fingerprint": self.fingerprint,
            "review_by": self.review_by.isoformat() if self.review_by else None,
            "review": self.review,
            "days_to_review": self.days,
            "errors": self.errors,
            "warnings": self.warnings,
            "not_checked": self.not_checked,
            "failing": self.failing,
            "clinic_outcomes": [row.as_dict() for row in self.clinic],
        }


def row(result: AidResult, today: dt.date) -> StatusRow:
    aid, check = result.aid, result.check
    state = check.approval
    last = state.last if state else None
    days = (aid.review_by - today).days if aid else None
    review: Review | None = None
    if days is not None:
        review = "overdue" if days < 0 else "due" if days <= DUE_DAYS else "ok"
    errors = check.count("error") or (len(result.problems) if not check.findings else 0)
    return StatusRow(
        id=aid.id if aid else result.path.stem,
        language=aid.language if aid else "",
        file=display_path(result.path),
        status=aid.status if aid else "",
        state=state.state if state and aid else "invalid",
        approved_by=last.by if last else None,
        approved_on=last.on if last else None,
        approvals=len(state.history) if state else 0,
        fingerprint=state.short if state else "",
        review_by=aid.review_by if aid else None,
        review=review,
        days=days,
        errors=errors,
        warnings=check.count("warning"),
        not_checked=len(check.unchecked),
        signature=state.signature.state if state else "unsigned",
        signed_by=state.signature.principal if state and state.signature.verified else None,
        clinic=tuple(check.clinic),
    )


def status_rows(ctx: Context, selectors: tuple[str, ...] = ()) -> list[StatusRow]:
    """Every aid named (all by default), checked as `check` does, as of `ctx`'s today."""
    today = ctx.options.today
    rows = [row(result, today) for result in make_all(ctx, selectors, render=False)]
    return sorted(rows, key=lambda r: (r.id, r.language != "en", r.language))


STATE_WORDS = {
    "draft": "draft",
    "approved": "approved",
    "changed": "changed since approval",
    "unrecorded": "approved, not recorded",
    "invalid": "cannot be read",
}


def text_table(rows: list[StatusRow]) -> str:
    """The rows as an aligned table, then one summary line."""
    header = ("aid", "language", "state", "approved", "review by", "errors", "warnings")
    lines = [header]
    for r in rows:
        approved = f"{r.approved_on.isoformat()} by {r.approved_by}" if r.approved_on else "-"
        if r.approved_on and r.signature != "unsigned":
            approved += f", signature {r.signature}"
        review = "-"
        if r.review_by is not None:
            review = r.review_by.isoformat()
            if r.review == "overdue":
                review += f" (overdue by {-(r.days or 0)} days)"
            elif r.review == "due":
                review += f" (due in {r.days} days)"
        lines.append(
            (r.id, r.language or "-", STATE_WORDS[r.state], approved, review, str(r.errors),
             str(r.warnings))
        )  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
           for line in lines]  # fmt: skip
    out += clinic_lines(rows)
    out.append("")
    out.append(summary(rows))
    return "\n".join(out)


def clinic_lines(rows: list[StatusRow]) -> list[str]:
    """The clinic's own results beside the published ones, an outcome a line, those
    outside the published range said so (the quality report and /status draw them)."""
    lines = []
    for r in rows:
        for c in r.clinic:
            f = c.figure
            label = c.label.rstrip(".")
            line = f"  {r.id} ({r.language}), {c.option}: {label}: {f.events} of {f.treated}"
            line += f" ({f.low} to {f.high} in {f.per})"
            if f.published:
                line += f"; published {f.published_low} to {f.published_high} in {f.per}"
            if c.side:
                line += f"; {c.side} than published"
            lines.append(line)
    return ["", "Our own results (outcomes/), audited counts:", *lines] if lines else []


def summary(rows: list[StatusRow]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    parts = [f"{n} {STATE_WORDS[state]}" for state, n in sorted(counts.items())]
    overdue = sum(1 for r in rows if r.review == "overdue")
    due = sum(1 for r in rows if r.review == "due")
    failing = sum(1 for r in rows if r.failing)
    tail = f"; {overdue} overdue for review, {due} due within {DUE_DAYS} days"
    verdict = (
        f"; {failing} marked approved need attention (overdue, or not approved as they are)"
        if failing
        else ""
    )
    return f"{len(rows)} aid files: {', '.join(parts)}{tail}{verdict}."
