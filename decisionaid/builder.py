"""The build: load → validate → enrich → render HTML → write PDF, aid by aid, then the index."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .content import ContentRoot, Loaded
from .handout import Handout, enrich
from .models import Aid
from .output import write_atomic
from .pdf import html_to_pdf
from .problems import Problem
from .render import render_handout, render_page, template_problem

FORMATS = ("html", "pdf")


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
    index: Path | None = None
    seconds: float = 0.0

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
) -> BuildReport:
    """Build the named aids (all by default) from `root` into `out`, and the index.

    Aids with problems are skipped and reported; the others are still built.
    """
    started = time.perf_counter()
    content = ContentRoot(root)
    report = BuildReport()
    formats = tuple(f for f in FORMATS if f in set(formats))
    clinic, problems = content.clinic()
    report.problems += problems
    glossary_reported: set[str] = set()
    for path in content.aid_paths(selectors):
        loaded = content.load(path)
        report.problems += loaded.problems
        if loaded.aid is None or problems:
            continue
        glossary, glossary_problems = content.glossary(loaded.aid.language)
        if glossary_problems:
            if loaded.aid.language not in glossary_reported:
                report.problems += glossary_problems
                glossary_reported.add(loaded.aid.language)
            continue
        handout = enrich(loaded.aid, clinic, glossary)
        try:
            files = _write(handout, root, out, formats, report.warnings)
        except TemplateError as exc:
            report.problems.append(template_problem(exc, root))
            continue
        report.built.append(Built(loaded.aid, handout, files))
    report.index = write_index(content, out)
    report.seconds = time.perf_counter() - started
    return report


def _write(
    handout: Handout, root: Path, out: Path, formats: tuple[str, ...], warnings: list[str]
) -> dict[str, Path]:
    aid = handout.aid
    pdf_path = output_path(out, aid, "pdf")
    html = render_handout(handout, root, pdf_path.name if "pdf" in formats else None)
    files: dict[str, Path] = {}
    # Render everything first, then write: a failure leaves no partial set of files.
    payloads: dict[str, bytes | str] = {}
    if "html" in formats:
        payloads["html"] = html
    if "pdf" in formats:
        payloads["pdf"], messages = html_to_pdf(html, root)
        warnings += [f"{aid.id}.pdf: {m}" for m in messages]
    for ext, data in payloads.items():
        files[ext] = output_path(out, aid, ext)
        write_atomic(files[ext], data)
    return files


def write_index(content: ContentRoot, out: Path) -> Path:
    """`OUT/index.html`: every valid aid of the content root that has been built into `out`."""
    entries = []
    for path in content.aid_paths():
        loaded: Loaded = content.load(path)
        if loaded.aid is None:
            continue
        files = {
            ext: path.relative_to(out).as_posix() if path.is_file() else None
            for ext in FORMATS
            for path in [output_path(out, loaded.aid, ext)]
        }
        if any(files.values()):
            entries.append({"aid": loaded.aid, "files": files})
    clinic, _ = content.clinic()
    index = out / "index.html"
    write_atomic(index, render_page(content.root, "index.html", entries=entries, clinic=clinic))
    return index
