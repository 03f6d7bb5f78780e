"""Making patients' PDFs in worker processes, so that many desks print at once.

WeasyPrint is pure Python: threads of one process share one core. The app keeps a
pool of worker processes (started with `spawn`: a fresh interpreter that inherits
nothing), each warm: WeasyPrint imported, its fonts loaded, and the content root read
and checked once per change of the files or of the day. A copy is one call: its
request (the aid's file, the options, the patient's details) is pickled over the
worker's pipe and the PDF comes back the same way. Nothing about the patient is ever
in a worker's command line, a file or a log line.

Each worker makes one copy at a time, so a worker that dies (killed, out of memory)
fails only the copy it was making; it is replaced. A copy that takes longer than the
time limit is stopped (its worker killed and replaced). When more copies are waiting
than the limit allows, the next one is refused at once (the app answers "busy").
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import anyio

from ..handout.consult import Consult, InvalidConsult
from ..pipeline.core import check_result, make_copy
from ..pipeline.result import Context
from ..problems import Problem
from ..settings import BuildOptions
from .pool import PoolSettings

READY = "ready"
START_TIMEOUT = 120  # seconds for a worker to start and warm up


class Busy(Exception):
    """Too many copies are waiting: try again in a moment."""


class WorkerFailed(Exception):
    """The worker making this copy died or ran out of time (`reason`: "died" or
    "timeout"); it has been replaced."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CopyJob:
    """One copy to make: everything crosses to the worker in this call only."""

    path: Path  # the aid file
    generation: int  # of the files as the app sees them: a worker re-reads when it changes
    options: BuildOptions  # formats, print size, paper, today
    consult: Consult  # who it is for (health information: this call only)

    def __repr__(self) -> str:  # never print the patient's details by accident
        return f"CopyJob({self.path.name}, generation={self.generation})"


@dataclass(frozen=True)
class CopyOutcome:
    """What came back: the copy's bytes, or why it could not be made."""

    data: bytes | None
    problems: tuple[Problem, ...] = ()
    refused_kind: str | None = None
    file_name: str = ""


# The worker process


@dataclass
class _WorkerState:
    """A worker's content root, read once per generation of the files and per day, and
    each aid's check, made once per generation for each way of making a copy: nothing
    about the patient changes the checks, so the next copy of the same aid, print size
    and paper does not run the whole quality check again."""

    root: Path
    key: tuple[int, Any] = (-1, None)
    ctx: Any = None
    checked: dict[tuple[Path, BuildOptions], Any] = field(default_factory=dict)

    def context(self, job: CopyJob) -> Any:

        key = (job.generation, job.options.today)
        if key != self.key or self.ctx is None:
            self.ctx = Context.open(self.root, BuildOptions(today=job.options.today))
            self.key = key
            self.checked = {}
        return self.ctx

    def make(self, job: CopyJob) -> CopyOutcome:
        ctx = self.context(job)
        loaded, copy_ctx = ctx.content.load(job.path), ctx.with_options(job.options)
        key = (job.path, job.options)
        if key not in self.checked:
            self.checked[key] = check_result(loaded, copy_ctx)
        try:
            result = make_copy(loaded, copy_ctx, job.consult, self.checked[key])
        except InvalidConsult as exc:  # the form refuses these first, with the same validator
            return CopyOutcome(None, (Problem(job.path, 0, "", str(exc), "worker"),))
        if not result.ok:
            return CopyOutcome(None, result.problems, result.refused_kind)
        edition = job.consult.edition(job.options.large_print)
        name = edition.copy_name(result.valid, job.options.formats[0])
        return CopyOutcome(result.copy, file_name=name)


