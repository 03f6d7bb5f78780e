"""`decisionaid approve`: check an aid as it will be, approved by this person; set its
status; record the approval (signed with the approver's SSH key if asked), in that
order, so that nothing stays changed when a step fails. Registered by cli/review.py."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .review import context_at, echo_out

if TYPE_CHECKING:
    from ..pipeline.result import AidResult, Context

MAX_NAME = 200  # characters of an approver's name and credentials


def approve(
    root: Path, aid_id: str, language: str | None, by: str, debug: bool, key: Path | None = None
) -> None:
    """Check the aid as approved by `by`, set its status, record the approval (signed
    with `key` if given), in that order; nothing stays changed when a step fails."""
    by = _approver(by)
    ctx = context_at(root)
    _refuse_key_in_root(key, ctx)
    loaded = _checked_as_approved(ctx, aid_id, language, by, debug)
    text, edited = _status_edit(ctx, loaded, by)
    try:
        _guard(ctx, loaded)  # before anything is changed
        if edited != text:
            _write(ctx, loaded.path, edited)
        fresh, now, approval, count = _approval(root, loaded.path, by)
        signature = _signature(now.aid, approval, key) if key is not None else None
        if signature is not None and not isinstance(signature, bytes):
            if edited != text:  # signing failed: nothing stays changed
                _write(ctx, loaded.path, text)
            echo_out(f"Not approved: {signature}; nothing was changed.", err=True)
            sys.exit(1)
        recorded, signed = _record(fresh, now.aid, approval, edited, signature)
    except OSError as exc:
        echo_out(f"error: cannot write {exc.filename or root}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    _report(fresh, loaded.path, now.aid, approval, recorded, count)
    if signed is not None:
        _report_signature(fresh, now.aid, recorded, signed)
    elif key is not None:
        echo_out("Not signed: the history changed while approving; approve again.", err=True)


def _approver(by: str) -> str:
    from .common import check_printable

    by = " ".join(by.split())
    if not by or len(by) > MAX_NAME:
        raise click.BadParameter(f"write a name of 1 to {MAX_NAME} characters", param_hint="--by")
    check_printable(by, "--by")
    return by


def _refuse_key_in_root(key: Path | None, ctx: Context) -> None:
    if key is not None and key.resolve().is_relative_to(ctx.layout.root.resolve()):
        raise click.BadParameter(
            "a private key never lives in the content root: keep it in your home folder",
            param_hint="--sign",
        )


def _checked_as_approved(ctx: Context, aid_id: str, language: str | None, by: str, debug: bool):
    """The aid, loaded and checked as it will be: approved, by this person (an approved
    aid is held to every check: each error blocks it, every figure needs a certainty, a
    placeholder in the name is found). Exits 1 with the problems if it falls short."""
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..content.root import Loaded
    from ..pipeline.core import make_aid
    from ..quality.standards import unmet
    from .common import load_one, print_problems

    loaded = load_one(ctx, aid_id, language)
    if loaded.aid is None:
        print_problems(loaded.problems, [])
        echo_out("Not approved: the file is not a valid aid; fix these first.", err=True)
        sys.exit(1)
    candidate = Loaded(
        loaded.path,
        loaded.aid.model_copy(update={"status": "approved", "approved_by": by}),
        loaded.problems,
        loaded.data,
    )
    result = make_aid(candidate, ctx, render=False)
    errors = [p for p in result.problems if not _is_approval(p)]
    errors += [f.as_problem() for f in result.check.errors if f.code != "invalid"]
    short = unmet(result.check.standards)
    if errors or short:
        _refuse(result, list(dict.fromkeys(errors)), short, debug)
    return loaded


def _status_edit(ctx: Context, loaded, by: str) -> tuple[str, str]:
    """The aid file's text now, and with `status: approved` and `approved_by` set."""
    from ..approval.edit import set_approved
    from ..content.load import line_of
    from ..content.reading import Unreadable, read_text
    from ..problems import Problem
    from .common import print_problems

    try:
        text = read_text(loaded.path, ctx.layout.root if _inside(loaded.path, ctx) else None)
        return text, set_approved(text, by)
    except (Unreadable, ValueError) as exc:
        message = exc.message if isinstance(exc, Unreadable) else str(exc)
        line = line_of(loaded.data, ("status",))
        print_problems([Problem(loaded.path, line, "status", message)], [])
        sys.exit(1)


def _guard(ctx: Context, loaded) -> None:
    from ..approval.store import guard

    guard(ctx.layout, loaded.aid.id, loaded.aid.language)


def _write(ctx: Context, path: Path, text: str) -> None:
    from ..output.files import write_atomic

    write_atomic(path, text, ctx.layout.root if _inside(path, ctx) else None)


