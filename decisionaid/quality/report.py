"""The readable (terminal) form of a check report."""

from __future__ import annotations

from ..problems import counted, display_path
from .check import CheckReport

__all__ = ["counted", "text_report"]

LABELS = {"error": "Errors", "warning": "Warnings", "info": "Notes"}


def _reading_line(r: dict) -> str:
    """The reading level by the formula made for the aid's language, if there is one."""
    if r.get("formula") == "flesch-kincaid-smog":
        return (
            f"Reading grade {r['grade']} (Flesch-Kincaid {r['flesch_kincaid_grade']}, "
            f"SMOG {r['smog_grade']}); target {r['target']:g} or below"
        )
    if r.get("formula") == "fernandez-huerta":
        return f"Reading ease {r['ease']} (Fernández-Huerta; 60 or more reads easily)"
    return f"Reading level: no formula for this language ({r['words']} words)"


def text_report(report: CheckReport) -> str:
    """One block per aid, findings grouped by level, then a summary line."""
    lines: list[str] = [str(p) for p in report.problems]
    for aid in report.aids:
        lines.append(
            f"{display_path(aid.file)} ({aid.id}{', ' + aid.language if aid.language else ''})"
        )
        lines.append(f"  {aid.ipdas_summary}")
        if aid.reading:
            lines.append(f"  {_reading_line(aid.reading)}")
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
