"""Expectations you can see: a recovery timeline and the clinic's own illustrations."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from helpers import (
    REPO,
    aid_text,
    build,
    foreign_scripts,
    line_of,
    pdf_text,
    run_cli,
    soup,
    structure_alts,
    text_of,
)

RECOVERY = """\
    recovery:
      - at: 2 hours
        what: You rest with cold packs on the area.
      - at: 1 day
        what: You go home.
      - at: 2 weeks
        what: Most people go back to desk work.
      - at: 1 year
        what: The scar has faded.
"""
PICTURE = """\
    illustrations:
      - file: images/cut.svg
        alt: A drawing of where the cut is made.
        caption: Where the cut is made
"""
ANCHOR = "    living_with: You rest for a week.\n"


def aid_with(extra: str) -> str:
    text = aid_text()
    assert ANCHOR in text
    return text.replace(ANCHOR, ANCHOR + extra, 1)


@pytest.fixture
def pictured(root: Path, write_aid) -> Path:
    (root / "images").mkdir()
    shutil.copy(REPO / "images" / "eyelid-cut.svg", root / "images" / "cut.svg")
    write_aid("test-aid", aid_with(RECOVERY + PICTURE))
    return root


def test_timeline_and_picture_in_the_handout(pictured: Path):
    out = pictured / "out"
    report = build(pictured, out)
    assert report.ok and report.warnings == [], (report.problems, report.warnings)
    text = pdf_text(out / "en" / "test-aid.pdf")
    steps = [
        "After 2 hours: You rest with cold packs on the area.",
        "After 1 day: You go home.",
        "After 2 weeks: Most people go back to desk work.",
        "After 1 year: The scar has faded.",
    ]
    places = [text.index(step) for step in steps]
    assert places == sorted(places)  # in time order
    assert "Recovery, step by step" in text
    alts = structure_alts(out / "en" / "test-aid.pdf")
    assert "A drawing of where the cut is made." in alts
    assert any(
        alt.startswith("Recovery timeline for Have surgery, from 2 hours to 1 year") for alt in alts
    )
    page = soup(out / "en" / "test-aid.html")
    img = page.select_one("figure.illustration img")
    assert img["alt"] == "A drawing of where the cut is made."
    assert img["src"].startswith("data:image/svg+xml;base64,")  # travels with the handout
    svg = page.select_one("svg.timeline")
    labels = [text_of(t) for t in svg.select("text")]
    assert labels == ["2 hours", "1 day", "2 weeks", "1 year"]
    xs = [float(c["cx"]) for c in svg.select("circle")]
    assert xs == sorted(xs)
    # Log-like: a day and two weeks are further apart than their share of a year.
    assert (xs[2] - xs[1]) / (xs[3] - xs[0]) > 14 / 365
    summary = pdf_text(out / "en" / "test-aid.summary.pdf")
    assert "2 weeks: Most people go back to desk work." in summary


def test_steps_out_of_order_are_an_error_at_the_step(root: Path, write_aid):
    text = aid_with(RECOVERY.replace("at: 2 weeks", "at: 12 hours"))
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(root))
    assert result.exit_code == 1
    line = line_of(text, "at: 12 hours")
    found = [row for row in result.output.splitlines() if f"test-aid.yaml:{line}:" in row]
    assert found and "options[0].recovery[2].at: '12 hours' does not come after" in found[0]
    assert "put the steps in time order" in found[0]


def test_a_time_must_be_a_number_and_a_unit(root: Path, write_aid):
    text = aid_with(RECOVERY.replace("at: 1 day", "at: soon"))
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(root))
    assert f"test-aid.yaml:{line_of(text, 'at: soon')}:" in result.output
    assert "write a number and a unit" in result.output


def test_a_picture_needs_alt_text(pictured: Path, write_aid):
    text = aid_with(
        RECOVERY + PICTURE.replace("        alt: A drawing of where the cut is made.\n", "")
    )
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(pictured))
    line = line_of(text, "- file: images/cut.svg")
    found = [row for row in result.output.splitlines() if f"test-aid.yaml:{line}:" in row]
    assert found and "options[0].illustrations[0].alt: required key is missing" in found[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("../outside.svg", None, "outside the content root"),
        ("images/missing.svg", None, "no file 'images/missing.svg'"),
        ("images/fake.png", b"just text, not a picture", "is not a PNG, JPEG or SVG picture"),
    ],
)
def test_picture_files_are_checked(pictured: Path, write_aid, name, content, message):
    if content is not None:
        (pictured / name).write_bytes(content)
    (pictured.parent / "outside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    text = aid_with(PICTURE.replace("images/cut.svg", name))
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(pictured))
    assert result.exit_code == 1
    assert (
        f"test-aid.yaml:{line_of(text, '- file:')}:" in result.output and message in result.output
    )


def test_a_picture_that_carries_a_script_cannot_run_it(pictured: Path, write_aid):
    hostile = (
        "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'>"
        "<script>alert(2)</script><rect width='10' height='10'/></svg>"
    )
    (pictured / "images" / "cut.svg").write_text(hostile, encoding="utf-8")
    out = pictured / "out"
    assert build(pictured, out).ok
    html = (out / "en" / "test-aid.html").read_text(encoding="utf-8")
    page = soup(out / "en" / "test-aid.html")
    assert foreign_scripts(page) == [] and "alert(" not in html  # only inside the <img> data
    img = page.select_one("figure.illustration img")
    assert base64.b64decode(img["src"].split(",", 1)[1]).decode() == hostile
    assert (out / "en" / "test-aid.pdf").read_bytes().startswith(b"%PDF")


def test_the_example_eyelid_aid_has_its_picture_and_timeline(examples: Path):
    page = soup(examples / "en" / "upper-eyelid-surgery.html")
    assert page.select_one("figure.illustration img")["alt"].startswith("A drawing of an eye")
    assert len(page.select("ol.timeline-steps li")) == 5
    assert soup(examples / "en" / "rhinoplasty.html").select_one("svg.timeline") is not None
