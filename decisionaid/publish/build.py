"""`decisionaid build`: make every named aid in memory, then write what passed.

The outputs of an aid that is now blocked, or whose file is gone, are removed (the
manifest says which files the tool wrote), and the catalog lists exactly the aids
that passed in this build, or that are unchanged since they passed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..content.root import ContentRoot
from ..pipeline import AidResult, Context, make_aid
from ..problems import Problem, display_path
from ..quality import AidCheck
from ..quality.report import counted
from ..settings import BuildOptions
from .index import IndexEntry, write_index
from .manifest import Entry, Fingerprints, Manifest, Variant
from .output import write_atomic


@dataclass
class BuildReport:
    built: list[AidResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[AidCheck] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # not rebuilt, changed: left out of the index
    tracebacks: list[str] = field(default_factory=list)
    index: Path | None = None
    seconds: float = 0.0

    def check_summary(self) -> str:
        """One line on the quality findings of the aids looked at (validation
        problems are listed on their own, so they are not counted again)."""
        findings = [f for c in self.checks for f in c.findings if f.code != "invalid"]
        counts = [sum(f.level == level for f in findings) for level in ("error", "warning", "info")]
        met = sum(c.ipdas_met for c in self.checks)
        total = sum(len(c.criteria) for c in self.checks)
        errors, warnings, notes = (
            counted(n, word) for n, word in zip(counts, ("error", "warning", "note"), strict=True)
        )
        unchecked = sum(1 for c in self.checks if not c.criteria)
        skipped = (
            f"; {counted(unchecked, 'aid')} not checked (see the problems)" if unchecked else ""
        )
        return (
            f"Check: {errors}, {warnings}, {notes}; IPDAS {met} of {total} criteria met{skipped} "
            "(run 'decisionaid check' for details)"
        )

    @property
    def ok(self) -> bool:
        return not self.problems


def build(root: Path, options: BuildOptions, selectors: tuple[str, ...] = ()) -> BuildReport:
    """Build the named aids (all of `aids/` by default) from `root` into `options.out`,
    then the index. Aids with problems are reported and their old outputs removed;
    the others are still built."""
    started = time.perf_counter()
    ctx = Context.open(root, options)
    report = BuildReport()
    manifest = Manifest.read(options.out)
    selected = ctx.content.aid_paths(selectors)  # raises UnknownAid before anything is done
    fingerprints = Fingerprints(ctx.layout)
    index: list[IndexEntry] = []
    keys: set[str] = set()
    for path in _considered(ctx.content, selected, manifest):
        result = make_aid(ctx.content.load(path), ctx, render=path in selected)
        keys.add(result.key)
        if path in selected:
            _report(result, report)
        if not result.ok:
            _forget(result.key, manifest, report)
            continue
        fingerprint = fingerprints(path, result.aid.language)
        if result.files:
            _write(result, manifest, options, Variant(fingerprint, sorted(result.files)), report)
            manifest.aids[result.key].source = _source(path, ctx.content.root)
        entry = manifest.aids.get(result.key)
        current = _current_files(entry, fingerprint) if entry else []
        if current:
            index.append(IndexEntry.of(result.aid, result.check, current))
        elif entry:
            report.stale.append(display_path(path))
    for key in set(manifest.aids) - keys:  # the aid's file is gone
        _forget(key, manifest, report)
    report.index = write_index(ctx, index)
    manifest.files = ["index.html"]
    manifest.write()
    report.problems = list(dict.fromkeys(report.problems))
    report.seconds = time.perf_counter() - started
    return report


def _considered(content: ContentRoot, selected: list[Path], manifest: Manifest) -> list[Path]:
    """Every aid of the root, the ones named, and the sources of earlier outputs that
    still exist (to know whether their outputs may stay)."""
    earlier = [content.root / e.source for e in manifest.aids.values()]
    paths = [*content.aid_paths(), *selected, *(p for p in earlier if p.is_file())]
    return list(dict.fromkeys(p.resolve() for p in paths))


def _report(result: AidResult, report: BuildReport) -> None:
    report.checks.append(result.check)
    report.problems += result.problems
    report.warnings += result.warnings
    if result.traceback:
        report.tracebacks.append(result.traceback)


def _write(
    result: AidResult,
    manifest: Manifest,
    options: BuildOptions,
    variant: Variant,
    report: BuildReport,
) -> None:
    """Write one aid's files and record them; outputs of the same variant from an
    earlier build that this one did not make again are removed."""
    for name, data in result.files.items():
        write_atomic(options.out / name, data)
    entry = manifest.aids.setdefault(result.key, Entry(""))
    old = entry.variants.get(options.variant)
    if old:
        report.removed += manifest.remove([f for f in old.files if f not in variant.files])
    entry.variants[options.variant] = variant
    report.built.append(result)


def _source(path: Path, root: Path) -> str:
    """The aid file as the manifest records it: relative to the content root when inside."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _forget(key: str, manifest: Manifest, report: BuildReport) -> None:
    entry = manifest.aids.pop(key, None)
    if entry is not None:
        report.removed += manifest.remove(entry.files())


def _current_files(entry: Entry, fingerprint: str) -> list[str]:
    """The outputs made from the aid as it is now (every variant that is up to date)."""
    return [
        name for v in entry.variants.values() if v.fingerprint == fingerprint for name in v.files
    ]
