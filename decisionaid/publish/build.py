"""`decisionaid build`: make what changed, in parallel, then write each aid's set of
files whole, the catalog and the manifest.

    plan (hash the inputs; nothing parsed) ─ make the changed aids (worker.py)
    ─ write each set of files (output.py) ─ catalog (index.py) ─ manifest

An aid whose inputs are as they were is not made again (`force` makes all). The
outputs of an aid that is now blocked, or whose file is gone, are removed (the
manifest says which files the tool wrote), and the catalog lists exactly the aids
whose files are up to date. One failing aid, template or disk write is reported and
the rest still build; a signal stops the build with nothing half-written.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import Problem, counted, display_path
from ..settings import BuildOptions, ContentLayout
from .index import IndexEntry, render_index, write_index
from .inputs import Inputs, date_flags, digest
from .interrupts import Interrupts
from .manifest import Entry, Manifest, Variant
from .output import sweep, write_set

if TYPE_CHECKING:
    from ..quality import AidCheck
    from .worker import Built

Progress = Callable[[int, int, str], None]  # done, total, the aid just made


class BuildRefused(Exception):
    """Nothing can be built and nothing was touched (a usage error: exit 2)."""


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


@dataclass
class Plan:
    """What a build will do, decided from hashes alone."""

    todo: list[Path]  # to make, largest first
    keep: dict[str, Entry]  # up-to-date outputs, by key (listed in the catalog)
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)


def build(
    root: Path,
    options: BuildOptions,
    selectors: tuple[str, ...] = (),
    *,
    jobs: int = 1,
    force: bool = False,
    language: str | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the named aids (ids, globs or paths; all of `aids/` by default; only
    `language`'s if given) from `root` into `options.out`, then the catalog."""
    started = time.perf_counter()
    layout = ContentLayout(root)
    out = options.out
    refuse_unsafe_out(layout, out)
    sources = aid_files(layout)
    selected = select(layout, sources, selectors)  # UnknownAid before anything is done
    report = BuildReport()
    with Interrupts() as stop:
        sweep(out)
        manifest = Manifest.read(out)
        inputs = Inputs(layout, options, glossary=_glossary_reader(layout))
        plan = _plan(layout, inputs, manifest, sources, selected, language, force, options)
        report.unchanged, report.stale = plan.unchanged, plan.stale
        claims = {key: entry.source for key, entry in plan.keep.items()}
        if plan.todo:
            from .worker import makers  # WeasyPrint loads only when there is work

            with makers(layout.root, options, inputs.shared, jobs, plan.todo) as made:
                for done, built in enumerate(made, 1):
                    stop.check()
                    _take(built, layout, inputs, manifest, options, claims, report)
                    if progress:
                        progress(done, len(plan.todo), built.key)
        for key, entry in list(manifest.aids.items()):
            if not (layout.root / entry.source).is_file():  # the aid's file is gone
                _forget(key, manifest, report)
        _index(layout, inputs, manifest, options, claims, report)
        manifest.write()
    report.problems = list(dict.fromkeys(report.problems))
    report.built.sort(key=lambda b: b.key)
    report.seconds = time.perf_counter() - started
    return report


def refuse_unsafe_out(layout: ContentLayout, out: Path) -> None:
    """Outputs must never be read back as content or templates: OUT may not be inside
    aids/, glossary/, factors/ or templates/, nor hold one of them."""
    target = out.resolve()
    for folder in (layout.aids, layout.glossaries, layout.factors, layout.templates):
        name = folder.relative_to(layout.root).as_posix()
        if target.is_relative_to(folder.resolve()):
            raise BuildRefused(
                f"--out {out} is inside the content folder {name}/: outputs there would be "
                f"read back as content; choose a folder of its own, such as {layout.root / 'out'}"
            )
        if folder.resolve().is_relative_to(target):
            raise BuildRefused(
                f"--out {out} holds the content folder {name}/: removing old outputs "
                f"could touch content; choose a folder of its own, such as {layout.root / 'out'}"
            )


def aid_files(layout: ContentLayout) -> list[Path]:
    """Every aid file of the root; refuses a root without any (a wrong --root would
    otherwise replace a catalog with an empty one)."""
    if not layout.aids.is_dir():
        raise BuildRefused(
            f"{display_path(layout.aids)} does not exist: is {display_path(layout.root)} "
            "a content root? Use --root, or 'decisionaid new ID' to start one"
        )
    files = sorted(layout.aids.glob("*.yaml"))
    if not files:
        raise BuildRefused(
            f"no aid files (*.yaml) in {display_path(layout.aids)}: nothing to build; "
            "'decisionaid new ID' writes one to start from"
        )
    return files


