"""`decisionaid check`: every aid against IPDAS, reading level and plain language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..approval.diff import Diff
from ..approval.state import ApprovalState
from ..content.glossary import Glossary
from ..content.models import Aid, Clinic, canonical_language
from ..content.outcomes import AuditFile
from ..content.root import ContentRoot, Loaded
from ..content.texts import TextItem, patient_texts
from ..problems import Problem, display_path
from .approval import approval_findings
from .balance import balance
from .chances import chances
from .clinic import ClinicRow, clinic_results, clinic_rows
from .emergency import emergency
from .expectations import expectation_criteria, expectations
from .findings import LEVELS, Collector, Finding, Level
from .ipdas import Criterion, ipdas, quality
from .language import ENGLISH_ONLY_AID_RULES, not_checked, plain_language
from .placeholders import placeholders
from .reading_level import reading
from .standards import IPDAS, Standard, standards
from .summary_fit import SummaryPage, summary_fit
from .translation import translation


@dataclass
class AidCheck:
    """The quality report of one aid."""

    id: str
    language: str
    file: Path
    findings: list[Finding] = field(default_factory=list)
    reading: dict[str, Any] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)  # IPDAS certification, NICE
    approval: ApprovalState | None = None  # draft, approved or changed since approval
    diff: Diff | None = None  # what changed since the last approval
    # The rules that did not run in the aid's language (they exist for English only).
    unchecked: list[str] = field(default_factory=list)
    clinic: list[ClinicRow] = field(default_factory=list)  # the clinic's own results

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def ipdas_met(self) -> int:
        return sum(c.met for c in self.criteria)

    @property
    def certification(self) -> list[Standard]:
        """The IPDAS certification criteria an aid file can show (quality/standards.py)."""
        return [row for row in self.standards if row.framework == IPDAS]

    @property
    def certification_met(self) -> int:
        return sum(row.met == "met" for row in self.certification)

    @property
    def ipdas_summary(self) -> str:
        """The criteria the check requires beside the certification criteria: a tally of
        the first alone ("17 of 17") read as if the aid met IPDAS while it did not."""
        if not self.criteria:
            return "IPDAS: not checked (the file is not valid)"
        unmet = [c.label for c in self.criteria if not c.met]
        tail = f"; not met: {'; '.join(unmet)}" if unmet else ""
        return (
            f"IPDAS: {self.ipdas_met} of {len(self.criteria)} machine-checkable criteria met; "
            f"certification: {self.certification_met} of {len(self.certification)} met{tail}"
        )

    def by_level(self) -> dict[str, list[Finding]]:
        return {level: [f for f in self.findings if f.level == level] for level in LEVELS}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "file": display_path(self.file),
            "reading": self.reading,
            "ipdas": {
                "met": self.ipdas_met,
                "total": len(self.criteria),
                "criteria": [
                    {"code": c.code, "label": c.label, "group": c.group, "met": c.met}
                    for c in self.criteria
                ],
            },
            "certification": {
                "met": self.certification_met,
                "total": len(self.certification),
            },
            "standards": [row.as_dict() for row in self.standards],
            "not_checked": self.unchecked,
            "clinic_outcomes": [row.as_dict() for row in self.clinic],
            "approval": self.approval_dict(),
            "summary": {level: self.count(level) for level in LEVELS},
            "findings": [f.as_dict() for f in sorted(self.findings, key=_order)],
        }

    def approval_dict(self) -> dict[str, Any] | None:
        state = self.approval
        if state is None:
            return None
        last = state.last
        return {
            "state": state.state,
            "fingerprint": state.fingerprint.digest,
            "approved_by": last.by if last else None,
            "approved_at": last.at.isoformat() if last else None,
            "approvals": len(state.history),
            "changes": [str(change) for change in self.diff.changes] if self.diff else [],
        }


@dataclass(frozen=True)
class CheckInput:
    """Everything the checks of one aid read, gathered once by the pipeline
    (pipeline/core.py `check_result`)."""

    loaded: Loaded
    glossary: Glossary
    clinic: Clinic
    today: dt.date
    glossary_problems: tuple[Problem, ...] = ()  # the glossary's and factors' own
    source: Loaded | None = None  # the aid a translation translates
    # The aid's one-page summaries, rendered on demand, for the check that they fit.
    summaries: Callable[[Aid], list[SummaryPage]] | None = None
    approval: ApprovalState | None = None
    diff: Diff | None = None  # what changed since approval
    history: Path | None = None  # the approval history's file
    handout_html: str | None = None  # the rendered handout: the reading level's words
    audit: AuditFile | None = None  # the clinic's own results (outcomes/<id>.yaml), if valid

    @property
    def aid(self) -> Aid:
        assert self.loaded.aid is not None  # the checks run on a valid aid only
        return self.loaded.aid


# One signature for every check: what it reads, and where it says what it found.
Check = Callable[[CheckInput, Collector], None]
CHECKS: tuple[Check, ...] = (
    lambda i, c: quality(i.aid, c),
    lambda i, c: expectations(i.aid, i.clinic, c),
    lambda i, c: emergency(i.aid, c),
    lambda i, c: balance(i.aid, c),
    lambda i, c: chances(i.aid, c),
    lambda i, c: placeholders(i.aid, c),
    lambda i, c: summary_fit(i.aid, c, i.summaries(i.aid) if i.summaries else ()),
    lambda i, c: translation(i.loaded, i.source, c),
    lambda i, c: _freshness(i.aid, c, i.today),
    lambda i, c: approval_findings(i.aid, i.approval, i.history, c) if i.history else None,
    # Once per aid: a translation shares its source's outcomes file.
    lambda i, c: clinic_results(i.aid, i.audit, i.today, c) if i.source is None else None,
)


def check_aid(given: CheckInput) -> AidCheck:
    """Check one loaded aid. Validation problems become `invalid` errors; the CHECKS run
    whenever the file had the right shape, and the report gathers what they measured."""
    loaded, aid = given.loaded, given.loaded.aid
    report = AidCheck(
        id=aid.id if aid else loaded.path.stem,
        language=aid.language if aid else "",
        file=loaded.path,
    )
    c = Collector(report.id, loaded.path, loaded.data)
    for problem in (*loaded.problems, *given.glossary_problems):
        c.add_problem(problem)
    if aid is not None:
        report.criteria = ipdas(aid, c) + expectation_criteria(aid)
        for run in CHECKS:
            run(given, c)
        clinic = given.clinic
        report.unchecked = [
            *plain_language(patient_texts(aid), given.glossary, clinic.jargon, aid.language, c),
            *not_checked(ENGLISH_ONLY_AID_RULES, aid.language, c),
        ]
        report.reading = reading(aid, clinic, c, given.handout_html)
        report.standards = standards(aid)
        report.clinic = clinic_rows(aid, given.audit)
    report.approval, report.diff = given.approval, given.diff
    report.findings = sorted(c.findings, key=_order)
    return report


def _order(f: Finding) -> tuple:
    return (LEVELS.index(f.level), str(f.file), f.line, f.code)


def _freshness(aid: Aid, c: Collector, today: dt.date) -> None:
    if aid.review_by < today:
        level: Level = "error" if aid.status == "approved" else "warning"
        c.add(
            level,
            "review-overdue",
            f"review_by {aid.review_by.isoformat()} has passed; review the content, then "
            "set new updated and review_by dates",
            ("review_by",),
        )
    if aid.updated > today:
        c.add(
            "error",
            "updated-in-future",
            f"updated {aid.updated.isoformat()} is in the future",
            ("updated",),
        )


@dataclass
class CheckReport:
    aids: list[AidCheck] = field(default_factory=list)
    glossary_findings: list[Finding] = field(default_factory=list)
    factor_findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # clinic.yaml, internal errors
    tracebacks: list[str] = field(default_factory=list)  # of internal errors, for --debug

    @property
    def findings(self) -> list[Finding]:
        return (
            [f for a in self.aids for f in a.findings]
            + self.glossary_findings
            + self.factor_findings
        )

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level) + (
            len(self.problems) if level == "error" else 0
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "aids": [a.as_dict() for a in self.aids],
            "glossary": [f.as_dict() for f in self.glossary_findings],
            "factors": [f.as_dict() for f in self.factor_findings],
            "problems": [str(p) for p in self.problems],
            "summary": {level: self.count(level) for level in LEVELS},
        }


def unused_terms(content: ContentRoot) -> list[Finding]:
    """Glossary terms that no aid of the content root uses."""
    findings: list[Finding] = []
    by_language: dict[str, list[str]] = {}
    for path in content.aid_paths():
        aid = content.load(path).aid
        if aid is not None:
            by_language.setdefault(aid.language, []).extend(t.text for t in patient_texts(aid))
    for language, texts in sorted(by_language.items()):
        glossary, problems = content.glossary(language)
        if problems:
            continue
        used = set(glossary.used_in(texts))
        path = content.layout.glossary_file(language)
        data = content.glossary_data(language)
        c = Collector(f"glossary/{language}", path, data)
        for i, term in enumerate(glossary.terms):
            if term not in used:
                c.add(
                    "info",
                    "unused-term",
                    f"'{term.term}' is defined but no aid uses it",
                    (i, "term"),
                )
        findings += c.findings
    return findings


def _language_or_none(stem: str) -> str | None:
    """A factors file's language in its canonical case; None for a name that is not one."""
    try:
        return canonical_language(stem)
    except ValueError:
        return None