def _serve(conn: Connection, root: Path) -> None:
    """A worker's life: warm up, then make one copy per message until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when to stop
    # in the worker process, which imports WeasyPrint itself (spawn)
    from ..output.pdf import render_pdf
    from ..settings import ContentLayout

    render_pdf("<!DOCTYPE html><html lang=en><title>.</title><p>.</p></html>", ContentLayout(root))
    # The modules a copy needs, imported now rather than on the first copy, which the
    # render timeout would otherwise charge with them.
    from ..pipeline import core as pipeline  # noqa: F401
    from ..quality import check  # noqa: F401

    state = _WorkerState(root)
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(state.make(job))


# The server's side


@dataclass(eq=False)  # each worker is itself (kept in a set)
class _Worker:
    process: BaseProcess
    conn: Connection
    copies: int = 0  # made so far: a worker is retired after PoolSettings.recycle_after

    @classmethod
    def start(cls, root: Path) -> _Worker:
        """Start a worker and wait until it is warm (blocking: run in a thread)."""
        parent, child = multiprocessing.get_context("spawn").Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=_serve, args=(child, root), daemon=True, name="decisionaid-render"
        )
        process.start()
        child.close()
        worker = cls(process, parent)
        try:
            if parent.poll(START_TIMEOUT) and parent.recv() == READY:
                return worker
        except (EOFError, OSError):
            pass
        worker.stop()
        raise WorkerFailed("died")

    def call(self, job: CopyJob, timeout: float) -> CopyOutcome:
        """Send one job and wait for its copy (blocking: run in a thread)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise WorkerFailed("timeout")
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed("died") from exc

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


@dataclass
class RenderPool:
    """`settings.workers` warm workers; at most `settings.max_waiting` copies wait for
    one; a copy that takes more than `settings.timeout` seconds is stopped; a worker is
    replaced after `settings.recycle_after` copies (0: never)."""

    root: Path
    settings: PoolSettings = field(default_factory=PoolSettings)
    _idle: asyncio.Queue[_Worker] = field(default_factory=asyncio.Queue)
    _all: set[_Worker] = field(default_factory=set)
    _waiting: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    async def start(self) -> None:
        """Start the workers in the background; copies wait for the first warm one."""
        for _ in range(self.settings.workers):
            asyncio.get_running_loop().create_task(self._add())

    async def _add(self) -> None:
        try:
            worker = await anyio.to_thread.run_sync(_Worker.start, self.root)
        except (WorkerFailed, OSError, EOFError):
            await asyncio.sleep(1)  # e.g. out of memory now: try again shortly
            if not self._closed:
                asyncio.get_running_loop().create_task(self._add())
            return
        if self._closed:
            worker.stop()
            return
        with self._lock:
            self._all.add(worker)
        self._idle.put_nowait(worker)

    async def make(self, job: CopyJob) -> CopyOutcome:
        """Make one copy in a worker. Raises Busy, or WorkerFailed (then the worker has
        been replaced and the other copies go on)."""
        # A copy that finds an idle worker waits for nothing: `max_waiting` counts only
        # the copies that wait for one (0: none wait, but an idle worker still works).
        if self._idle.empty() and self._waiting >= self.settings.max_waiting:
            raise Busy
        self._waiting += 1
        try:
            worker = await self._idle.get()
        finally:
            self._waiting -= 1
        if not worker.process.is_alive():  # died while idle: replace it, then try again
            self._replace(worker)
            return await self.make(job)
        try:
            # Not abandoned on cancel: a client that goes away still waits for the
            # worker's answer here, so the pipe is left clean for the next copy.
            outcome = await anyio.to_thread.run_sync(worker.call, job, self.settings.timeout)
        except Exception:  # died, out of time, or a job that could not be sent
            self._replace(worker)
            raise
        except BaseException:  # cancelled after the call finished: the worker is fine
            self._done_with(worker)
            raise
        self._done_with(worker)
        return outcome

    def _done_with(self, worker: _Worker) -> None:
        """Back to the idle workers, or, when it has made enough copies, retired."""
        worker.copies += 1
        recycle_after = self.settings.recycle_after
        if recycle_after and worker.copies >= recycle_after:
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        if not self._closed:
            asyncio.get_running_loop().create_task(self._add())

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(w.process.pid for w in self._all if w.process.pid)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