def select(layout: ContentLayout, sources: list[Path], selectors: tuple[str, ...]) -> list[Path]:
    """The files named by ids, globs (`knee-*`) or paths; all when none are named."""
    if not selectors:
        return sources
    from ..content.root import ContentRoot, UnknownAid  # parses nothing; close-match hints

    chosen: list[Path] = []
    for selector in selectors:
        if any(c in selector for c in "*?["):
            found = [p for p in sources if fnmatch.fnmatchcase(p.name.split(".")[0], selector)]
            if not found:
                raise UnknownAid(f"no aid id matches '{selector}' in {display_path(layout.aids)}")
            chosen += found
        else:
            chosen += ContentRoot(layout).aid_paths((selector,))
    return list(dict.fromkeys(p.absolute() for p in chosen))


def _plan(
    layout: ContentLayout,
    inputs: Inputs,
    manifest: Manifest,
    sources: list[Path],
    selected: list[Path],
    language: str | None,
    force: bool,
    options: BuildOptions,
) -> Plan:
    by_source: dict[str, list[str]] = {}
    for key, entry in manifest.aids.items():
        by_source.setdefault(entry.source, []).append(key)
    wanted = {p.absolute() for p in selected}
    plan = Plan([], {})
    for path in dict.fromkeys([*(p.absolute() for p in sources), *wanted]):
        keys = by_source.get(inputs.name(path), [])
        current = [k for k in keys if _current(manifest.aids[k], inputs, options)]
        if path in wanted and _in_language(path, keys, manifest, language):
            if current and not force and len(keys) == 1:
                plan.unchanged += 1
            else:
                plan.todo.append(path)
                continue
        elif keys and not current:
            plan.stale.append(display_path(path))
        for key in keys:
            if _current(manifest.aids[key], inputs, options, same_options=False):
                plan.keep[key] = manifest.aids[key]
    # Largest first, so that the last aid to start is a short one and no worker is
    # left alone at the end. An aid's size predicts its layout time well enough, and
    # keeps the manifest free of timings (two builds write the same bytes).
    plan.todo.sort(key=lambda p: (-p.stat().st_size, p.name))
    return plan


def _current(entry: Entry, inputs: Inputs, options: BuildOptions, *, same_options=True) -> bool:
    """Whether the aid's outputs of this build's variant are up to date (or, for the
    catalog, any variant's)."""
    variants = [entry.variants.get(options.variant)] if same_options else entry.variants.values()
    return any(
        v is not None and _variant_current(entry, v, inputs, options, same_options)
        for v in variants
    )


def _variant_current(
    entry: Entry, variant: Variant, inputs: Inputs, options: BuildOptions, same_options: bool
) -> bool:
    listing = entry.listing
    dates = date_flags(listing.review_by, listing.updated, options.today)
    return inputs.unchanged(variant.made, listing.language, dates, same_options=same_options)


def _in_language(path: Path, keys: list[str], manifest: Manifest, language: str | None) -> bool:
    """Whether an aid is in the language asked for: from its file name (`x.es.yaml`),
    else as last built, else English (the default of an aid without `language`)."""
    if language is None:
        return True
    _, _, named = path.name.removesuffix(".yaml").partition(".")
    if named:
        return named.casefold() == language.casefold()
    if keys:
        return manifest.aids[keys[0]].listing.language.casefold() == language.casefold()
    from ..content.root import ContentRoot

    aid = ContentRoot(ContentLayout(path.parent.parent)).load(path).aid
    return (aid.language if aid else "en").casefold() == language.casefold()


def _take(
    built: Built,
    layout: ContentLayout,
    inputs: Inputs,
    manifest: Manifest,
    options: BuildOptions,
    claims: dict[str, str],
    report: BuildReport,
) -> None:
    """Record one made aid: write its files, or report why not."""
    report.checks.append(built.check)
    report.warnings += built.warnings
    if built.traceback:
        report.tracebacks.append(built.traceback)
    source = inputs.name(built.path)
    problems = list(built.problems) or _duplicate(built, layout, source, claims, manifest, report)
    if problems and not _its_own(problems, built.path):
        # Only shared files failed (clinic.yaml, a glossary, a template): the aid is
        # not at fault, so its earlier set stays published, listed as before.
        _keep_earlier(built, source, problems, claims, report)
        return
    for key, entry in list(manifest.aids.items()):  # an id changed in the file
        if entry.source == source and key != built.key:
            _forget(key, manifest, report)
    if not problems and built.files:
        unwritten = _write(built, source, manifest, options, report)
        if unwritten:  # a full disk: the earlier set stays, listed as before
            _keep_earlier(built, source, unwritten, claims, report)
            return
    if problems:
        report.problems += problems
        report.failed += 1
        entry = manifest.aids.get(built.key)
        if entry is not None and entry.source == source:
            _forget(built.key, manifest, report)
        return
    claims[built.key] = source
    report.built.append(built)


