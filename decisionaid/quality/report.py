"""The readable (terminal) form of a check report."""

from __future__ import annotations

from ..problems import counted, display_path
from .check import CheckReport
from .language import language_name
from .reading_level import OVER

__all__ = ["counted", "text_report"]

LABELS = {"error": "Errors", "warning": "Warnings", "info": "Notes"}


def _reading_line(r: dict) -> str:
    """The reading level by each formula made for the aid's language, and what it was
    measured over; or that it was not measured."""
    over = f"{OVER[r['over']]} ({r['words']:,} words)"
    if r.get("formula") == "flesch-kincaid-smog":
        return (
            f"Reading grade {r['grade']}: Flesch-Kincaid grade {r['flesch_kincaid_grade']}, "
            f"SMOG {r['smog_grade']}, {over}; target {r['target']:g} or below "
            f"(the aid's own text: grade {r['aid_text']['grade']})"
        )
    if r.get("formula") == "szigriszt-pazos":
        return (
            f"Reading ease {r['ease']}, {r['band'].replace('_', ' ')}: Szigriszt-Pazos "
            f"perspicuity on the INFLESZ scale, {over}; {r['target']:g} or more is normal "
            f"or easier (the aid's own text: {r['aid_text']['ease']})"
        )
    name = r.get("language_name", "this language")
    return f"Reading level: not measured in {name}: no reading formula for {name} here, {over}"


def _unchecked_line(aid) -> list[str]:
    """The rules that did not run in the aid's language: not a pass."""
    if not aid.unchecked:
        return []
    name = language_name(aid.language)
    return [f"  Not checked in {name} (English-only rules): {', '.join(aid.unchecked)}"]


def _approval_lines(aid) -> list[str]:
    """The approval state, and what changed since the last approval."""
    state = aid.approval
    if state is None:
        return []
    last = state.last
    if state.state == "approved":
        line = f"Approved on {last.on.isoformat()} by {last.by}"
    elif state.state == "changed":
        line = f"Changed since it was approved on {last.on.isoformat()} by {last.by}"
    elif state.state == "unrecorded":
        line = "Marked approved, but no approval is recorded: not approved"
    else:
        line = f"Draft (last approved on {last.on.isoformat()} by {last.by})" if last else "Draft"
    lines = [f"  {line}; fingerprint {state.short}"]
    if aid.diff is not None:
        lines += [f"    - {change}" for change in aid.diff.changes]
    return lines


def _standards_lines(aid) -> list[str]:
    """Per standard: how many of its criteria the content meets, and which not."""
    lines = []
    for framework in dict.fromkeys(row.framework for row in aid.standards):
        rows = [row for row in aid.standards if row.framework == framework]
        met = sum(row.met == "met" for row in rows)
        short = [f"{row.label} ({row.met.replace('_', ' ')})" for row in rows if row.met != "met"]
        tail = f"; not met: {'; '.join(short)}" if short else ""
        lines.append(f"  {framework}: {met} of {len(rows)} criteria met{tail}")
    return lines


def text_report(report: CheckReport) -> str:
    """One block per aid, findings grouped by level, then a summary line."""
    lines: list[str] = [str(p) for p in report.problems]
    for aid in report.aids:
        lines.append(
            f"{display_path(aid.file)} ({aid.id}{', ' + aid.language if aid.language else ''})"
        )
        lines.append(f"  {aid.ipdas_summary}")
        lines += _standards_lines(aid) + _approval_lines(aid)
        if aid.reading:
            lines.append(f"  {_reading_line(aid.reading)}")
        lines += _unchecked_line(aid)
        for level, findings in aid.by_level().items():
            if findings:
                lines.append(f"  {LABELS[level]} ({len(findings)}):")
                lines += [f"    {f}" for f in findings]
        lines.append("")
    for heading, findings in (
        ("Glossary", report.glossary_findings),
        ("Factors", report.factor_findings),
    ):
        if findings:
            lines.append(heading)
            lines += [f"    {f}" for f in findings]
            lines.append("")
    lines.append(
        f"{counted(len(report.aids), 'aid')} checked: {counted(report.count('error'), 'error')}, "
        f"{counted(report.count('warning'), 'warning')}, {counted(report.count('info'), 'note')}."
    )
    return "\n".join(lines)
