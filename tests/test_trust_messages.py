"""Issue 19, what the tool prints: a key, a value or a file name holding terminal
escapes or a right-to-left override is shown escaped in the terminal, the app and the
chart note; an argument that is not UTF-8 is a usage error; a client that hangs up is
a log line; a warning never prints a picture's `data:` URL whole."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from helpers import DRAFTS, FIXTURES, aid_text, build

ESCAPE = "\x1b]0;pwned\x07\x1b[32mall good"  # retitles a terminal, then prints in green
OVERRIDE = "\u202e"  # right-to-left override: "Dr \u202eeeL" reads "Dr Lee"


def cli(root: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """The real command with its output as bytes, exactly as a terminal receives it."""
    return subprocess.run(
        [sys.executable, "-m", "decisionaid", *args, "--root", str(root)],
        capture_output=True,
        timeout=120,
    )


def test_keys_values_and_file_names_are_printed_escaped(root: Path):
    text = aid_text() + '"title\\e]0;pwned\\a\\e[32mall good": x\n'
    text = text.replace("severity: minor", 'severity: "\\u202eminor"', 1)
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    named = root / "aids" / f"other{ESCAPE}.yaml"
    named.write_text("id: [\n", encoding="utf-8")
    for command in (("check",), ("check", "--json"), ("build", "--out", str(root / "out"))):
        done = cli(root, *command)
        output = (done.stdout + done.stderr).decode("utf-8")
        assert done.returncode == 1, output
        assert "\x1b" not in output and "\x07" not in output and OVERRIDE not in output
        assert "\\u202e" in output  # the value quoted back
        escaped = "\\x1b]0;pwned\\x07" if command != ("check", "--json") else "\\u001b]0;pwned"
        assert escaped in output  # the key and the file name
        assert "unknown key" in output or command == ("check", "--json")


def test_a_right_to_left_override_in_a_name_is_escaped_in_the_chart_note(root: Path):
    done = cli(root, "note", "test-aid", "--clinician", f"Dr {OVERRIDE}eeL {ESCAPE}")
    note = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr
    assert "Clinician: Dr \\u202eeeL \\x1b]0;pwned\\x07\\x1b[32mall good" in note
    assert OVERRIDE not in note and "\x1b" not in note


@pytest.mark.parametrize("command", ["note", "handout"])
def test_an_argument_that_is_not_utf8_is_a_usage_error(root: Path, tmp_path: Path, command):
    args = [command, "test-aid", "--clinician", b"Dr \xff Lee"]
    if command == "handout":
        args += ["-o", str(tmp_path / "copy.pdf")]
    done = cli(root, *args)
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 2
    assert "is not UTF-8 text" in output
    assert "Traceback" not in output and "test-aid.yaml" not in output  # the aid is not blamed
    assert not (tmp_path / "copy.pdf").exists()


def test_a_warning_never_prints_a_data_url_whole(root: Path):
    (root / "images").mkdir()
    (root / "images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not a picture" * 200)
    text = aid_text().replace(
        "next_steps:",
        "illustrations:\n  - file: images/broken.png\n    alt: A picture.\nnext_steps:",
    )
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    report = build(root, root / "out", formats=("pdf",))
    assert report.ok, report.problems
    pictures = [w for w in report.warnings if "data:image/png" in w]
    assert pictures, report.warnings  # WeasyPrint could not draw it, and said so
    for warning in report.warnings:
        assert len(warning) < 300, warning[:300]
        assert "bm90IGEgcGljdHVyZ" not in warning  # the picture's bytes, in base64
    assert "data:image/png,... (" in pictures[0] and " characters)" in pictures[0]


# The staff web app


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    (root / "aids").mkdir()
    (root / "glossary").mkdir()
    shutil.copy(FIXTURES / "test-aid.yaml", root / "aids" / "test-aid.yaml")
    shutil.copy(FIXTURES / "glossary-en.yaml", root / "glossary" / "en.yaml")
    (root / "clinic.yaml").write_text(DRAFTS, encoding="utf-8")
    broken = aid_text().replace("id: test-aid", "id: broken-aid") + '"x\\e]0;pwned\\a": y\n'
    (root / "aids" / "broken-aid.yaml").write_text(broken, encoding="utf-8")
    return root


def test_the_app_shows_problems_and_the_note_escaped(content: Path, serve):
    server = serve(content)
    status, page = server.request("GET", "/en/broken-aid")
    assert status == 200
    assert "unknown key &#39;x\\x1b]0;pwned\\x07&#39;" in page and "\x1b" not in page
    form = {"clinician": f"Dr {OVERRIDE}eeL", "date": "2027-03-01", "options": "surgery"}
    status, page = server.request(
        "POST",
        "/en/test-aid/note",
        urlencode(form).encode(),
        Content_Type="application/x-www-form-urlencoded",
    )
    assert status == 200
    assert "Dr \\u202eeeL" in page and OVERRIDE not in page


def test_a_client_that_disconnects_mid_body_is_a_log_line(content: Path, serve):
    server = serve(content)
    for path in ["/en/test-aid/note", "/en/test-aid/handout"] * 5:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as client:
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 1000\r\n\r\nclinician=Dr"
            )
            client.sendall(head.encode())
            time.sleep(0.05)  # the app is reading the body when the client goes
    assert server.request("GET", "/healthz")[0] == 200
    log = server.stop()
    assert "Traceback" not in log and "ClientDisconnect" not in log
    assert log.count("the client disconnected before sending the whole request") == 10
