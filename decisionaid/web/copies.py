"""What staff make for one patient: the copy (a PDF, made by a render worker) and the
chart note (made in a thread: its check and template never hold up the event loop,
which answers every desk and /healthz).

Privacy: the patient's fields arrive only in the POST body, go only into the answer
asked for, and every answer that carries them says `Cache-Control: no-store`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import anyio
from starlette.requests import Request
from starlette.responses import Response

from .forms import ConsultForm
from .pages import PRIVATE, SECURITY, aid_form, find, page
from .renderer import Busy, CopyJob, WorkerFailed
from .site import Site, SiteEntry
from .state import WebState, state_of


@dataclass(frozen=True)
class Submitted:
    """A POST for one aid, read once: the app's state, the site as of this request, the
    aid and the form (health information: this request only)."""

    state: WebState
    site: Site
    entry: SiteEntry
    form: ConsultForm


async def submitted(request: Request) -> Submitted | Response:
    """The aid and the form a POST names, or the page to answer with instead (the form
    again with its errors and what was typed, or why it cannot be printed)."""
    state = state_of(request)
    site = state.site
    entry = find(site, request)
    if entry is None:
        return page(site, "missing.html", status=404)
    if entry.loaded.aid is None:  # its file is broken: the page says where, not "no such aid"
        return aid_form(site, entry, None, status=409)
    form = ConsultForm.read(await request.form(), entry.loaded.aid)
    if form.errors or not entry.printable:
        return aid_form(site, entry, form, status=400 if form.errors else 409)
    return Submitted(state, site, entry, form)


async def handout(request: Request) -> Response:
    read = await submitted(request)
    if isinstance(read, Response):
        return read
    state, site, entry, form = read.state, read.site, read.entry, read.form
    job = CopyJob(
        entry.loaded.path,
        site.generation,
        form.build_options(site.today),
        form.consult(entry.result.valid),
    )
    try:
        made = await state.pool.make(job)
    except Busy:
        return aid_form(site, entry, replace(form, errors={"form": "busy"}), status=503)
    except WorkerFailed as failed:
        return aid_form(site, entry, replace(form, errors={"form": failed.reason}), status=503)
    if made.refused_kind is not None:  # the other kinds can still be printed
        refused = replace(form, errors={"kind": f"{made.refused_kind}_unfit"})
        return aid_form(site, entry, refused, status=409)
    if made.data is None:
        return page(site, "problems.html", status=409, entry=entry, problems=made.problems)
    inline = request.query_params.get("print") == "1"
    disposition = f'{"inline" if inline else "attachment"}; filename="{made.file_name}"'
    headers = {**PRIVATE, **SECURITY, "Content-Disposition": disposition}
    return Response(made.data, media_type="application/pdf", headers=headers)


async def note(request: Request) -> Response:
    """The chart note, made in a thread from the check the app keeps for the aid: its
    template never holds up the event loop."""
    read = await submitted(request)
    if isinstance(read, Response):
        return read
    state, site, entry, form = read.state, read.site, read.entry, read.form
    note_ctx = site.ctx.with_options(form.build_options(site.today))
    consult = form.consult(entry.result.valid)
    result = await anyio.to_thread.run_sync(
        lambda: state.make_note(entry.loaded, note_ctx, consult, entry.result),
        limiter=state.threads,
    )
    if not result.ok:
        return page(site, "problems.html", status=409, entry=entry, problems=result.problems)
    text = result.note
    return page(site, "note.html", private=True, entry=entry, note=text)
