"""The review commands: `approve`, `diff` and `status`, registered into the command line
by cli/ (`register(main)`). Like every command they are thin: they parse arguments,
call the library and print; nothing is imported until a command runs.

    decisionaid approve AID --by "Dr. Ada Brook, FRCS"   check it, then record who
                                                          approved which exact version
    decisionaid diff AID                                  what changed since, in words
    decisionaid status [--json]                           every aid's state and review date
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..pipeline.core import AidResult, Context

MAX_NAME = 200  # characters of an approver's name and credentials


def register(main: click.Group) -> None:
    """Add `approve`, `diff` and `status` to the command group (called by cli/, once
    its shared options exist)."""
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from .common import DEBUG_OPTION, ROOT_OPTION

    language = click.option(
        "--language",
        metavar="TAG",
        help="The aid in this language (a translation, e.g. es). Default: AID's own file.",
    )

    @main.command("approve")
    @click.argument("aid_id", metavar="AID")
    @ROOT_OPTION
    @language
    @click.option(
        "--by",
        "by",
        required=True,
        metavar="NAME",
        help='Who approves it, with credentials: --by "Dr. Ada Brook, FRCS".',
    )
    @click.option(
        "--sign",
        "key",
        metavar="KEY",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Sign the approval with this private SSH key (ssh-keygen -Y sign; kept outside "
        "the content root). clinic.yaml's allowed_signers file verifies it.",
    )
    @DEBUG_OPTION
    def approve_command(
        aid_id: str, root: Path, language: str | None, by: str, key: Path | None, debug: bool
    ) -> None:
        """Approve AID as it is now: check it as an approved aid (refused, exit 1, with
        every error listed, unless it is clean and meets the IPDAS certification
        criteria content can show), then set status and approved_by in its file and add
        the approval (who, when, the fingerprint of everything its handout is made
        from, a copy) to approvals/ in the content root. With --sign, the approval's
        record is signed with the approver's SSH key (approvals/LANG/AID/N.json.sig)."""
        approve(root, aid_id, language, by, debug, key)

    @main.command("diff")
    @click.argument("aid_id", metavar="AID")
    @ROOT_OPTION
    @language
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
    def diff_command(aid_id: str, root: Path, language: str | None, as_json: bool) -> None:
        """Say in words what changed in AID (and the glossary entries, factors, pictures,
        clinic settings, templates and messages it uses) since it was last approved.
        Exit 0: nothing changed (or never approved); 1: it changed."""
        diff(root, aid_id, language, as_json)

    @main.command("status")
    @click.argument("aids", nargs=-1)
    @ROOT_OPTION
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
    def status_command(aids: tuple[str, ...], root: Path, as_json: bool) -> None:
        """Every aid in every language: draft, approved or changed since approval, who
        approved it and when, when it must be reviewed (overdue, or due within 60 days),
        its open errors and warnings. Exit 1 when any aid marked approved is overdue or
        no longer approved as it is (for a clinic's CI)."""
        status(root, aids, as_json)


def _echo(message: str = "", err: bool = False) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from .common import echo

    echo(message, err)


def _context(root: Path) -> Context:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.core import Context
    from ..settings import BuildOptions

    return Context.open(root, BuildOptions(formats=("html",), today=dt.date.today()))


def approve(
    root: Path, aid_id: str, language: str | None, by: str, debug: bool, key: Path | None = None
) -> None:
    """Check the aid as approved by `by`, set its status, record the approval (signed
    with `key` if given), in that order; nothing stays changed when a step fails."""
    by = _approver(by)
    ctx = _context(root)
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
            _echo(f"Not approved: {signature}; nothing was changed.", err=True)
            sys.exit(1)
        recorded, signed = _record(fresh, now.aid, approval, edited, signature)
    except OSError as exc:
        _echo(f"error: cannot write {exc.filename or root}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    _report(fresh, loaded.path, now.aid, approval, recorded, count)
    if signed is not None:
        _report_signature(fresh, now.aid, recorded, signed)
    elif key is not None:
        _echo("Not signed: the history changed while approving; approve again.", err=True)


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
        _echo("Not approved: the file is not a valid aid; fix these first.", err=True)
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

    fresh = _context(root)
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
    _echo(
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
        _echo(
            f"Signed: {display_path(path)}; the signature verifies as "
            f"{shown(found.principal or '')} (clinic.yaml: allowed_signers)."
        )
    else:
        _echo(
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
        _echo(
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
    _echo(f"Not approved: {' and '.join(reasons)}; nothing was changed.", err=True)
    sys.exit(1)


def diff(root: Path, aid_id: str, language: str | None, as_json: bool) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.core import make_aid
    from ..problems import display_path, json_printable
    from .common import load_one, print_problems

    ctx = _context(root)
    loaded = load_one(ctx, aid_id, language)
    result = make_aid(loaded, ctx, render=False)
    state = result.check.approval
    if loaded.aid is None or state is None:
        print_problems(list(result.problems or loaded.problems), [])
        sys.exit(2)
    changes = result.check.diff.changes if result.check.diff else ()
    name = f"{display_path(loaded.path)} ({loaded.aid.id}, {loaded.aid.language})"
    last = state.last
    if as_json:
        data = {
            "file": display_path(loaded.path),
            "state": state.state,
            "fingerprint": state.fingerprint.digest,
            "approved_by": last.by if last else None,
            "approved_at": last.at.isoformat() if last else None,
            "approved_fingerprint": last.fingerprint if last else None,
            "changes": [{"where": c.where, "what": c.what} for c in changes],
        }
        _echo(json_printable(json.dumps(data, indent=2, ensure_ascii=False)))
    elif last is None:
        _echo(f"{name}: never approved, so there is nothing to compare it with.")
    elif last.fingerprint == state.fingerprint.digest:
        _echo(f"{name}: unchanged since it was approved on {last.on.isoformat()} by {last.by}.")
    else:
        _echo(
            f"{name}: changed since it was approved on {last.on.isoformat()} by {last.by} "
            f"(fingerprint {last.fingerprint[:10]}, now {state.fingerprint.short}):"
        )
        for change in changes:
            _echo(f"  - {change}")
    sys.exit(1 if last is not None and last.fingerprint != state.fingerprint.digest else 0)


def status(root: Path, selectors: tuple[str, ...], as_json: bool) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.status import DUE_DAYS, status_rows, text_table
    from ..problems import UnknownAid, json_printable, printable
    from ..publish.build import BuildRefused
    from ..publish.plan import aid_files
    from ..settings import ContentLayout

    try:
        if not selectors:
            aid_files(ContentLayout(root))
        ctx = _context(root)
        rows = status_rows(ctx, selectors)
    except BuildRefused as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(2)
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    if as_json:
        data = {
            "today": ctx.options.today.isoformat(),
            "due_days": DUE_DAYS,
            "aids": [r.as_dict() for r in rows],
            "failing": sum(r.failing for r in rows),
        }
        _echo(json_printable(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        _echo(text_table(rows))
    sys.exit(1 if any(r.failing for r in rows) else 0)