def _its_own(problems: list[Problem], path: Path) -> bool:
    """Whether any problem is in the aid's own file (or is an internal error there)."""
    return any(p.path.absolute() == path.absolute() for p in problems)


def _keep_earlier(
    built: Built, source: str, problems: list[Problem], claims: dict[str, str], report: BuildReport
) -> None:
    report.problems += problems
    report.failed += 1
    report.unwritten.append(built.key)
    claims.setdefault(built.key, source)


def _duplicate(
    built: Built,
    layout: ContentLayout,
    source: str,
    claims: dict[str, str],
    manifest: Manifest,
    report: BuildReport,
) -> list[Problem]:
    """Two files with one id and language would overwrite each other: both are refused."""
    other = claims.get(built.key)
    if other is None or other == source:
        return []
    language, _, aid_id = built.key.partition("/")

    def problem(path: str, other: str) -> Problem:
        message = (
            f"{other} has the same id '{aid_id}' and language '{language}': the handouts "
            "would overwrite each other; give each aid its own id"
        )
        return Problem(layout.root / path, 1, "id", message)

    _forget(built.key, manifest, report)
    claims.pop(built.key)
    report.failed += 1
    return [problem(source, other), problem(other, source)]


def _write(
    built: Built, source: str, manifest: Manifest, options: BuildOptions, report: BuildReport
) -> list[Problem]:
    """Write one aid's files together, and record them; outputs of the same variant
    from an earlier build that this one did not make again are removed. On a write
    error (a full disk) the earlier set stays as it was."""
    try:
        write_set(options.out, built.files)
    except OSError as exc:
        where = display_path(options.out / (exc.filename or next(iter(built.files))))
        return [Problem(built.path, 0, "", f"cannot write {where}: {exc.strerror or exc}")]
    assert built.listing is not None and built.made is not None
    entry = manifest.aids.get(built.key)
    if entry is None or entry.source != source:
        entry = manifest.aids[built.key] = Entry(source, built.listing)
    entry.listing = built.listing
    old = entry.variants.get(options.variant)
    if old:
        report.removed += manifest.remove([f for f in old.files if f not in built.files])
    entry.variants[options.variant] = Variant(sorted(built.files), built.made)
    return []


def _forget(key: str, manifest: Manifest, report: BuildReport) -> None:
    entry = manifest.aids.pop(key, None)
    if entry is not None:
        report.removed += manifest.remove(entry.files())


def _index(
    layout: ContentLayout,
    inputs: Inputs,
    manifest: Manifest,
    options: BuildOptions,
    claims: dict[str, str],
    report: BuildReport,
) -> None:
    """The catalog, from every aid whose files are current; not rewritten when what
    it is made from is unchanged. A broken template is reported; the old one stays."""
    entries = []
    for key in sorted(k for k in claims if k in manifest.aids):
        entry = manifest.aids[key]
        files = [
            name
            for v in entry.variants.values()
            if key in report.unwritten
            or _variant_current(entry, v, inputs, options, same_options=False)
            for name in v.files
        ]
        entries.append(IndexEntry.of(entry.listing, files))
    made_from = [(e.aid.as_json(), sorted(e.files.items())) for e in entries]
    fingerprint = digest(repr((inputs.shared, made_from)).encode())
    index = manifest.out / "index.html"
    if fingerprint == manifest.index and index.is_file():
        report.index = index
        return
    problem = _write_index(layout, manifest.out, entries)
    if problem is not None:
        report.problems.append(problem)
        return
    report.index = index
    manifest.files = ["index.html"]
    manifest.index = fingerprint


def _write_index(layout: ContentLayout, out: Path, entries: list[IndexEntry]) -> Problem | None:
    from jinja2 import TemplateError

    from ..content.root import ContentRoot
    from ..handout.render import Renderer, template_problem

    content = ContentRoot(layout)
    clinic, _ = content.clinic()
    try:
        html = render_index(Renderer(layout, clinic.language), clinic, entries)
    except TemplateError as exc:
        return template_problem(exc)
    try:
        write_index(out, html)
    except OSError as exc:
        return Problem(out / "index.html", 0, "", f"cannot write the catalog: {exc.strerror}")
    return None


def _glossary_reader(layout: ContentLayout):
    """Parses a language's glossary, only when its file changed (see inputs.py)."""

    def read(language: str):
        from ..content.root import ContentRoot

        glossary, problems = ContentRoot(layout).glossary(language)
        return None if problems else glossary

    return read
