"""The one-page summary for the consult, read back from the PDF and the page."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, check, pdf_text, soup, text_of
from pypdf import PdfReader

from decisionaid.content.root import ContentRoot
from decisionaid.handout.onepage import FLOOR

EXAMPLES = sorted(p.stem for p in (REPO / "aids").glob("*.yaml") if "." not in p.stem)


def font_sizes(path: Path) -> set[float]:
    """The size every piece of text is drawn at, in points."""
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("aid_id", EXAMPLES)
def test_summary_is_one_page_with_everything_on_it(examples: Path, aid_id: str):
    aid = ContentRoot.at(REPO).load(REPO / "aids" / f"{aid_id}.yaml").aid
    path = examples / "en" / f"{aid_id}.summary.pdf"
    assert len(PdfReader(path).pages) == 1
    assert min(font_sizes(path)) >= FLOOR
    text = pdf_text(path)
    squashed = re.sub(r"\s+", "", text)  # words wrapped at a hyphen come back split
    assert aid.decision in text and "Draft — not reviewed for patient use" in text
    for row in aid.compare:
        assert row.question in text
    for option in aid.options:
        assert option.name in text
        for item in (*option.benefits, *option.risks):
            label = (getattr(item, "name", None) or item.text).rstrip(".")
            assert re.sub(r"\s+", "", label) in squashed, label
    for question in ("Do you feel sure about the best choice for you?", "Read the full handout"):
        assert question in text
    assert "about" in text and "very common" in text  # chances in words


def test_summary_qr_code_opens_the_full_handout(examples: Path, tmp_path: Path):
    url = "https://clinic.example.org/handouts/en/rhinoplasty.html"
    pdf = examples / "en" / "rhinoplasty.summary.pdf"
    assert url in pdf_text(pdf).replace("/ ", "/")  # the address wraps after a slash
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "p-1.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == url
    page = soup(examples / "en" / "rhinoplasty.summary.html")
    assert url in page.select_one("img.qr")["alt"]


def test_summary_without_a_handouts_url_says_where_to_ask(root: Path):
    out = root / "out"
    assert build(root, out).ok
    text = pdf_text(out / "en" / "test-aid.summary.pdf")
    assert "Ask your care team for the full handout" in text
    assert soup(out / "en" / "test-aid.summary.html").select_one("img.qr") is None
    links = {a["href"] for a in soup(out / "index.html").select("table.catalog a")}
    assert "en/test-aid.summary.pdf" in links


def test_too_many_options_for_the_summary(root: Path, write_aid):
    extra = "".join(
        f"  - id: other-{k}\n    name: Other way {k}\n    description: Another way.\n"
        "    living_with: Like the others.\n"
        for k in range(4)
    )
    write_aid("test-aid", aid_text().replace("\ncompare:", "\n" + extra + "compare:", 1))
    messages = [f.message for f in check(root).aids[0].findings if f.code == "summary-too-long"]
    assert messages and "room for 4 columns" in messages[0]


def test_summary_page_is_accessible_html(examples: Path):
    page = soup(examples / "en" / "upper-eyelid-surgery.summary.html")
    assert page.html["lang"] == "en"
    assert [h.name for h in page.find_all(["h1", "h2"])][0] == "h1"
    grid = page.select_one("table.grid")
    assert len(grid.select("thead th")) == 3 and grid.select("tbody th[scope=row]")
    assert "Eyelid surgery" in text_of(grid)
