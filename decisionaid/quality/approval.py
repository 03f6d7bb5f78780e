"""What the check says about an aid's approval: changed since it was approved, or
marked approved with no approval recorded, or a history that cannot be read.

These are warnings, not errors: a changed aid still builds, with "Changed since it was
approved ..." on every page in place of the approved line, so that no one mistakes
it for what was approved; whether the front desk may print it for a patient is
clinic.yaml's `front_desk` (quality/policy.py).
"""

from __future__ import annotations

from pathlib import Path

from ..approval.state import ApprovalState
from ..content.models import Aid
from ..problems import display_path
from .findings import Collector


def approve_command(aid: Aid, path_stem: str) -> str:
    """How to approve this aid from a terminal (a translation names its language)."""
    language = f" --language {aid.language}" if "." in path_stem else ""
    return f"decisionaid approve {aid.id}{language} --by NAME"


def approval_findings(aid: Aid, state: ApprovalState | None, history: Path, c: Collector) -> None:
    """Findings on the approval of `aid` (`history`: its approval history's file)."""
    if state is None:
        return
    if state.unreadable:
        c.add(
            "warning",
            "approval-history",
            f"the approval history {display_path(history)} cannot be read "
            f"({state.unreadable}): until it can, the aid counts as never approved; "
            "restore it from version control",
            ("status",),
        )
    if aid.status != "approved":
        return
    command = approve_command(aid, c.path.stem)
    if state.state == "changed" and state.last is not None:
        diff = command.replace("approve", "diff").replace(" --by NAME", "")
        c.add(
            "warning",
            "changed-since-approval",
            f"changed since it was approved on {state.last.on.isoformat()} by "
            f"{state.last.by}: every page says so; see what changed with '{diff}', then "
            f"have it approved again: '{command}'",
            ("status",),
        )
        if aid.updated < state.last.on:
            c.add(
                "warning",
                "updated-before-change",
                f"changed since it was approved on {state.last.on.isoformat()}, but "
                f"'updated' still says {aid.updated.isoformat()}, so every page dates this "
                "version before the approved one: set it to the date of the edit",
                ("updated",),
            )
    elif state.state == "unrecorded":
        c.add(
            "warning",
            "approval-not-recorded",
            "status says approved, but no approval of this version is recorded, so it is "
            f"not approved: a clinician approves it with '{command}' (which checks it and "
            "records who approved which version)",
            ("status",),
        )
