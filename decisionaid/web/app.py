"""The web app's routes. Thin: each one reads the current Site, calls the pipeline
(in a worker thread for anything that renders a PDF) and renders a template.

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
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import anyio
from jinja2 import TemplateError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from ..content.reading import Unreadable, read_bytes
from ..handout.render import SCRIPT, template_problem
from ..pipeline.core import make_preview
from ..pipeline.notes import make_note
from ..pipeline.status import DUE_DAYS
from ..pipeline.status import row as status_row
from ..problems import printable
from .forms import ConsultForm
from .guard import CrossSiteGuard, HostGuard, Hosts
from .renderer import Busy, CopyJob, RenderPool, WorkerFailed
from .site import Site, SiteEntry
from .watch import Clock, Watcher

PRIVATE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
SECURITY = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": with it a browser sends `Origin: null` on the app's own form
    # posts, which the cross-site check must refuse. Our URLs never hold patient data.
    "Referrer-Policy": "same-origin",
}
PREVIEW_THREADS = 2  # web-page previews made at once (PDFs are made by the workers)
MAX_BODY = 64 * 1024  # the consult form is well under 2 KB; a bigger body is not ours


@dataclass(frozen=True)
class Rendering:
    """How patients' PDFs are made: `workers` processes, each copy stopped after
    `timeout` seconds, at most `max_waiting` copies waiting for a worker, each worker
    replaced by a fresh one after `recycle_after` copies."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    timeout: float = 60.0
    max_waiting: int = 20
    recycle_after: int = 100


