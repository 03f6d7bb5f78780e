"""A patient's copy and a chart note from the command line, and clinic branding."""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import (
    REPO,
    aid_text,
    build,
    check,
    files_before,
    files_mentioning,
    line_of,
    made_up_name,
    pdf_pages,
    pdf_text,
    run_cli,
    soup,
)
from pypdf import PdfReader

PATIENT = made_up_name("Quilla", "Vantreese")  # a name that appears nowhere else
CLINICIAN = "Dr. Ostrander"

THIRD_OPTION = """  - id: injections
    name: Have injections
    description: A nurse gives injections.
    living_with: You come back every few months.
    benefits:
      - text: It may help for a while.
    risks:
      - name: Soreness
        text: The skin may be sore.
        severity: minor
"""


@pytest.fixture
def three_options(root: Path, write_aid) -> Path:
    text = aid_text().replace("  - id: wait\n", THIRD_OPTION + "  - id: wait\n")
    text = text.replace("wait: None.}", "wait: None., injections: A day.}")
    text = text.replace(
        "      wait: {answer: cannot,",
        "      injections: {answer: may, why: It may help.}\n      wait: {answer: cannot,",
    )
    write_aid("test-aid", text)
    return root


def every_file(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def body_font_size(path: Path) -> float:
    """The size most of the PDF's text is set in."""
    sizes: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            key = round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1)
            sizes[key] = sizes.get(key, 0) + len(text)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return max(sizes, key=sizes.get)


