"""Issue 29, beyond the anchors: approvals that cannot be forged. `approve --sign KEY`
signs the approval's record with the approver's SSH key; clinic.yaml's allowed_signers
verifies it; status, the copy's version line and the app's status page say whether it
does; `front_desk: signed` prints for patients only aids whose approval verifies. The
keys are throwaway keys made here, outside the content root."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import run_cli
from test_approval import APPROVER, content

PRINCIPAL = "ada.brook@clinic.example"


def key_pair(folder: Path, name: str = "key") -> Path:
    """A throwaway ed25519 key without a passphrase (never in the content root)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(key)], check=True
    )
    return key


def allow(root: Path, key: Path, front_desk: str = "approved") -> None:
    """clinic.yaml names an allowed signers file holding the key's public half."""
    public = key.with_suffix(".pub").read_text(encoding="utf-8").split()
    (root / "signers").mkdir(exist_ok=True)
    (root / "signers" / "allowed").write_text(
        f"{PRINCIPAL} {public[0]} {public[1]}\n", encoding="utf-8"
    )
    clinic = (root / "clinic.yaml").read_text(encoding="utf-8")
    clinic = clinic.replace("front_desk: approved", f"front_desk: {front_desk}")
    (root / "clinic.yaml").write_text(clinic + "allowed_signers: signers/allowed\n")


def signed_approve(root: Path, key: Path):
    return run_cli(
        "approve", "rhinoplasty", "--root", str(root), "--by", APPROVER, "--sign", str(key)
    )


def status_json(root: Path) -> tuple[int, dict]:
    result = run_cli("status", "rhinoplasty", "--root", str(root), "--json")
    return result.exit_code, json.loads(result.stdout)["aids"][0]


def copy_html(root: Path, tmp_path: Path):
    target = tmp_path / "copy.html"
    result = run_cli(
        "handout", "rhinoplasty", "--root", str(root), "--format", "html", "-o", str(target),
        "--patient", "Ysolde Example", "--date", "2027-03-01",
    )  # fmt: skip
    if result.exit_code != 0:
        return result, None
    page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
    return result, " ".join(page.select_one(".version").get_text().split())


def test_a_signed_approval_verifies_and_an_edited_record_does_not(tmp_path: Path):
    root = content(tmp_path / "root")
    key = key_pair(tmp_path / "home")
    allow(root, key)
    result = signed_approve(root, key)
    assert result.exit_code == 0, result.output
    assert f"the signature verifies as {PRINCIPAL}" in result.output
    assert (root / "approvals" / "en" / "rhinoplasty" / "1.json.sig").is_file()
    assert not list(root.rglob("key")) and "PRIVATE KEY" not in "".join(
        p.read_text(errors="replace") for p in root.rglob("*") if p.is_file() and p.suffix != ".png"
    )
    code, row = status_json(root)
    assert code == 0 and row["signature"] == "verified" and row["signed_by"] == PRINCIPAL
    text = run_cli("status", "rhinoplasty", "--root", str(root)).output
    assert "signature verified" in text
    _, version = copy_html(root, tmp_path)
    assert "approved on" in version and APPROVER in version and "signature verified" in version

    # Someone who can write the content root edits who approved it: the fingerprint
    # still matches, but the signature no longer does.
    history = root / "approvals" / "en" / "rhinoplasty.json"
    history.write_text(
        history.read_text(encoding="utf-8").replace(APPROVER, "Dr. Mallory Forger"),
        encoding="utf-8",
    )
    code, row = status_json(root)
    assert code == 1 and row["signature"] == "not verified" and row["signed_by"] is None
    assert "signature not verified" in run_cli("status", "rhinoplasty", "--root", str(root)).output
    _, version = copy_html(root, tmp_path)
    assert "signature not verified" in version


def test_front_desk_signed_prints_only_aids_whose_approval_verifies(tmp_path: Path):
    root = content(tmp_path / "root")
    key = key_pair(tmp_path / "home")
    allow(root, key, front_desk="signed")
    unsigned = run_cli("approve", "rhinoplasty", "--root", str(root), "--by", APPROVER)
    assert unsigned.exit_code == 0
    result, _ = copy_html(root, tmp_path)
    assert result.exit_code == 1
    assert "its approval is not signed" in result.output and "--sign KEY" in result.output
    # Signed by a key the clinic does not allow: refused too.
    stranger = key_pair(tmp_path / "elsewhere", "stranger")
    assert signed_approve(root, stranger).exit_code == 0
    result, _ = copy_html(root, tmp_path)
    assert result.exit_code == 1 and "signature does not verify" in result.output
    assert signed_approve(root, key).exit_code == 0
    result, version = copy_html(root, tmp_path)
    assert result.exit_code == 0 and "signature verified" in version


def test_a_key_in_the_content_root_or_one_that_cannot_sign_changes_nothing(tmp_path: Path):
    root = content(tmp_path / "root")
    aid = root / "aids" / "rhinoplasty.yaml"
    before = aid.read_bytes()
    inside = key_pair(root / "keys")
    result = signed_approve(root, inside)
    assert result.exit_code == 2 and "never lives in the content root" in result.output
    broken = tmp_path / "home" / "broken"
    broken.parent.mkdir()
    broken.write_text("not a key\n")
    result = signed_approve(root, broken)
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert aid.read_bytes() == before and not (root / "approvals").exists()


def test_the_apps_status_page_says_whether_a_signature_verifies(tmp_path: Path):
    import sys
    import time
    import urllib.request

    from web_helpers import free_port

    root = content(tmp_path / "root")
    key = key_pair(tmp_path / "home")
    allow(root, key, "signed")
    assert signed_approve(root, key).exit_code == 0
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "decisionaid", "serve", "--root", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=30) as r:
                    html = r.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
    finally:
        process.terminate()
        process.wait(10)
    cells = " ".join(
        BeautifulSoup(html, "html.parser").select_one("table.status").get_text().split()
    )
    assert f"Signature verified: {PRINCIPAL}" in cells
