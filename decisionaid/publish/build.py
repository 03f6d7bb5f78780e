"""The build: load → validate → enrich → render HTML → write PDF, aid by aid, then the index."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from ..content.models import Aid
from ..content.root import ContentRoot, Loaded
from ..handout.enrich import Handout, enrich
from ..handout.render import render_handout, render_page, template_problem
from ..problems import Problem
from ..quality import AidCheck, check_aid
from .output import write_atomic
from .pdf import html_to_pdf

FORMATS = ("html", "pdf")
# Check errors that stop even a draft from being built.
ALWAYS_BLOCKING = frozenset({"ipdas-options", "ipdas-no-action", "updated-in-future"})


@dataclass
class Built:
    """One aid written to disk."""

    aid: Aid
    handout: Handout
    files: dict[str, Path]


@dataclass
class BuildReport:
    built: list[Built] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[AidCheck] = field(default_factory=list)
    index: Path | None = None
    seconds: float = 0.0

    def check_summary(self) -> str:
        """One line on the quality findings of the aids looked at (validation
        problems are listed on their own, so they are not counted again)."""
        findings = [f for c in self.checks for f in c.findings if f.code != "invalid"]
        counts = {
            level: sum(f.level == level for f in findings) for level in ("error", "warning", "info")
        }
        met = sum(c.ipdas_met for c in self.checks)
        total = sum(len(c.criteria) for c in self.checks)
        return (
            f"Check: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} notes; IPDAS {met} of {total} criteria met "
            "(run 'decisionaid check' for details)"
        )

    @property
    def ok(self) -> bool:
        return not self.problems


def output_path(out: Path, aid: Aid, ext: str) -> Path:
    return out / aid.language / f"{aid.id}.{ext}"


def build(
    root: Path,
    out: Path,
    selectors: tuple[str, ...] = (),
    formats: Iterable[str] = FORMATS,
    today: dt.date | None = None,
    large_print: bool = False,
) -> BuildReport:
    """Build the named aids (all by default) from `root` into `out`, and the index.

    Aids with problems are skipped and reported; the others are still built.
    `large_print` writes `<id>.large.html` and `.large.pdf` in 18 pt type instead.
    """
    started = time.perf_counter()
    content = ContentRoot(root)
    report = BuildReport()
    formats = tuple(f for f in FORMATS if f in set(formats))
    clinic, clinic_problems = content.clinic()
    report.problems += clinic_problems
    broken_glossaries: set[str] = set()
    for path in content.aid_paths(selectors):
        loaded = content.load(path)
        if loaded.aid is None:
            report.problems += loaded.problems
            continue
        glossary, glossary_problems = content.glossary(loaded.aid.language)
        if glossary_problems and loaded.aid.language not in broken_glossaries:
            report.problems += glossary_problems
            broken_glossaries.add(loaded.aid.language)
        quality = check_aid(loaded, glossary, clinic, today)
        report.checks.append(quality)
        errors = blocking(loaded, quality)
        report.problems += errors
        if errors or glossary_problems or clinic_problems:
            continue
        handout = enrich(loaded.aid, clinic, glossary, large_print)
        try:
            files = _write(handout, quality, root, out, formats, report.warnings)
        except TemplateError as exc:
            report.problems.append(template_problem(exc))
            continue
        report.built.append(Built(loaded.aid, handout, files))
    report.index = write_index(content, out, today, {c.id: c for c in report.checks})
    report.seconds = time.perf_counter() - started
    return report


def blocking(loaded: Loaded, quality: AidCheck) -> list[Problem]:
    """What stops an aid from being built: its validation problems, then every check
    error if it is approved (it goes to patients), but only ALWAYS_BLOCKING ones for a
    draft (the others stay on its quality page, and the draft mark on every page)."""
    approved = loaded.aid is not None and loaded.aid.status == "approved"
    return loaded.problems + [
        f.as_problem()
        for f in quality.errors
        if f.code != "invalid" and (approved or f.code in ALWAYS_BLOCKING)
    ]


def _write(
    handout: Handout,
    quality: AidCheck,
    root: Path,
    out: Path,
    formats: tuple[str, ...],
    warnings: list[str],
) -> dict[str, Path]:
    aid = handout.aid
    size = "large." if handout.large_print else ""
    pdf_path = output_path(out, aid, f"{size}pdf")
    html = render_handout(handout, root, pdf_path.name if "pdf" in formats else None)
    files: dict[str, Path] = {}
    # Render everything first, then write: a failure leaves no partial set of files.
    payloads: dict[str, bytes | str] = {}
    if "html" in formats:
        payloads[f"{size}html"] = html
    # The author's quality page sits beside the handout; the handout never links to it.
    payloads["check.html"] = render_page(root, "check.html", c=quality, aid=aid)
    if "pdf" in formats:
        payloads[f"{size}pdf"], messages = html_to_pdf(html, root)
        warnings += [f"{pdf_path.name}: {m}" for m in messages]
    for ext, data in payloads.items():
        files[ext] = output_path(out, aid, ext)
        write_atomic(files[ext], data)
    return files


def write_index(
    content: ContentRoot,
    out: Path,
    today: dt.date | None = None,
    checks: dict[str, AidCheck] | None = None,
) -> Path:
    """`OUT/index.html`: every valid aid of the content root that has been built into
    `out`, with its IPDAS tally and reading grade (`checks` are reused, not redone)."""
    checks = checks or {}
    clinic, _ = content.clinic()
    entries = []
    for path in content.aid_paths():
        loaded = content.load(path)
        if not loaded.ok:
            continue
        files = {
            ext: path.relative_to(out).as_posix() if path.is_file() else None
            for ext in (*FORMATS, "large.pdf", "check.html")
            for path in [output_path(out, loaded.aid, ext)]
        }
        if files["html"] or files["pdf"]:
            glossary, _ = content.glossary(loaded.aid.language)
            quality = checks.get(loaded.aid.id) or check_aid(loaded, glossary, clinic, today)
            entries.append({"aid": loaded.aid, "files": files, "check": quality})
    index = out / "index.html"
    write_atomic(index, render_page(content.root, "index.html", entries=entries, clinic=clinic))
    return index