def create_app(
    root: Path,
    hosts: Hosts,
    watch: bool = True,
    clock: Clock = dt.date.today,
    rendering: Rendering | None = None,
) -> Starlette:
    """The app for one content root, answering to `hosts`. With `watch`, edits to any
    file under the root make a new Site, and open pages are told to refresh. `clock`
    says what day it is, asked on every request."""
    watcher = Watcher(root.resolve(), clock)
    limiter = anyio.CapacityLimiter(PREVIEW_THREADS)
    rendering = rendering or Rendering()
    pool = RenderPool(
        root.resolve(),
        rendering.workers,
        rendering.timeout,
        rendering.max_waiting,
        rendering.recycle_after,
    )

    def site() -> Site:
        return watcher.site

    def page(template: str, status: int = 200, private: bool = False, **context) -> Response:
        current = site()
        clinic, _ = current.ctx.content.clinic()
        try:
            html = current.renderer.page(
                f"app/{template}",
                clinic=clinic,
                logo=current.ctx.content.logo(),
                generation=current.generation,
                **context,
            )
        except TemplateError as exc:  # the clinic's own copy of a staff page is broken
            text = f"{printable(str(template_problem(exc)))}\n(fix the template, or remove it)"
            return PlainTextResponse(text, status_code=500, headers=SECURITY)
        headers = {**SECURITY, **(PRIVATE if private else {})}
        return HTMLResponse(html, status_code=status, headers=headers)

    def find(request: Request) -> SiteEntry | None:
        key = f"{request.path_params['language']}/{request.path_params['aid']}"
        return site().entries.get(key)

    async def catalog(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[:200]
        entries, close = site().search(query)
        return page(
            "catalog.html",
            query=query,
            entries=entries,
            close=close,
            total=len(site().entries),
            clinic_problems=site().clinic_problems,
            staff_problems=site().staff_problems,
        )

    async def aid_page(request: Request) -> Response:
        entry = find(request)
        if entry is None:
            return page("missing.html", status=404)
        form = ConsultForm.blank(entry.loaded.aid, site().today) if entry.loaded.aid else None
        return aid_form(entry, form)

    def aid_form(entry: SiteEntry, form: ConsultForm | None, status: int = 200) -> Response:
        """The aid's page: its status, the form (again, with its errors and what was
        typed, when `form` has errors) and the preview."""
        return page(
            "aid.html",
            status=status,
            private=status != 200,
            entry=entry,
            form=form,
            factors=site().factors(entry),
            goals=site().goals(entry),
            others=site().others(entry),
        )

    async def preview(request: Request) -> Response:
        """The generic handout as it is on disk now, or why it cannot be made."""
        entry = find(request)
        if entry is None:
            return page("missing.html", status=404)
        if not entry.buildable:
            return page("problems.html", entry=entry, problems=entry.result.problems)
        ctx = site().ctx
        result = await anyio.to_thread.run_sync(
            lambda: make_preview(entry.loaded, ctx, entry.result, f"/static/{SCRIPT}"),
            limiter=limiter,
        )
        if not result.ok:
            return page("problems.html", entry=entry, problems=result.problems)
        return HTMLResponse(result.files["copy"].decode("utf-8"), headers=SECURITY)

    async def submitted(request: Request) -> tuple[SiteEntry, ConsultForm] | Response:
        """The aid and the form a POST names, or the page to answer with instead (the
        form again with its errors and what was typed, or why it cannot be printed)."""
        entry = find(request)
        if entry is None or entry.loaded.aid is None:
            return page("missing.html", status=404)
        form = ConsultForm.read(await request.form(), entry.loaded.aid)
        if form.errors or not entry.printable:
            return aid_form(entry, form, status=400 if form.errors else 409)
        return entry, form

    async def handout(request: Request) -> Response:
        read = await submitted(request)
        if isinstance(read, Response):
            return read
        entry, form = read
        current = site()
        job = CopyJob(
            entry.loaded.path,
            current.generation,
            form.build_options(current.today),
            form.consult(entry.loaded.aid),
        )
        try:
            made = await pool.make(job)
        except Busy:
            return aid_form(entry, replace(form, errors={"form": "busy"}), status=503)
        except WorkerFailed as failed:
            return aid_form(entry, replace(form, errors={"form": failed.reason}), status=503)
        if made.refused_kind is not None:  # the other kinds can still be printed
            refused = replace(form, errors={"kind": f"{made.refused_kind}_unfit"})
            return aid_form(entry, refused, status=409)
        if made.data is None:
            return page("problems.html", status=409, entry=entry, problems=made.problems)
        name = made.file_name
        inline = request.query_params.get("print") == "1"
        disposition = f'{"inline" if inline else "attachment"}; filename="{name}"'
        headers = {**PRIVATE, **SECURITY, "Content-Disposition": disposition}
        return Response(made.data, media_type="application/pdf", headers=headers)

    async def note(request: Request) -> Response:
        read = await submitted(request)
        if isinstance(read, Response):
            return read
        entry, form = read
        note_ctx = site().ctx.with_options(form.build_options(site().today))
        result = make_note(entry.loaded, note_ctx, form.consult(entry.loaded.aid))
        if not result.ok:
            return page("problems.html", status=409, entry=entry, problems=result.problems)
        text = result.files["note"].decode("utf-8")
        return page("note.html", private=True, entry=entry, note=text)

    async def events(request: Request) -> Response:
        """Server-sent events: the Site's generation, each time the files change."""

        async def stream() -> AsyncIterator[str]:
            seen = site().generation
            yield f"retry: 2000\ndata: {seen}\n\n"
            while not await request.is_disconnected():
                changed = await watcher.wait_for_change(seen, timeout=15)
                if changed:
                    seen = site().generation
                    yield f"data: {seen}\n\n"
                else:
                    yield ": still here\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers=PRIVATE)

    async def status(request: Request) -> Response:
        """The review cycle: every aid's approval state and review date (pipeline/status.py)."""
        current = site()
        rows = sorted(
            (status_row(entry.result, current.today) for entry in current.entries.values()),
            key=lambda r: (r.id, r.language != "en", r.language),
        )
        failing = sum(r.failing for r in rows)
        return page(
            "status.html", rows=rows, failing=failing, today=current.today, due_days=DUE_DAYS
        )

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def static(request: Request) -> Response:
        """The app's own files, and the handout page's script (for the preview): built-in
        files only, never a content root's."""
        name = request.path_params["name"]
        builtin = site().ctx.layout.builtin_templates
        files = {
            "app.js": (builtin / "app" / "app.js", "text/javascript"),
            "app.css": (builtin / "app" / "app.css", "text/css"),
            SCRIPT: (builtin / SCRIPT, "text/javascript"),
        }
        if name not in files:
            return PlainTextResponse("not found", status_code=404)
        path, media_type = files[name]
        try:  # through the one guarded reader, like every other file the app serves
            data = read_bytes(path, inside=builtin)
        except Unreadable:
            return PlainTextResponse("not found", status_code=404)
        return Response(data, media_type=media_type, headers=SECURITY)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(watcher.run()) if watch else None
        # Load the aids and their checks now, and start the warm PDF workers, not on
        # the first patient's copy: a receptionist should not wait for start-up.
        warm = asyncio.create_task(anyio.to_thread.run_sync(site().warm_up, limiter=limiter))
        await pool.start()
        yield
        pool.close()
        warm.cancel()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    routes = [
        Route("/", catalog),
        Route("/healthz", healthz),
        Route("/status", status),
        Route("/events", events),
        Route("/static/{name}", static),
        Route("/{language}/{aid}", aid_page),
        Route("/{language}/{aid}/preview", preview),
        Route("/{language}/{aid}/handout", handout, methods=["POST"]),
        Route("/{language}/{aid}/note", note, methods=["POST"]),
    ]

    guards = [
        Middleware(HostGuard, hosts=hosts),
        Middleware(RequestBodyLimitMiddleware, max_body_size=MAX_BODY),
        Middleware(CrossSiteGuard),
    ]
    handlers = {ClientDisconnect: _disconnected}
    return Starlette(
        routes=routes, lifespan=lifespan, middleware=guards, exception_handlers=handlers
    )


async def _disconnected(request: Request, exc: Exception) -> Response:
    """A client that went away before sending its whole form: one log line (method and
    path only, as the access log), not a traceback. Nobody is left to answer."""
    logging.getLogger("uvicorn.error").info(
        "%s %s: the client disconnected before sending the whole request",
        request.method,
        request.url.path,
    )
    return Response(status_code=400)
