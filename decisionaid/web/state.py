"""The web app's state: what lives as long as the app, kept in one typed object on
`app.state.web`, and read by the routes through `state_of(request)`.

Nothing here is a setting frozen at start-up: the Site (the files as they are now, and
today) is asked of the watcher on every request, and clinic.yaml's settings are read
from that Site, so an edit or a new day is seen by the next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import anyio
from starlette.requests import Request

from ..content.root import Loaded
from ..handout.consult import Consult
from ..pipeline.notes import make_note
from ..pipeline.result import AidResult, Context
from .renderer import RenderPool
from .site import Site
from .watch import Watcher

THREADS = 2  # web-page previews and chart notes made at once (PDFs are made by the workers)

NoteMaker = Callable[[Loaded, Context, Consult, AidResult | None], AidResult]


@dataclass
class WebState:
    """The watcher (which makes the current Site), the PDF workers, and the threads that
    make previews and notes off the event loop. `watch`: follow edits to the files."""

    watcher: Watcher
    pool: RenderPool
    threads: anyio.CapacityLimiter
    watch: bool = True
    # What makes a chart note, in one of `threads`. A test wraps it to hold a note
    # while it asks the app for something else.
    make_note: NoteMaker = make_note

    @property
    def site(self) -> Site:
        """The Site of the files as they are now and of today: take it once per request,
        so that no request sees half an edit."""
        return self.watcher.site


def state_of(request: Request) -> WebState:
    return request.app.state.web
