"""The web app: its routes, its guards and its life (start-up and shutdown). Thin: the
routes are module-level functions (pages.py for the staff's pages, copies.py for what
is made for a patient) that read the app's state (state.py) from the request.

Privacy: patient fields arrive only in POST bodies, go only into the response asked
for, and every response that carries them says `Cache-Control: no-store`. Nothing
here logs a request body; uvicorn's access log holds the client address, method, path
and status.

Every request passes guard.py first: a Host that is not this server's (DNS
rebinding) gets 400, a body over MAX_BODY bytes 413, a form posted from another
site 403.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from . import copies, pages
from .guard import CrossSiteGuard, HostGuard, Hosts
from .pool import PoolSettings
from .renderer import RenderPool
from .site import now
from .state import THREADS, WebState
from .watch import Clock, Watcher

MAX_BODY = 64 * 1024  # the consult form is well under 2 KB; a bigger body is not ours

ROUTES = [
    Route("/", pages.catalog, methods=["GET", "POST"]),
    Route("/healthz", pages.healthz),
    Route("/status", pages.status),
    Route("/events", pages.events),
    Route("/static/{name}", pages.static),
    Route("/{language}/{aid}", pages.aid_page),
    Route("/{language}/{aid}/preview", pages.preview),
    Route("/{language}/{aid}/handout", copies.handout, methods=["POST"]),
    Route("/{language}/{aid}/note", copies.note, methods=["POST"]),
]


def create_app(
    root: Path,
    hosts: Hosts,
    watch: bool = True,
    clock: Clock = now,
    pool: PoolSettings | None = None,
) -> Starlette:
    """The app for one content root, answering to `hosts`. With `watch`, edits to any
    file under the root make a new Site, and open pages are told to refresh. `clock`
    says what instant it is (clinic.yaml's time zone makes it a day), asked on every
    request; `pool`: how PDFs are made."""
    guards = [
        Middleware(HostGuard, hosts=hosts),
        Middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY),
        Middleware(CrossSiteGuard, hosts=hosts),
    ]
    app = Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        middleware=guards,
        exception_handlers={ClientDisconnect: _disconnected},
    )
    app.state.web = WebState(
        watcher=Watcher(root.resolve(), clock),
        pool=RenderPool(root.resolve(), pool or PoolSettings()),
        threads=anyio.CapacityLimiter(THREADS),
        watch=watch,
    )
    return app


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    state: WebState = app.state.web
    task = asyncio.create_task(state.watcher.run()) if state.watch else None
    # Load the aids and their checks now, and start the warm PDF workers, not on the
    # first patient's copy: a receptionist should not wait for start-up.
    warm = asyncio.create_task(anyio.to_thread.run_sync(state.site.warm_up, limiter=state.threads))
    await state.pool.start()
    yield
    state.pool.close()
    warm.cancel()
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _disconnected(request: Request, exc: Exception) -> Response:
    """A client that went away before sending its whole form: one log line (method and
    path only, as the access log), not a traceback. Nobody is left to answer."""
    logging.getLogger("uvicorn.error").info(
        "%s %s: the client disconnected before sending the whole request",
        request.method,
        request.url.path,
    )
    return Response(status_code=400)
