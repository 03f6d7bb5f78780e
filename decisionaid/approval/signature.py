"""Signed approvals: an approval record signed with the approver's SSH key.

An approval history is a file anyone who can write the content root can edit. `approve
--sign KEY` makes the last approval a signature as well: the record of that approval
(the aid, its language, who, when, the fingerprint and its parts, the copy's name),
written as canonical JSON to `approvals/<language>/<id>/N.json`, is signed with
`ssh-keygen -Y sign` (the signatures git uses for commits) in the namespace
`decisionaid-approval`, and the signature kept beside it (`N.json.sig`).

It verifies when the signature is good for the record as the history says it now (so an
edited name, date or fingerprint breaks it) and the key is one of clinic.yaml's
`allowed_signers` file (inside the content root, read by the guarded reader). No key
is ever kept by the tool: the private key stays with the approver.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..content.reading import Unreadable, read_bytes
from ..output.files import write_atomic
from ..settings import ContentLayout
from .store import Approval

NAMESPACE = "decisionaid-approval"
SIGNATURE_BYTES = 64 * 1024  # an SSH signature is under 2 KB
TIMEOUT = 30  # seconds: ssh-keygen answers at once, unless it waits for a passphrase

Signed = Literal["unsigned", "verified", "not verified"]


@dataclass(frozen=True)
class Signature:
    """Whether an approval is signed, and if so whether the signature verifies."""

    state: Signed = "unsigned"
    principal: str | None = None  # whose key, as the allowed signers file names it
    why: str | None = None  # why it does not verify

    @property
    def verified(self) -> bool:
        return self.state == "verified"


class SigningFailed(RuntimeError):
    """`ssh-keygen` could not sign (the message says why)."""


def record_bytes(aid_id: str, language: str, approval: Approval) -> bytes:
    """What is signed: the approval as its history holds it, with the aid it is of."""
    record = {"namespace": NAMESPACE, "id": aid_id, "language": language, **approval.as_json()}
    return (json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


def record_path(layout: ContentLayout, aid_id: str, language: str, approval: Approval) -> Path:
    """`approvals/<language>/<id>/N.json`, beside the approved copy `N.yaml`."""
    copy = layout.approval_file(aid_id, language).parent / approval.copy
    return copy.with_suffix(".json")


def make_signature(data: bytes, key: Path) -> bytes:
    """`data` signed by `key` (the approver's private SSH key, never copied nor kept;
    ssh-keygen may ask for its passphrase). Raises SigningFailed."""
    tool = _ssh_keygen()
    if tool is None:
        raise SigningFailed("ssh-keygen is not installed (Debian: apt install openssh-client)")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, the key's path as one argument
            [tool, "-q", "-Y", "sign", "-f", str(key), "-n", NAMESPACE],
            input=data,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SigningFailed(f"ssh-keygen did not sign: {exc}") from None
    if done.returncode != 0 or not done.stdout.startswith(b"-----BEGIN SSH SIGNATURE-----"):
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SigningFailed(f"ssh-keygen could not sign with it: {said[-1] if said else ''}")
    return done.stdout


def keep_signature(
    layout: ContentLayout, aid_id: str, language: str, approval: Approval, signature: bytes
) -> Path:
    """Write the approval's record and its signature beside its copy, inside the root;
    returns the signature's path."""
    record = record_path(layout, aid_id, language, approval)
    path = record.with_name(record.name + ".sig")
    write_atomic(record, record_bytes(aid_id, language, approval), layout.root)
    write_atomic(path, signature, layout.root)
    return path


def verify(
    layout: ContentLayout,
    aid_id: str,
    language: str,
    approval: Approval,
    allowed_signers: str | None,
) -> Signature:
    """Whether the approval is signed, and by a key of the allowed signers file."""
    signature_file = record_path(layout, aid_id, language, approval).with_suffix(".json.sig")
    if not signature_file.exists() and not signature_file.is_symlink():
        return Signature()
    try:
        signature = read_bytes(signature_file, layout.root, SIGNATURE_BYTES)
    except Unreadable as exc:
        return Signature("not verified", why=f"the signature cannot be read: {exc.message}")
    if not allowed_signers:
        return Signature("not verified", why="clinic.yaml names no allowed_signers file")
    try:
        allowed = read_bytes(layout.root / allowed_signers, layout.root)
    except Unreadable as exc:
        return Signature("not verified", why=f"allowed_signers: {exc.message}")
    tool = _ssh_keygen()
    if tool is None:
        return Signature("not verified", why="ssh-keygen is not installed (openssh-client)")
    return _verified(tool, record_bytes(aid_id, language, approval), signature, allowed)


def _verified(tool: str, data: bytes, signature: bytes, allowed: bytes) -> Signature:
    """Ask ssh-keygen whose key made the signature, then whether it verifies for them.
    The signature and the allowed signers are handed over as temporary files (what was
    read, not the files in the root, which might have changed since)."""
    with tempfile.TemporaryDirectory(prefix="decisionaid-verify-") as folder:
        sig, signers = Path(folder, "record.sig"), Path(folder, "allowed_signers")
        sig.write_bytes(signature)
        signers.write_bytes(allowed)
        found = _run([tool, "-Y", "find-principals", "-s", str(sig), "-f", str(signers)])
        if found is None or found.returncode != 0:
            return Signature("not verified", why="signed by a key not in allowed_signers")
        lines = found.stdout.decode("utf-8", "replace").splitlines()
        principal = lines[0].split(",")[0].strip() if lines else ""
        checked = _run(
            [tool, "-Y", "verify", "-f", str(signers), "-I", principal, "-n", NAMESPACE,
             "-s", str(sig)],
            data,
        )  # fmt: skip
    if checked is None or checked.returncode != 0:
        return Signature(
            "not verified", principal, "the signature does not match the approval as recorded"
        )
    return Signature("verified", principal)


def _run(args: list[str], data: bytes = b"") -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(  # noqa: S603 - ssh-keygen with files this module wrote
            args, input=data, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def _ssh_keygen() -> str | None:
    return shutil.which("ssh-keygen")


__all__ = [
    "NAMESPACE",
    "Signature",
    "SigningFailed",
    "keep_signature",
    "make_signature",
    "record_bytes",
    "verify",
]
