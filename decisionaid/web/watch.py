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

from .site import Site

Clock = Callable[[], dt.date]  # today's date, asked on every request
RECHECK_MS = 2000  # how often the watched folders themselves (and the date) are looked at
log = logging.getLogger("uvicorn.error")  # where the server writes its own lines


class Watcher:
    def __init__(self, root: Path, clock: Clock = dt.date.today) -> None:
        self.root = root
        self.clock = clock
        self._site = Site(root, today=clock())
        self._changed = asyncio.Condition()

    @property
    def site(self) -> Site:
        """The Site of the files as they are and of today (a new one after midnight)."""
        today = self.clock()
        if self._site.today != today:
            self._site = Site(self.root, self._site.generation + 1, today)
        return self._site

    def paths(self) -> list[Path]:
        """What the handouts are made from: aids, glossaries, factors, templates,
        clinic.yaml, the logo, and the approvals (not the whole root, which may hold an
        output folder or a virtualenv)."""
        layout = self.site.ctx.layout
        clinic, _ = self.site.ctx.content.clinic()
        candidates = [layout.aids, layout.glossaries, layout.factors, layout.templates]
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
                if changes or now != paths or self._site.today != self.clock():
                    await self._replace()
                if now != paths:
                    break
            else:
                return

    async def _replace(self) -> None:
        """A new Site, its aids loaded and checked in a thread before it is served:
        pages keep answering from the old one meanwhile, and the event loop (which
        also answers /healthz) never waits for a check."""
        fresh = Site(self.root, self._site.generation + 1, self.clock())
        try:
            await anyio.to_thread.run_sync(fresh.warm_up)
        except Exception:  # a bug in a check: the pages will show it; watching goes on
            log.exception("could not check the changed files ahead of the first request")
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