def _approval(root: Path, path: Path, by: str):
    """The approval of the file as it is now (read afresh, after the status edit): the
    context, the loaded aid, the record to add and its number in the history."""
    from ..approval.state import approval_state
    from ..approval.store import Approval

    fresh = context_at(root)
    now = fresh.content.load(path)
    assert now.aid is not None  # valid before the edit, which set status only
    glossary, _ = fresh.content.glossary(now.aid.language)
    state = approval_state(fresh.content, now, glossary)
    assert state is not None
    approval = Approval(
        by,
        dt.datetime.now().astimezone().replace(microsecond=0),
        state.fingerprint.digest,
        f"{now.aid.id}/{len(state.history) + 1}.yaml",  # the name add_approval gives it
        state.fingerprint.parts,
        {t.term: t.definition for t in _terms(now, glossary)},
        _factor_words(fresh, now),
    )
    return fresh, now, approval, len(state.history) + 1


def _record(ctx: Context, aid, approval, edited: str, signature: bytes | None):
    """Add the approval to the history, and its signature beside it; what was recorded
    and where the signature is (None if unsigned, or the history changed meanwhile)."""
    from ..approval.signature import keep_signature
    from ..approval.store import add_approval

    recorded = add_approval(ctx.layout, aid.id, aid.language, approval, edited.encode("utf-8"))
    signed = None
    if signature is not None and recorded == approval:
        signed = keep_signature(ctx.layout, aid.id, aid.language, recorded, signature)
    return recorded, signed


def _report(ctx: Context, path: Path, aid, approval, recorded, count: int) -> None:
    """What was approved (`approval`) and recorded (`recorded`: the history's own record)."""
    from ..approval.fingerprint import SHORT
    from ..problems import display_path

    history = ctx.layout.approval_file(aid.id, aid.language)
    echo_out(
        f"Approved {display_path(path)} ({aid.id}, {aid.language}) on "
        f"{recorded.on.isoformat()} by {approval.by}: fingerprint {approval.fingerprint[:SHORT]}.\n"
        f"Recorded as approval {count} in {display_path(history)}; a copy of what was "
        f"approved is {display_path(history.parent / recorded.copy)}."
    )


def _signature(aid, approval, key: Path) -> bytes | str:
    """The approval's record signed by `key`, or why it could not be signed."""
    from ..approval.signature import SigningFailed, make_signature, record_bytes

    try:
        return make_signature(record_bytes(aid.id, aid.language, approval), key)
    except SigningFailed as exc:
        return f"{key}: {exc}"


def _report_signature(ctx: Context, aid, approval, path: Path) -> None:
    from ..approval.signature import verify
    from ..problems import display_path, shown

    clinic, _ = ctx.content.clinic()
    found = verify(ctx.layout, aid.id, aid.language, approval, clinic.allowed_signers)
    if found.verified:
        echo_out(
            f"Signed: {display_path(path)}; the signature verifies as "
            f"{shown(found.principal or '')} (clinic.yaml: allowed_signers)."
        )
    else:
        echo_out(
            f"Signed: {display_path(path)}, but the signature does not verify: {found.why}. "
            "Add the approver's public key to the file clinic.yaml's allowed_signers names.",
            err=True,
        )


def _is_approval(problem) -> bool:
    return problem.code == "not-approved"


def _inside(path: Path, ctx: Context) -> bool:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    import os

    return Path(os.path.abspath(path)).is_relative_to(ctx.layout.root)


def _terms(loaded, glossary):
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..content.texts import glossary_terms

    return glossary_terms(loaded.aid, glossary)


def _factor_words(ctx: Context, loaded) -> dict[str, str]:
    factors, _ = ctx.content.factors(loaded.aid.language)
    return {f: factors[f].group for f in loaded.aid.factor_ids() if f in factors}


def _refuse(result: AidResult, errors: list, short: list, debug: bool) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..problems import counted, display_path
    from .common import print_problems

    if errors:
        print_problems(errors, [result.traceback] if debug and result.traceback else [])
    for row in short:
        state = "partly met" if row.met == "partly" else "not met"
        echo_out(
            f"{display_path(result.path)}: IPDAS certification: {row.label} ({state}): "
            f"add {row.missing}",
            err=True,
        )
    reasons = []
    if errors:
        reasons.append(f"{counted(len(errors), 'error')} to fix as an approved aid")
    if short:
        noun = "criterion" if len(short) == 1 else "criteria"
        reasons.append(f"{len(short)} IPDAS certification {noun} not met")
    echo_out(f"Not approved: {' and '.join(reasons)}; nothing was changed.", err=True)
    sys.exit(1)
