"""The staff's pages: the catalog, an aid's page and its preview, the review status,
the live-reload events, the app's own static files and /healthz. Each route reads the
current Site once (state.py) and renders a template; the preview is made in a thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from jinja2 import TemplateError
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse

from ..content.reading import Unreadable, read_bytes
from ..handout.render import SCRIPT, template_problem
from ..pipeline.core import make_preview
from ..pipeline.status import DUE_DAYS
from ..pipeline.status import row as status_row
from ..problems import Problem, printable
from .forms import ConsultForm
from .navigation import holds_meta_http_equiv, meta_problem
from .site import Site, SiteEntry
from .state import state_of

PRIVATE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
SECURITY = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # No address of the app leaves with a request, not even to the app. Under it a
    # browser sends `Origin: null` on the app's own posts: guard.py then goes by
    # `Sec-Fetch-Site`, which browsers send to every HTTPS or loopback address.
    "Referrer-Policy": "no-referrer",
}


def page(
    site: Site, template: str, status: int = 200, private: bool = False, **context
) -> Response:
    """A staff page (templates/app/), with the clinic's name and logo as of `site`."""
    clinic, _ = site.ctx.content.clinic()
    try:
        html = site.renderer.page(
            f"app/{template}",
            clinic=clinic,
            logo=site.ctx.content.logo(),
            generation=site.generation,
            version=site.version,
            **context,
        )
    except TemplateError as exc:  # the clinic's own copy of a staff page is broken
        return broken_template(template_problem(exc))
    if holds_meta_http_equiv(html):  # it could send what was typed elsewhere
        renderer = site.renderer
        return broken_template(
            meta_problem(renderer.layout.templates, renderer.env, f"app/{template}")
        )
    headers = {**SECURITY, **(PRIVATE if private else {})}
    return HTMLResponse(html, status_code=status, headers=headers)


def broken_template(problem: Problem) -> Response:
    """The clinic's own copy of a staff page cannot be shown: why, at its file and line."""
    text = f"{printable(str(problem))}\n(fix the template, or remove it)"
    return PlainTextResponse(text, status_code=500, headers={**SECURITY, **PRIVATE})


def find(site: Site, request: Request) -> SiteEntry | None:
    """The aid the path names (`/{language}/{aid}`), if the Site has it."""
    key = f"{request.path_params['language']}/{request.path_params['aid']}"
    return site.entries.get(key)


def aid_form(site: Site, entry: SiteEntry, form: ConsultForm | None, status: int = 200) -> Response:
    """The aid's page: its status, the form (again, with its errors and what was typed,
    when `form` has errors) and the preview. Never kept by the browser (`no-store`):
    Back after a copy or a note must not bring back the last patient's ticks."""
    return page(
        site,
        "aid.html",
        status=status,
        private=True,
        entry=entry,
        form=form,
        today=site.today.isoformat(),
        factors=site.factors(entry),
        goals=site.goals(entry),
        others=site.others(entry),
    )


async def catalog(request: Request) -> Response:
    """The catalog, searched. The search box posts what was typed (it may be a
    patient's name): a POST body stays out of the address bar, the browser's history
    and the access log, and its answer is not stored. `/?q=` still answers a link."""
    site = state_of(request).site
    posted = request.method == "POST"
    typed = (await request.form()).get("q") if posted else request.query_params.get("q")
    query = (typed if isinstance(typed, str) else "").strip()[:200]
    aids, close = site.search(query)
    return page(
        site,
        "catalog.html",
        private=posted,
        query=query,
        aids=aids,
        close=close,
        total=len(site.aids),
        clinic_problems=site.clinic_problems,
        staff_problems=site.staff_problems,
    )


async def aid_page(request: Request) -> Response:
    site = state_of(request).site
    entry = find(site, request)
    if entry is None:
        return page(site, "missing.html", status=404)
    form = ConsultForm.blank(entry.loaded.aid, site.today) if entry.loaded.aid else None
    return aid_form(site, entry, form)


async def preview(request: Request) -> Response:
    """The generic handout as it is on disk now, or why it cannot be made."""
    state = state_of(request)
    site = state.site
    entry = find(site, request)
    if entry is None:
        return page(site, "missing.html", status=404)
    if not entry.buildable:
        return page(site, "problems.html", entry=entry, problems=entry.result.problems)
    result = await anyio.to_thread.run_sync(
        lambda: make_preview(entry.loaded, site.ctx, entry.result, f"/static/{SCRIPT}"),
        limiter=state.threads,
    )
    if not result.ok:
        return page(site, "problems.html", entry=entry, problems=result.problems)
    return HTMLResponse(result.copy.decode("utf-8"), headers=SECURITY)


async def status(request: Request) -> Response:
    """The review cycle: every aid's approval state and review date (pipeline/status.py),
    each linked to its page at the address the app gives it (a broken file has one too)."""
    site = state_of(request).site
    rows = sorted(
        ((status_row(entry.result, site.today), entry.key) for entry in site.entries.values()),
        key=lambda row: (row[0].id, row[0].language != "en", row[0].language),
    )
    failing = sum(r.failing for r, _ in rows)
    return page(
        site, "status.html", rows=rows, failing=failing, today=site.today, due_days=DUE_DAYS
    )


async def events(request: Request) -> Response:
    """Server-sent events: the Site's generation, each time the files change."""
    watcher = state_of(request).watcher

    async def stream() -> AsyncIterator[str]:
        seen = watcher.site.generation
        yield f"retry: 2000\ndata: {seen}\n\n"
        while not await request.is_disconnected():
            changed = await watcher.wait_for_change(seen, timeout=15)
            if changed:
                seen = watcher.site.generation
                yield f"data: {seen}\n\n"
            else:
                yield ": still here\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream", headers=PRIVATE)


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def static(request: Request) -> Response:
    """The app's own files, and the handout page's script (for the preview): built-in
    files only, never a content root's."""
    name = request.path_params["name"]
    builtin = state_of(request).site.ctx.layout.builtin_templates
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
