"""Whether an aid is approved: only while its inputs match its last approval.

    draft       `status: draft` (whatever its history)
    approved    `status: approved`, and the fingerprint of its inputs now is the one
                its last approval recorded
    changed     `status: approved`, but something it is made from changed since its
                last approval (every page says so)
    unrecorded  `status: approved`, but no approval is recorded (the word was typed in
                the file, or the history cannot be read): not approved

The pipeline asks for the state of every aid it checks; the handout, the summary, a
copy and a chart note print it, `check` and the catalogs say it, and clinic.yaml's
`front_desk` decides which states may be printed for a patient (quality/policy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..content.glossary import Glossary
from ..content.root import ContentRoot, Loaded
from .fingerprint import Fingerprint, fingerprint
from .signature import Signature, verify
from .store import Approval, HistoryRefused, read_history

State = Literal["draft", "approved", "changed", "unrecorded"]


@dataclass(frozen=True)
class ApprovalState:
    """An aid's approval state, with what it was compared with."""

    state: State
    fingerprint: Fingerprint
    last: Approval | None = None  # the last approval recorded, if any
    history: tuple[Approval, ...] = ()
    unreadable: str | None = None  # why the history could not be read
    # Whether the last approval is signed by an allowed signer (approval/signature.py).
    signature: Signature = Signature()

    @property
    def signed(self) -> bool:
        """Approved, and signed by a key of clinic.yaml's allowed signers."""
        return self.approved and self.signature.verified

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def short(self) -> str:
        """The fingerprint printed on a copy or a chart note."""
        return self.fingerprint.short


def approval_state(
    content: ContentRoot, loaded: Loaded, glossary: Glossary
) -> ApprovalState | None:
    """The state of a loaded aid as its files are now (None: the file is not an aid)."""
    aid = loaded.aid
    now = fingerprint(content, loaded, glossary)
    if aid is None or now is None:
        return None
    try:
        history = tuple(read_history(content.layout, aid.id, aid.language))
        unreadable = None
    except HistoryRefused as exc:
        history, unreadable = (), str(exc)
    last = history[-1] if history else None
    if aid.status == "draft":
        state: State = "draft"
    elif last is None:
        state = "unrecorded"
    elif last.fingerprint == now.digest:
        state = "approved"
    else:
        state = "changed"
    signature = Signature()
    if last is not None and aid.status != "draft":
        clinic, _ = content.clinic()
        signature = verify(content.layout, aid.id, aid.language, last, clinic.allowed_signers)
    return ApprovalState(state, now, last, history, unreadable, signature)