def test_personal_copy_names_the_patient_on_page_one_only(three_options: Path, tmp_path: Path):
    out = tmp_path / "copy.pdf"
    result = run_cli(
        "handout", "test-aid", "--root", str(three_options), "--patient", PATIENT,
        "--clinician", CLINICIAN, "--date", "2027-03-01", "--options", "injections",
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    assert f"Prepared for {PATIENT} by {CLINICIAN} on 1 March 2027" in pages[0]
    assert not any(PATIENT in page for page in pages[1:])
    text = pdf_text(out)
    assert "Have injections" in text and "Wait and see" in text
    assert "Have surgery" not in text  # not chosen for this patient
    assert PATIENT not in result.output
    assert PdfReader(out).metadata.title == "Test procedure (testoplasty)"


def test_summary_copy_and_standard_output(three_options: Path):
    done = subprocess.run(
        [sys.executable, "-m", "decisionaid", "handout", "test-aid", "--root", str(three_options),
         "--patient", PATIENT, "--summary", "-o", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert done.stdout.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(done.stdout)
        handle.flush()
        assert len(PdfReader(handle.name).pages) == 1
        assert f"Prepared for {PATIENT} on" in pdf_text(Path(handle.name))
    assert PATIENT.encode() not in done.stderr


def test_large_print_copy_is_set_in_18_pt(root: Path, tmp_path: Path):
    normal, large = tmp_path / "n.pdf", tmp_path / "l.pdf"
    assert run_cli("handout", "test-aid", "--root", str(root), "-o", str(normal)).exit_code == 0
    args = ("handout", "test-aid", "--root", str(root), "--large-print", "-o", str(large))
    assert run_cli(*args).exit_code == 0
    assert body_font_size(normal) == 12
    assert body_font_size(large) == 18
    # The running lines grow too: the draft mark and "Page N of M" in 12 pt, not 9-10.
    assert font_size_of(large, "Page 1 of") >= 12 > font_size_of(normal, "Page 1 of")
    assert font_size_of(large, "Draft") >= 12


def font_size_of(path: Path, words: str) -> float:
    """The size the first piece of text starting with `words` is set in, on page 1."""
    found: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip().startswith(words) and not found:
            found.append(round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    assert found, f"no text starting with {words!r}"
    return found[0]


def test_html_copy_and_paper(root: Path, tmp_path: Path):
    out = tmp_path / "copy.html"
    args = ("handout", "test-aid", "--root", str(root), "--patient", PATIENT, "--format", "html")
    assert run_cli(*args, "-o", str(out)).exit_code == 0
    assert PATIENT in soup(out).select_one(".prepared").get_text()
    a4 = tmp_path / "a4.pdf"
    assert run_cli("handout", "test-aid", "--root", str(root), "--paper", "a4", "-o", str(a4))
    assert round(float(PdfReader(a4).pages[0].mediabox.width)) == 595


def test_unknown_option_is_a_usage_error_that_names_the_options(root: Path, tmp_path: Path):
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--patient", PATIENT, "--options", "lasers",
        "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no option 'lasers'" in result.output and "surgery, wait" in result.output
    assert PATIENT not in result.output and not (tmp_path / "x.pdf").exists()


def test_an_aid_that_fails_its_checks_is_not_handed_out(root: Path, write_aid, tmp_path: Path):
    write_aid("test-aid", aid_text().replace("no_action: true", ""))
    args = ("handout", "test-aid", "--root", str(root), "--patient", PATIENT)
    result = run_cli(*args, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "ipdas-no-action" in result.output and "cannot be handed out" in result.output
    assert PATIENT not in result.output and not (tmp_path / "x.pdf").exists()


def test_chart_note(three_options: Path):
    path = three_options / "aids" / "test-aid.yaml"
    result = run_cli(
        "note", "test-aid", "--root", str(three_options), "--options", "injections",
        "--clinician", CLINICIAN, "--date", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    note = result.output
    assert "Shared decision-making: Should I have the test procedure?" in note
    # The exact version given: the fingerprint of all the handout is made from.
    digest = re.search(r"version of 2026-01-10, DRAFT, fingerprint ([0-9a-f]{10})\)", note)[1]
    approval = check(three_options).aids[0].approval
    assert approval.fingerprint.digest.startswith(digest) and approval.state == "draft"
    assert approval.fingerprint.parts["aid"] == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert "- Have injections\n" in note and "- Wait and see (no treatment / wait)" in note
    assert "Have surgery" not in note
    assert f"Clinician: {CLINICIAN}" in note and "Date: 2027-03-01" in note
    assert "decision aid handout" in note


@pytest.mark.serial  # searches the whole temp folder: alone, after the rest
def test_the_patient_name_goes_nowhere_else(root: Path, tmp_path: Path):
    patient = made_up_name("Ysolde", "Privacytest")  # used by this test only
    temp = Path(tempfile.gettempdir())
    own_temp = tmp_path / "temp"  # the command's TMPDIR: nothing else writes there
    own_temp.mkdir()
    started = files_before(root, temp)
    build(root, root / "out")  # the generic handouts, made before the copy
    out = tmp_path / "asked-for" / "copy.pdf"
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "decisionaid", "handout", "test-aid", "--root", str(root),
         "--patient", patient, "-o", str(out)],
        capture_output=True, text=True, check=True, env={**os.environ, "TMPDIR": str(own_temp)},
    )  # fmt: skip
    assert patient in pdf_text(out)  # the output asked for
    assert patient not in result.stdout + result.stderr
    out.unlink()
    assert every_file(own_temp) == []  # no copy left behind in the temp folder
    # Nor anywhere in the system's temp folder, where other programs write too.
    assert files_mentioning(patient, root, temp, since=started) == []


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_clinic_branding_logo_and_accent(root: Path):
    (root / "images").mkdir()
    (root / "images" / "logo.png").write_bytes(PNG)
    (root / "clinic.yaml").write_text(
        "name: Branded Clinic\nphone: 555-0199\nwebsite: https://branded.example\n"
        "address: 2 Main Street\nlogo: images/logo.png\naccent: '#005a30'\n",
        encoding="utf-8",
    )
    out = root / "out"
    assert build(root, out).ok
    page = soup(out / "en" / "test-aid.html")
    assert page.select_one("img.logo")["src"].startswith("data:image/png;base64,")
    assert page.select_one("img.logo")["alt"] == "Branded Clinic"
    assert "--accent: #005a30" in page.style.get_text()
    first = pdf_pages(out / "en" / "test-aid.pdf")[0]
    assert "Branded Clinic · Phone 555-0199 · https://branded.example" in first
    objects = PdfReader(out / "en" / "test-aid.pdf").pages[0]["/Resources"]["/XObject"]
    assert any(o.get_object()["/Subtype"] == "/Image" for o in objects.values())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("accent: '#ffff00'", "contrast of 1.1:1, below the 4.5:1"),
        ("logo: ../outside.png", "outside the content root"),
        ("logo: missing.png", "no file 'missing.png'"),
        ("logo: notes.txt", "PNG, JPEG or SVG"),
    ],
)
def test_bad_branding_is_reported_at_its_line(root: Path, line: str, message: str):
    (root / "notes.txt").write_text("Not a picture.", encoding="utf-8")
    text = f"name: Clinic\n{line}\n"
    (root / "clinic.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert result.exit_code == 1
    assert f"clinic.yaml:{line_of(text, line)}:" in result.output and message in result.output


def test_repository_example_clinic_is_valid():
    assert run_cli("check", "--root", str(REPO)).exit_code == 0


def test_a_copy_and_a_note_of_an_aid_that_has_a_translation(root: Path, tmp_path: Path):
    """`handout ID` and `note ID` mean the file ID.yaml, whatever its translations."""
    spanish = aid_text().replace("title:", "language: es\ntitle:", 1)
    (root / "aids" / "test-aid.es.yaml").write_text(spanish, encoding="utf-8")
    out = tmp_path / "copy.pdf"
    result = run_cli("handout", "test-aid", "--root", str(root), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Test procedure" in pdf_text(out)
    note = run_cli("note", "test-aid", "--root", str(root), "--date", "2027-03-01")
    assert note.exit_code == 0, note.output
    assert "Test procedure" in note.output


def test_the_command_line_refuses_what_the_form_refuses(root: Path, tmp_path: Path):
    """One validator (handout/consult.py): a copy offering only the no-action option is
    refused by the command line as by the web form, with the form's words."""
    from starlette.datastructures import FormData

    from decisionaid.content.root import ContentRoot
    from decisionaid.handout.consult import Consult, ConsultError, validate
    from decisionaid.web.forms import ConsultForm

    out = tmp_path / "copy.pdf"
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--options", "wait", "-o", str(out)
    )
    assert result.exit_code == 2 and not out.exists()
    assert "--options" in result.output
    assert "choose at least one option besides not having the procedure" in result.output
    aid = ContentRoot.at(root).load(root / "aids" / "test-aid.yaml").aid
    form = ConsultForm.read(FormData([("options", "wait"), ("date", "2027-01-05")]), aid)
    assert form.errors == {"options": "no_option"} == {"options": ConsultError.NO_OPTION}
    both = validate(aid, Consult(options=("nope",), goals=("zz",), summary=True), True)
    assert [i.error for i in both] == [
        ConsultError.UNKNOWN_OPTION,
        ConsultError.UNKNOWN_GOAL,
        ConsultError.SUMMARY_LARGE,
    ]
    note = run_cli("note", "test-aid", "--root", str(root), "--options", "wait")
    assert note.exit_code == 2 and "choose at least one option" in note.output