def unused_factors(content: ContentRoot) -> list[Finding]:
    """Patient factors that no aid gives a figure for (a note), and the factor files'
    own problems."""
    used: dict[str, set[str]] = {}
    for path in content.aid_paths():
        aid = content.load(path).aid
        if aid is not None:
            used.setdefault(aid.language, set()).update(aid.factor_ids())
    findings: list[Finding] = []
    folder = content.layout.factors
    stems = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
    languages = list(dict.fromkeys(filter(None, map(_language_or_none, stems))))
    for language in languages:
        factors, problems = content.factors(language)
        path = content.layout.factors_file(language)
        c = Collector(f"factors/{language}", path, content.factors_data(language))
        for problem in problems:
            c.add_problem(problem)
        # The group's words stand in the patient's sentences ("For people who ..."):
        # they get the same plain-language checks as the aids' own text.
        items = [TextItem("factors", (i, "group"), f.group) for i, f in enumerate(factors.values())]
        clinic, _ = content.clinic()
        plain_language(items, content.glossary(language)[0], clinic.jargon, language, c)
        for i, factor in enumerate(factors.values()):
            if factor.id not in used.get(language, set()):
                c.add(
                    "info",
                    "unused-factor",
                    f"factor '{factor.id}' is defined but no aid gives a figure for it",
                    (i, "id"),
                )
        findings += c.findings
    return findings
