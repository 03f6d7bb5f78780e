"""Watching the content root: each change makes a new Site and wakes the pages
waiting for one (server-sent events), so the preview follows every save. A new day
makes a new Site too, so a server left on overnight never serves yesterday. A new
Site is checked in a thread before it is served, never in the event loop."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import anyio
from watchfiles import awatch

from .site import Site, now

# This instant, asked on every request; the clinic's time zone (clinic.yaml) makes it a
# day. A clock that answers a date is taken as the clinic's day (a test's).
Clock = Callable[[], dt.date]
RECHECK_MS = 2000  # how often the watched folders themselves (and the date) are looked at
log = logging.getLogger("uvicorn.error")  # where the server writes its own lines


class Watcher:
    def __init__(self, root: Path, clock: Clock = now) -> None:
        self.root = root
        self.clock = clock
        self._site = Site(root, now=clock())
        self._generation = 0  # of the newest Site made, served or still being checked
        self._changed = asyncio.Condition()
        self._checking: set[asyncio.Task[None]] = set()

    @property
    def site(self) -> Site:
        """The Site of the files as they are and of today (a new one after midnight)."""
        instant = self.clock()
        if self._site.today != self._site.day_of(instant):
            self._site = Site(self.root, self._next_generation(), instant)
        return self._site

    def _next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def paths(self) -> list[Path]:
        """What the handouts are made from: aids, glossaries, factors, the clinic's own
        results (outcomes/), templates, clinic.yaml, the logo, and the approvals (not the
        whole root, which may hold an output folder or a virtualenv)."""
        layout = self.site.ctx.layout
        clinic, _ = self.site.ctx.content.clinic()
        candidates = [layout.aids, layout.glossaries, layout.factors, layout.outcomes]
        candidates.append(layout.templates)
        candidates += [layout.clinic, layout.approvals]
        if clinic.logo:
            candidates.append(layout.root / clinic.logo)
        return [path for path in candidates if path.exists()]

    async def run(self) -> None:
        """A new Site on every change. A watched folder made since (the first approval
        makes approvals/) is noticed within RECHECK seconds, and watched from then on."""
        while True:
            paths = self.paths()
            async for changes in awatch(
                *paths, debounce=300, step=100, rust_timeout=RECHECK_MS, yield_on_timeout=True
            ):
                now = self.paths()
                new_day = self._site.today != self._site.day_of(self.clock())
                new_day = new_day and not self._checking
                if changes or now != paths or new_day:
                    self._check_then_serve()
                if now != paths:
                    break
            else:
                return

    def _check_then_serve(self) -> None:
        """A new Site for the files as they are now, its aids loaded and checked in a
        thread before it is served: pages keep answering from the old one meanwhile,
        the event loop (which also answers /healthz) never waits for a check, and the
        watching goes on at once (a change saved during the check makes a newer Site)."""
        fresh = Site(self.root, self._next_generation(), self.clock())
        task = asyncio.get_running_loop().create_task(self._serve_when_checked(fresh))
        self._checking.add(task)  # held until done: the loop keeps only weak references
        task.add_done_callback(self._checking.discard)

    async def _serve_when_checked(self, fresh: Site) -> None:
        try:
            await anyio.to_thread.run_sync(fresh.warm_up)
        except Exception:  # a bug in a check: the pages will show it; watching goes on
            log.exception("could not check the changed files ahead of the first request")
        if fresh.generation <= self._site.generation:
            return  # a later change was checked and served first
        self._site = fresh
        async with self._changed:
            self._changed.notify_all()

    async def wait_for_change(self, seen: int, timeout: float) -> bool:
        """Wait until the generation is past `seen`; False after `timeout` seconds."""
        if self.site.generation != seen:
            return True
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                return False
        return self.site.generation != seen
