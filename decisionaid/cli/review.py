"""The review commands: `approve`, `diff` and `status`, registered into the command line
by cli/ (`register(main)`). Like every command they are thin: they parse arguments,
call the library and print; nothing is imported until a command runs.

    decisionaid approve AID --by "Dr. Ada Brook, FRCS"   check it, then record who
                                                          approved which exact version
    decisionaid diff AID                                  what changed since, in words
    decisionaid status [--json]                           every aid's state and review date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..pipeline.result import Context


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
        # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
        from .approve import approve

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


def echo_out(message: str = "", err: bool = False) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from .common import echo

    echo(message, err)


def context_at(root: Path) -> Context:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.result import Context
    from ..settings import BuildOptions

    return Context.today_at(root, BuildOptions(formats=("html",)))


def diff(root: Path, aid_id: str, language: str | None, as_json: bool) -> None:
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.core import make_aid
    from ..problems import display_path, json_printable
    from .common import load_one, print_problems

    ctx = context_at(root)
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
        echo_out(json_printable(json.dumps(data, indent=2, ensure_ascii=False)))
    elif last is None:
        echo_out(f"{name}: never approved, so there is nothing to compare it with.")
    elif last.fingerprint == state.fingerprint.digest:
        echo_out(f"{name}: unchanged since it was approved on {last.on.isoformat()} by {last.by}.")
    else:
        echo_out(
            f"{name}: changed since it was approved on {last.on.isoformat()} by {last.by} "
            f"(fingerprint {last.fingerprint[:10]}, now {state.fingerprint.short}):"
        )
        for change in changes:
            echo_out(f"  - {change}")
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
        ctx = context_at(root)
        rows = status_rows(ctx, selectors)
    except BuildRefused as exc:
        echo_out(f"error: {exc}", err=True)
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
        echo_out(json_printable(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        echo_out(text_table(rows))
    sys.exit(1 if any(r.failing for r in rows) else 0)
