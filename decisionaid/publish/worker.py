"""Making the aids of a build, in this process or in worker processes.

Workers are started with the spawn method (a fresh interpreter that inherits nothing
from the parent, the same on every platform), import WeasyPrint themselves, and
leave Ctrl-C to the parent, which stops them. Each keeps one Context for the whole
build, so templates, catalogs, glossaries and fonts are loaded once per worker. The
work is the same function either way, so `--jobs 1` and `--jobs 2` give the same files.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..content.translated import source_path
from ..output.inputs import Inputs, Made, date_flags, made_from
from ..pipeline.core import make_aid
from ..pipeline.result import Context
from ..problems import Problem
from ..quality import AidCheck
from ..settings import BuildOptions
from .index import Listing


@dataclass(frozen=True)
class Built:
    """One aid as the build needs it back from a worker: small and picklable."""

    path: Path
    key: str
    check: AidCheck
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)
    listing: Listing | None = None
    made: Made | None = None
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def make_for_build(ctx: Context, inputs: Inputs, path: Path) -> Built:
    """Make one aid's files and say what they were made from."""
    loaded = ctx.content.load(path)
    result = make_aid(loaded, ctx)
    built = Built(
        path,
        result.key,
        result.check,
        result.problems,
        result.warnings,
        result.files,
        traceback=result.traceback,
    )
    if not result.ok or result.aid is None or result.handout is None:
        return built
    aid, handout = result.aid, result.handout
    clinic, _ = ctx.content.clinic()
    aid_inputs = made_from(ctx.layout, path, aid, handout.terms)
    # The approval history decides what every page prints (approved, or changed since).
    used = [*aid_inputs.files, ctx.layout.approval_file(aid.id, aid.language)]
    if clinic.logo:
        used.append(ctx.layout.root / clinic.logo)
    source = source_path(path, aid.translation_of)
    if source is not None:
        used.append(source)
    made = inputs.record(
        used,
        aid.language,
        handout.glossary,
        aid_inputs.terms,
        date_flags(aid.review_by, aid.updated, ctx.options.today),
    )
    return Built(
        path,
        result.key,
        result.check,
        (),
        result.warnings,
        result.files,
        Listing.of(aid, result.check),
        made,
    )


@contextmanager
def makers(
    root: Path, options: BuildOptions, shared: str, jobs: int, paths: list[Path]
) -> Iterator:
    """An iterator of `Built` for `paths`, in this process (one job) or in a pool of
    worker processes (results in the order they finish). The pool is stopped on the
    way out, whatever happened."""
    if jobs <= 1 or len(paths) <= 1:
        yield _here(root, options, shared, paths)
        return
    # Workers leave Ctrl-C to the parent from their first instruction: a disposition
    # of "ignore" passes through exec, and Python then installs no handler of its own
    # (else a Ctrl-C while a worker imports prints its traceback).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = multiprocessing.get_context("spawn").Pool(
            min(jobs, len(paths)), initializer=_start_worker, initargs=(root, options, shared)
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        yield pool.imap_unordered(_make_in_worker, paths)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _here(root: Path, options: BuildOptions, shared: str, paths: list[Path]) -> Iterator[Built]:
    ctx = Context.open(root, options)
    inputs = Inputs(ctx.layout, options, shared=shared)
    for path in paths:
        yield make_for_build(ctx, inputs, path)


# A worker process makes many aids with one Context; this is that process's own
# state, set once when it starts (never in the parent).
_worker: tuple[Context, Inputs] | None = None


def _start_worker(root: Path, options: BuildOptions, shared: str) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    ctx = Context.open(root, options)
    _worker = (ctx, Inputs(ctx.layout, options, shared=shared))


def _make_in_worker(path: Path) -> Built:
    assert _worker is not None, "the pool's initializer sets up each worker"
    ctx, inputs = _worker
    return make_for_build(ctx, inputs, path)
