"""The approval history of each aid: `approvals/<language>/<id>.json` in the content
root, with a copy of each approved version beside it (`approvals/<language>/<id>/N.yaml`).

A new approval is added to the history, never in place of one: the file lists every
approval, oldest first, each with who, when, the fingerprint of what was approved (and
of each part), the glossary definitions and factor words it used, and its copy's name,
so that `diff` can say in words what changed since. The history is read by the one
guarded reader and written atomically; a history the tool cannot read is a problem,
never an approval. It is a record kept beside the content, not a signature: keep the
content root in version control to see who changed it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..content.reading import Unreadable, read_bytes, read_text
from ..output.files import check_inside, write_atomic
from ..problems import shown
from ..settings import ContentLayout

FORMAT = 1
MAX_HISTORY_BYTES = 16 * 1024 * 1024  # thousands of approvals of one aid


@dataclass(frozen=True)
class Approval:
    """One approval of one exact version of an aid."""

    by: str
    at: dt.datetime  # with its offset from UTC, as on the approving computer
    fingerprint: str
    copy: str  # the approved aid file, relative to the history's folder
    parts: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # term → definition, as approved
    factors: dict[str, str] = field(default_factory=dict)  # factor id → its group words

    @property
    def on(self) -> dt.date:
        return self.at.date()

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat(timespec="seconds")}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Approval:
        at = dt.datetime.fromisoformat(str(data["at"]))
        strings = ("parts", "terms", "factors")
        maps = {k: {str(a): str(b) for a, b in dict(data.get(k, {})).items()} for k in strings}
        return cls(str(data["by"]), at, str(data["fingerprint"]), str(data["copy"]), **maps)


class HistoryRefused(ValueError):
    """An approval history that cannot be read or trusted (the message says why)."""


def read_history(layout: ContentLayout, aid_id: str, language: str) -> list[Approval]:
    """Every approval of the aid, oldest first; none when it was never approved.
    Raises HistoryRefused for a file that is there but cannot be read as a history."""
    path = layout.approval_file(aid_id, language)
    if not path.exists() and not path.is_symlink():
        return []
    try:
        data = json.loads(read_text(path, layout.root, MAX_HISTORY_BYTES))
        if data.get("format") != FORMAT or (data.get("id"), data.get("language")) != (
            aid_id,
            language,
        ):
            raise HistoryRefused("it is of another format, or of another aid")
        approvals = [Approval.from_json(item) for item in data["approvals"]]
    except Unreadable as exc:
        raise HistoryRefused(exc.message) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, HistoryRefused):
            raise
        raise HistoryRefused("it is not an approval history this tool wrote") from None
    for approval in approvals:
        if not _plain(approval.copy):
            raise HistoryRefused(f"it names the copy '{shown(approval.copy)}' outside its folder")
    return approvals


def add_approval(
    layout: ContentLayout, aid_id: str, language: str, approval: Approval, copy: bytes
) -> Approval:
    """Add an approval to the history (its copy first, then the history, each written
    atomically); returns it with the name its copy was given."""
    guard(layout, aid_id, language)
    history = read_history(layout, aid_id, language)
    path = layout.approval_file(aid_id, language)
    name = f"{aid_id}/{len(history) + 1}.yaml"
    write_atomic(path.parent / name, copy, layout.root)
    approval = replace(approval, copy=name)
    data = {
        "tool": "decisionaid",
        "format": FORMAT,
        "id": aid_id,
        "language": language,
        "approvals": [a.as_json() for a in [*history, approval]],
    }
    write_atomic(
        path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", layout.root
    )
    return approval


def guard(layout: ContentLayout, aid_id: str, language: str) -> None:
    """Raise OutsideRefused (an OSError) when the history or its copies would be written
    outside the content root: `approvals/`, its language folder or the aid's copies
    folder linking elsewhere. `approve` asks before it changes anything."""
    path = layout.approval_file(aid_id, language)
    for folder in (path.parent, path.parent / aid_id):
        check_inside(folder, layout.root)


def approved_copy(layout: ContentLayout, aid_id: str, language: str, approval: Approval) -> Path:
    """Where the approved version's copy is kept (read it with the guarded reader)."""
    return layout.approval_file(aid_id, language).parent / approval.copy


def copy_bytes(layout: ContentLayout, aid_id: str, language: str, approval: Approval) -> bytes:
    """The approved version of the aid file, as it was approved (Unreadable if gone)."""
    return read_bytes(approved_copy(layout, aid_id, language, approval), layout.root)


def _plain(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


__all__ = ["Approval", "HistoryRefused", "add_approval", "copy_bytes", "guard", "read_history"]
