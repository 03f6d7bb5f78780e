"""`decisionaid build`: make what changed, in parallel, then write each aid's set of
files whole, the catalog and the manifest.

    plan (plan.py: hash the inputs, nothing parsed) ─ make the changed aids
    (worker.py) ─ write each set of files (output.py) ─ catalog (index.py) ─ manifest

An aid whose inputs are as they were is not made again (`force` makes all). The
outputs of an aid that is now blocked, or whose file is gone, are removed (the
manifest says which files the tool wrote), and the catalog lists exactly the aids
whose files are up to date. One failing aid, shared file or disk write is reported
and the rest still build; a signal stops the build with nothing half-written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..output.files import sweep, write_atomic, write_set
from ..output.inputs import Inputs, digest
from ..problems import Problem, counted, display_path
from ..settings import BuildOptions, ContentLayout
from .index import IndexEntry, render_index, write_index
from .interrupts import Interrupts
from .manifest import Journal, Manifest, ManifestEntry, Variant
from .plan import (
    BuildRefused,
    Freshness,
    Shard,
    aid_files,
    make_plan,
    refuse_unsafe_out,
    select,
)

if TYPE_CHECKING:
    from ..quality import AidCheck
    from .worker import Built

__all__ = ["BuildRefused", "BuildReport", "Shard", "build"]

Progress = Callable[[int, int, str], None]  # done, total, the aid just made


@dataclass
class BuildReport:
    built: list[Built] = field(default_factory=list)
    unchanged: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[AidCheck] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # not rebuilt, changed: left out of the index
    tracebacks: list[str] = field(default_factory=list)
    unwritten: list[str] = field(default_factory=list)  # keys whose earlier files stay
    index: Path | None = None
    seconds: float = 0.0

    def check_summary(self) -> str:
        """One line on the quality findings of the aids made (validation problems are
        listed on their own, so they are not counted again)."""
        findings = [f for c in self.checks for f in c.findings if f.code != "invalid"]
        counts = [sum(f.level == level for f in findings) for level in ("error", "warning", "info")]
        met = sum(c.ipdas_met for c in self.checks)
        total = sum(len(c.criteria) for c in self.checks)
        certified = sum(c.certification_met for c in self.checks)
        certification = sum(len(c.certification) for c in self.checks)
        errors, warnings, notes = (
            counted(n, word) for n, word in zip(counts, ("error", "warning", "note"), strict=True)
        )
        unchecked = sum(1 for c in self.checks if not c.criteria)
        skipped = (
            f"; {counted(unchecked, 'aid')} not checked (see the problems)" if unchecked else ""
        )
        return (
            f"Check: {errors}, {warnings}, {notes}; IPDAS {met} of {total} criteria met, "
            f"certification {certified} of {certification}{skipped} (run 'decisionaid check' "
            "for details)"
        )

    def summary(self) -> str:
        """One line: what was built, kept and refused, and how long it took."""
        files = sum(len(b.files) for b in self.built)
        return (
            f"Built {counted(len(self.built), 'aid')} ({counted(files, 'file')}), "
            f"{self.unchanged} unchanged, {self.failed} failed in {self.seconds:.1f} s"
            + (f" → {display_path(self.index)}" if self.index else "")
        )

    @property
    def ok(self) -> bool:
        return not self.problems


def build(
    root: Path,
    options: BuildOptions,
    selectors: tuple[str, ...] = (),
    *,
    jobs: int = 1,
    force: bool = False,
    language: str | None = None,
    progress: Progress | None = None,
    shard: Shard | None = None,
) -> BuildReport:
    """Build the named aids (ids, globs or paths; all of `aids/` by default; only
    `language`'s if given; only `shard`'s share if given) from `root` into
    `options.out`, then the catalog."""
    started = time.perf_counter()
    layout = ContentLayout(root)
    refuse_unsafe_out(layout, options.out)
    sources = aid_files(layout)
    selected = select(layout, sources, selectors)  # UnknownAid before anything is done
    if shard is not None:
        sources = selected = [path for path in selected if shard.takes(path)]
    with Interrupts() as stop:
        sweep(options.out)
        run = _Run.start(layout, options)
        plan = make_plan(run.fresh, run.manifest, sources, selected, language, force)
        if language and not plan.todo and not plan.unchanged:
            raise BuildRefused(f"no aid in the language '{language}' among those named")
        run.report.unchanged, run.report.stale = plan.unchanged, plan.stale
        run.claims = {key: entry.source for key, entry in plan.keep.items()}
        if plan.todo:
            from .worker import makers  # WeasyPrint loads only when there is work

            with makers(layout.root, options, run.inputs.shared, jobs, plan.todo) as made:
                for done, built in enumerate(made, 1):
                    stop.check()
                    run.take(built)
                    if progress:
                        progress(done, len(plan.todo), built.key)
        run.forget_gone()
        run.index()
        run.script()
        run.manifest.content = run.inputs.content
        run.manifest.write()
        run.journal.clear()  # the manifest now says what the journal did
    report = run.report
    report.problems = list(dict.fromkeys(report.problems))
    report.built.sort(key=lambda b: b.key)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Run:
    """One build's state: the manifest as it is being updated, which file holds each
    key this time (`claims`), and the report."""

    layout: ContentLayout
    options: BuildOptions
    inputs: Inputs
    manifest: Manifest
    journal: Journal
    report: BuildReport = field(default_factory=BuildReport)
    claims: dict[str, str] = field(default_factory=dict)  # key → source file

    @classmethod
    def start(cls, layout: ContentLayout, options: BuildOptions) -> _Run:
        """The build's state, with what an interrupted build left finished here."""
        inputs = Inputs(layout, options, glossary=_glossary_reader(layout))
        manifest, journal = Manifest.read(options.out), Journal(options.out)
        run = cls(layout, options, inputs, manifest, journal)
        run.report.removed += journal.replay(manifest)
        return run

    @property
    def fresh(self) -> Freshness:
        return Freshness(self.inputs, self.options)

    def take(self, built: Built) -> None:
        """Record one made aid: write its files, or report why not."""
        report = self.report
        report.checks.append(built.check)
        report.warnings += built.warnings
        if built.traceback:
            report.tracebacks.append(built.traceback)
        source = self.inputs.name(built.path)
        problems = list(built.problems) or self._duplicate(built, source)
        if problems and not _its_own(problems, built.path):
            # Only shared files failed (clinic.yaml, a glossary, a template): the aid
            # is not at fault, so its earlier set stays published, listed as before.
            self._keep_earlier(built, source, problems)
            return
        for key, listed in list(self.manifest.aids.items()):  # an id changed in the file
            if listed.source == source and key != built.key:
                self.forget(key)
        if problems:
            report.problems += problems
            report.failed += 1
            entry = self.manifest.aids.get(built.key)
            if entry is not None and entry.source == source:
                self.forget(built.key)
            return
        unwritten = self._write(built, source) if built.files else []
        if unwritten:  # a full disk: the earlier set stays, listed as before
            self._keep_earlier(built, source, unwritten)
            return
        self.claims[built.key] = source
        report.built.append(built)

    def _keep_earlier(self, built: Built, source: str, problems: list[Problem]) -> None:
        self.report.problems += problems
        self.report.failed += 1
        self.report.unwritten.append(built.key)
        self.claims.setdefault(built.key, source)

    def _duplicate(self, built: Built, source: str) -> list[Problem]:
        """Two files with one id and language (named outside aids/, where the content
        root cannot see them both) would overwrite each other: both are refused."""
        other = self.claims.get(built.key)
        if other is None or other == source:
            return []
        language, _, aid_id = built.key.partition("/")

        def problem(path: str, twin: str) -> Problem:
            message = (
                f"{twin} has the same id '{aid_id}' and language '{language}': the "
                "handouts would overwrite each other; give each aid its own id"
            )
            return Problem(self.layout.root / path, 1, "id", message)

        self.forget(built.key)
        self.claims.pop(built.key)
        self.report.failed += 1
        return [problem(source, other), problem(other, source)]

    def _write(self, built: Built, source: str) -> list[Problem]:
        """Write one aid's files together, and record them; outputs of the same variant
        from an earlier build that this one did not make again are removed. On a write
        error (a full disk) the earlier set stays as it was."""
        out, variant = self.options.out, self.options.variant
        try:
            self.journal.add(built.key, variant, list(built.files))
            write_set(out, built.files)
        except OSError as exc:
            where = display_path(Path(exc.filename)) if exc.filename else display_path(out)
            return [
                Problem(
                    built.path,
                    0,
                    "",
                    f"cannot write {where}: {exc.strerror or exc}",
                    "cannot-write",
                )
            ]
        assert built.listing is not None and built.made is not None
        entry = self.manifest.aids.get(built.key)
        if entry is None or entry.source != source:
            entry = self.manifest.aids[built.key] = ManifestEntry(source, built.listing)
        entry.listing = built.listing
        old = entry.variants.get(variant)
        if old:
            gone = [f for f in old.files if f not in built.files]
            self.report.removed += self.manifest.remove(gone)
        entry.variants[variant] = Variant(sorted(built.files), built.made)
        return []

    def forget(self, key: str) -> None:
        entry = self.manifest.aids.pop(key, None)
        if entry is not None:
            self.report.removed += self.manifest.remove(entry.files())

    def forget_gone(self) -> None:
        """The outputs of aids whose file is gone."""
        for key, entry in list(self.manifest.aids.items()):
            if not (self.layout.root / entry.source).is_file():
                self.forget(key)

    def index(self) -> None:
        """The catalog, from every aid whose files are current; not rewritten when what
        it is made from is unchanged. A broken template is reported; the old one stays."""
        entries = [self._listed(key) for key in sorted(self.claims) if key in self.manifest.aids]
        made_from = [(e.aid.as_json(), sorted(e.files.items())) for e in entries]
        fingerprint = digest(repr((self.inputs.shared, made_from)).encode())
        index = self.options.out / "index.html"
        if fingerprint == self.manifest.index and index.is_file():
            self.report.index = index
            return
        problem = _write_index(self.layout, self.options.out, entries)
        if problem is not None:
            self.report.problems.append(problem)
            return
        self.report.index = index
        self.manifest.files = ["index.html"]
        self.manifest.index = fingerprint

    def script(self) -> None:
        """The handout pages' own script (OUT/handout.js: their quiz and print button),
        beside the catalog, when web pages are built; written only when it differs."""
        # loaded when needed: the command line imports this module at start-up
        from ..handout.render import SCRIPT, script_bytes

        if "html" not in self.options.formats:
            return
        data, path = script_bytes(), self.options.out / SCRIPT
        try:
            if not (path.is_file() and path.read_bytes() == data):
                write_atomic(path, data)
        except OSError as exc:
            self.report.problems.append(
                Problem(
                    path, 0, "", f"cannot write the pages' script: {exc.strerror}", "cannot-write"
                )
            )
            return
        self.manifest.files = sorted({*self.manifest.files, SCRIPT})

    def _listed(self, key: str) -> IndexEntry:
        """An aid in the catalog, with the files of each variant that is up to date
        (all of them when this build could not write its new ones)."""
        entry = self.manifest.aids[key]
        kept = key in self.report.unwritten
        files = [
            name
            for v in entry.variants.values()
            if kept or self.fresh.variant(entry, v, same_options=False)
            for name in v.files
        ]
        return IndexEntry.of(entry.listing, files)


def _its_own(problems: list[Problem], path: Path) -> bool:
    """Whether any problem is in the aid's own file (or is an internal error there)."""
    return any(p.path.absolute() == path.absolute() for p in problems)


def _write_index(layout: ContentLayout, out: Path, entries: list[IndexEntry]) -> Problem | None:
    # loaded when needed: the command line imports this module at start-up
    from jinja2 import TemplateError

    from ..content.root import ContentRoot
    from ..handout.render import Renderer, template_problem

    clinic, _ = ContentRoot(layout).clinic()
    try:
        html = render_index(Renderer(layout, clinic.language), clinic, entries)
    except TemplateError as exc:
        return template_problem(exc)
    try:
        write_index(out, html)
    except OSError as exc:
        return Problem(
            out / "index.html", 0, "", f"cannot write the catalog: {exc.strerror}", "cannot-write"
        )
    return None


def _glossary_reader(layout: ContentLayout):
    """Parses a language's glossary, only when its file changed (see inputs.py)."""

    def read(language: str):
        # loaded when needed: the command line imports this module at start-up
        # loaded when needed: the command line imports this module at start-up
        from ..content.root import ContentRoot

        glossary, problems = ContentRoot(layout).glossary(language)
        return None if problems else glossary

    return read
