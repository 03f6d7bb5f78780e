"""What stops an aid from being built, or handed to a patient, beside the rules it applies.

An approved aid goes to patients: every check error blocks its build. A draft prints
the draft mark on every page, so only the errors that make it no decision aid at all
block its build (its authors need to see it); its other errors stay on its quality
page and in the summary line. A copy for a patient (the web app, `handout`, `note`)
is stricter: any check error refuses it, draft or not; and with clinic.yaml's
`front_desk: approved` (the default) so does any state but approved and unchanged
since (approval/state.py), with who can fix it; with `front_desk: signed`, any approval
but one signed by an allowed signer (approval/signature.py).
"""

from __future__ import annotations

from ..content.models import Aid
from ..problems import Problem
from .approval import approve_command
from .check import AidCheck

# Check errors that stop even a draft from being built.
ALWAYS_BLOCKING = frozenset(
    {"ipdas-options", "ipdas-no-action", "updated-in-future", "translation-mismatch"}
    # A translation that drops a warning sign or an option is no translation of its source.
    | {"translation-missing-item", "translation-extra-item"}
)


def blocking(aid: Aid | None, check: AidCheck) -> list[Problem]:
    """The check errors that stop `aid` from being built (validation problems are
    reported on their own, so the `invalid` findings are not repeated here)."""
    approved = aid is not None and aid.status == "approved"
    return [
        f.as_problem()
        for f in check.errors
        if f.code != "invalid" and (approved or f.code in ALWAYS_BLOCKING)
    ]


def not_ready(check: AidCheck) -> list[Problem]:
    """The check errors that stop a copy for a patient: all of them, draft or not."""
    return [f.as_problem() for f in check.errors if f.code != "invalid"]


def withheld(aid: Aid | None, check: AidCheck, front_desk: str, line: int) -> Problem | None:
    """Why an aid may not be printed for a patient under `front_desk: approved` although
    it has no errors, and who can fix it (None: it may be printed). `line`: of `status`."""
    state = check.approval
    if front_desk == "drafts" or aid is None or state is None:
        return None
    command = approve_command(aid, check.file.stem)
    if front_desk == "signed":
        if state.signed:
            return None
        if state.approved:
            why = _unsigned(state, command)
            return Problem(check.file, line, "status", why, "not-approved")
        command = command.replace(" --by NAME", " --by NAME --sign KEY")
    elif state.approved:
        return None
    rule = (
        f"this clinic prints only approved aids for patients (clinic.yaml: front_desk: "
        f"{front_desk})"
    )
    if state.state == "changed" and state.last is not None:
        diff = command.replace("approve", "diff").replace(" --by NAME", "")
        why = (
            f"changed since it was approved on {state.last.on.isoformat()} by {state.last.by}, "
            f"and {rule}: {state.last.by} or another clinician reviews the changes "
            f"('{diff}') and approves it again ('{command}')"
        )
    elif state.state == "unrecorded":
        why = (
            f"marked approved, but no approval is recorded, and {rule}: a clinician who "
            f"reviews it approves it with '{command}'"
        )
    else:
        why = f"a draft, and {rule}: a clinician who reviews it approves it with '{command}'"
    return Problem(check.file, line, "status", why, "not-approved")


def _unsigned(state, command: str) -> str:
    """Why an approved aid is not printed under `front_desk: signed`."""
    signature = state.signature
    rule = (
        "this clinic prints for patients only aids whose approval is signed by an allowed "
        "signer (clinic.yaml: front_desk: signed)"
    )
    if signature.state == "unsigned":
        why = "its approval is not signed"
    else:
        why = f"its approval's signature does not verify: {signature.why}"
    return f"{why}, and {rule}: a clinician approves it again with '{command} --sign KEY'"
