"""End to end: real YAML in, real HTML and PDF out, read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, build, pdf_pages, pdf_text, soup, text_of
from pypdf import PdfReader

from decisionaid.content.root import ContentRoot

SECTIONS = [
    "Who this is for",
    "About the problem",
    "Your options at a glance",
    "What happens",
    "Living with this choice",
    "Possible benefits",
    "Possible risks",
    "What we do not know",
    "What to expect",
    "What matters to you",
    "Questions to ask your care team",
    "Next steps",
    "Words to know",
    "About this handout",
]

EXAMPLES = sorted(p.stem for p in (REPO / "aids").glob("*.yaml") if "." not in p.stem)


def test_there_are_the_promised_examples():
    assert len(EXAMPLES) >= 4
    for aid_id in EXAMPLES:
        loaded = ContentRoot.at(REPO).load(REPO / "aids" / f"{aid_id}.yaml")
        assert loaded.problems == []
        assert loaded.aid.status == "draft"


@pytest.mark.parametrize("aid_id", EXAMPLES)
def test_example_pdf_has_every_section_and_figure(examples: Path, aid_id: str):
    aid = ContentRoot.at(REPO).load(REPO / "aids" / f"{aid_id}.yaml").aid
    text = pdf_text(examples / "en" / f"{aid_id}.pdf")
    for heading in [*SECTIONS, aid.title, aid.decision, aid.funding, aid.conflicts]:
        assert heading in text, heading
    for option in aid.options:
        assert option.name in text
        for risk in option.risks:
            assert risk.name in text
    # Every chance as a natural frequency with its time frame, never a percentage (the
    # one "%" allowed names the clinic's interval, as statisticians name it, in the key).
    for chance in aid.chances():
        assert chance.timeframe in text
    assert "%" not in re.sub(r"95%\s+Wilson", "", text)
    # The draft mark on every page; "Page N of M" on every page.
    pages = pdf_pages(examples / "en" / f"{aid_id}.pdf")
    for number, page in enumerate(pages, start=1):
        assert "Draft — not reviewed for patient use" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Example Plastic Surgery Clinic" in page


@pytest.mark.parametrize("aid_id", EXAMPLES)
def test_example_html_is_semantic(examples: Path, aid_id: str):
    page = soup(examples / "en" / f"{aid_id}.html")
    assert page.html["lang"] == "en"
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    headings = [text_of(h) for h in page.find_all(["h2", "h3"])]
    for section in SECTIONS:
        assert section in headings, section
    for table in page.find_all("table"):
        assert table.find("th") is not None
    for img in page.find_all(["img", "svg"]):
        if img.get("aria-hidden") != "true" and "swatch" not in img.get("class", []):
            assert img.get("alt") or img.get("aria-label"), img
    ids = [t["id"] for t in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert page.select_one(".draft-banner") is not None


def test_pdf_is_tagged_with_language_and_title(examples: Path):
    reader = PdfReader(examples / "en" / "upper-eyelid-surgery.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Upper eyelid surgery (blepharoplasty)"


def test_paper_size_from_clinic(root: Path):
    out = root / "out"
    build(root, out, formats=["pdf"])
    width = float(PdfReader(out / "en" / "test-aid.pdf").pages[0].mediabox.width)
    assert round(width) == 612  # US Letter, 8.5 in
    (root / "clinic.yaml").write_text("name: A4 Clinic\nphone: 0100\npaper: a4\n", encoding="utf-8")
    build(root, out, formats=["pdf"])
    reader = PdfReader(out / "en" / "test-aid.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4, 210 mm
    assert "A4 Clinic" in pdf_text(out / "en" / "test-aid.pdf")


def test_hand_written_aid_builds_into_a_full_handout(root: Path):
    out = root / "out"
    report = build(root, out)
    assert report.ok, report.problems
    text = pdf_text(out / "en" / "test-aid.pdf")
    assert "About 6 in 100 people (between 3 and 10), within 1 year" in text
    assert "About 20 in 100 people (between 15 and 20" not in text
    assert "About 20 in 100 people (between 15 and 25), in the first month" in text
    page = soup(out / "en" / "test-aid.html")
    compare = page.select_one("table.compare")
    assert [text_of(th) for th in compare.select("thead th")] == [
        "Question",
        "Have surgery",
        "Wait and see",
    ]
    assert [text_of(td) for td in compare.select("tbody td")] == ["One week.", "None."]
    assert page.select_one("#source-1") and "Study One" in text_of(page.select_one("#source-1"))
    assert page.select_one('a[href="test-aid.pdf"]') is not None
    assert len(page.select("#values table.values:not(.sure) tbody tr")) == 1
    assert len(page.select("#values table.sure tbody tr")) == 4
    assert len(page.select("#questions li")) == 1


def test_index_lists_every_built_aid(examples: Path):
    page = soup(examples / "index.html")
    rows = page.select("table.catalog tbody tr")
    assert len(rows) == len(list((REPO / "aids").glob("*.yaml")))  # translations too
    hrefs = {a["href"] for a in page.select("table.catalog a")}
    for aid_id in EXAMPLES:
        assert f"en/{aid_id}.html" in hrefs and f"en/{aid_id}.pdf" in hrefs
    assert "Draft" in text_of(rows[0])


def test_format_option_writes_only_that_format(root: Path):
    out = root / "out"
    build(root, out, formats=["html"])
    assert (out / "en" / "test-aid.html").is_file()
    assert not (out / "en" / "test-aid.pdf").exists()
    page = soup(out / "en" / "test-aid.html")
    assert page.select_one('a[href="test-aid.pdf"]') is None


def test_template_override_file_by_file(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "strings.html").write_text(
        (REPO / "templates" / "strings.html")
        .read_text(encoding="utf-8")
        .replace("About %(num)s in", "Roughly %(num)s in"),
        encoding="utf-8",
    )
    build(root, root / "out", formats=["html"])
    text = text_of(soup(root / "out" / "en" / "test-aid.html"))
    assert "Roughly 6 in 100 people" in text and "Words to know" in text


@pytest.mark.parametrize(
    ("given", "said"),
    [("'soon'", "long_date: 'soon' is not a date (YYYY-MM-DD)"), ("3", "long_date: int is not")],
)
def test_a_date_filter_given_no_date_is_a_problem_at_the_templates_line(
    root: Path, given: str, said: str
):
    """A date written as text is read (2026-02-10 prints as 10 February 2026); what is
    no date is the template's problem at its line, not an internal error."""
    (root / "templates").mkdir()
    override = root / "templates" / "handout.html"
    original = (REPO / "templates" / "handout.html").read_text(encoding="utf-8")
    override.write_text("{{ '2026-02-10'|long_date }}\n" + original, encoding="utf-8")
    build(root, root / "out", formats=["html"])
    assert "10 February 2026" in text_of(soup(root / "out" / "en" / "test-aid.html"))
    override.write_text(f"{{{{ {given}|long_date }}}}\n" + original, encoding="utf-8")
    report = build(root, root / "out", formats=["html"])
    messages = [str(p) for p in report.problems]
    assert len(messages) == 1 and f"handout.html:1: template error: {said}" in messages[0]


def test_broken_override_template_is_reported_not_raised(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_text("{% if %}", encoding="utf-8")
    report = build(root, root / "out", formats=["html"])
    assert not report.ok
    assert "template error" in str(report.problems[0])
    assert not (root / "out" / "en" / "test-aid.html").exists()


def test_large_print_on_request(root: Path):
    out = root / "out"
    assert build(root, out).ok
    report = build(root, out, large_print=True)
    assert report.ok, report.problems
    large, normal = out / "en" / "test-aid.large.pdf", out / "en" / "test-aid.pdf"
    assert large.is_file() and normal.is_file()
    assert "large-print" in soup(out / "en" / "test-aid.large.html").body["class"]
    assert len(PdfReader(large).pages) > len(PdfReader(normal).pages)
    assert "About 6 in 100 people (between 3 and 10), within 1 year" in pdf_text(large)
    index = soup(out / "index.html")
    assert index.select_one('a[href="en/test-aid.large.pdf"]') is not None
