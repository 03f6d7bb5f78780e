"""The one-page summary is laid out once, at the size its words need, and `check`'s
model agrees with the pages WeasyPrint makes: every example in every language, on
Letter and on A4, as built and as the longest copy the front desk prints."""

from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

import pytest
from helpers import DRAFTS, FIXTURES, REPO, aid_text, build, check, page_fill
from pypdf import PdfReader

from decisionaid.handout.onepage import FLOOR, SIZES
from decisionaid.pipeline import core as pipeline
from decisionaid.pipeline.core import make_aid, make_copy
from decisionaid.pipeline.result import Context
from decisionaid.quality.summary_fit import copies_to_check
from decisionaid.settings import BuildOptions

EXAMPLES = sorted((REPO / "aids").glob("*.yaml"))
PAPERS = ("letter", "a4")
SUMMARY_MARGINS = {"top_mm": 12, "bottom_mm": 14}  # templates/summary.css @page


def font_sizes(data: bytes) -> list[float]:
    """The size of every piece of text on the page, in points."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 2))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.fixture
def layouts(monkeypatch) -> list[str]:
    """Each HTML WeasyPrint lays out through the pipeline (WeasyPrint itself runs)."""
    done: list[str] = []
    real = pipeline.render_pdf

    def counted(html, layout):
        done.append(html)
        return real(html, layout)

    monkeypatch.setattr(pipeline, "render_pdf", counted)
    return done


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_summary_check_looks_at_prints_on_one_page_in_one_layout(
    path: Path, paper: str, layouts: list[str], tmp_path: Path
):
    ctx = Context.open(REPO, BuildOptions(formats=("pdf",), paper=paper))
    loaded = ctx.content.load(path)
    checked = make_aid(loaded, ctx, render=False)
    assert [f for f in checked.check.findings if f.code == "summary-too-long"] == []
    for label, consult in copies_to_check(loaded.aid):
        layouts.clear()
        result = make_copy(loaded, ctx, consult, checked)
        assert result.ok, (label, result.problems)
        data = result.files["copy"]
        assert len(PdfReader(io.BytesIO(data)).pages) == 1, label
        assert len(layouts) == 1, label  # its size and columns were known before
        sizes = font_sizes(data)
        body = max(set(sizes), key=sizes.count)  # the size most of the text is set in
        assert min(sizes) >= FLOOR and FLOOR <= body <= SIZES[0], label
        if body < SIZES[0]:  # made smaller: then there was no room for the next size up
            pdf = tmp_path / "copy.pdf"
            pdf.write_bytes(data)
            assert page_fill(pdf, **SUMMARY_MARGINS)[0] >= 0.85, (label, body)


def _many_rows(n: int) -> str:
    rows = "".join(
        f"  - question: A long extra question number {k} about how the recovery goes?\n"
        "    answers: {surgery: Most people take about two weeks off and then go back to "
        "work slowly., wait: Nothing changes and no time off is needed at all.}\n"
        for k in range(n)
    )
    return aid_text().replace("compare:\n", "compare:\n" + rows, 1)


@pytest.mark.parametrize("rows", [9, 10, 12])
def test_check_warns_exactly_when_a_summary_would_not_print(tmp_path: Path, rows: int):
    """Around the edge: check says nothing, and every copy prints on one page; or check
    warns, and some copy does not fit (or fits with next to no room to spare)."""
    (tmp_path / "aids").mkdir()
    (tmp_path / "glossary").mkdir()
    shutil.copy(FIXTURES / "glossary-en.yaml", tmp_path / "glossary" / "en.yaml")
    (tmp_path / "aids" / "test-aid.yaml").write_text(_many_rows(rows), encoding="utf-8")
    (tmp_path / "clinic.yaml").write_text(DRAFTS, encoding="utf-8")
    warned = [f for f in check(tmp_path).aids[0].findings if f.code == "summary-too-long"]
    printed = []  # (on one page, how full) of each copy check looks at, on each paper
    for paper in PAPERS:
        ctx = Context.open(tmp_path, BuildOptions(formats=("pdf",), paper=paper))
        loaded = ctx.content.load(tmp_path / "aids" / "test-aid.yaml")
        for _, consult in copies_to_check(loaded.aid):
            result = make_copy(loaded, ctx, consult)
            pdf = tmp_path / f"{paper}.pdf"
            if result.ok:
                pdf.write_bytes(result.files["copy"])
            printed.append((result.ok, page_fill(pdf, **SUMMARY_MARGINS)[0] if result.ok else 1))
    if warned:
        assert any(not ok or fill >= 0.97 for ok, fill in printed), printed
    else:
        assert all(ok for ok, _ in printed), printed
    assert (rows >= 10) == bool(warned)  # the edge is where these rows put it


def test_a_summary_too_long_even_at_the_floor(root: Path, write_aid, layouts: list[str]):
    """Check names the row to shorten at its line; the build leaves the summary out and
    says so; a copy for the front desk is refused, never printed on two pages."""
    text = _many_rows(16)
    write_aid("test-aid", text)
    found = [f for f in check(root).aids[0].findings if f.code == "summary-too-long"]
    assert len(found) == 1 and found[0].level == "warning"
    assert "even at 9 pt (Letter" in found[0].message
    assert "shorten the answers to 'A long extra question number 0" in found[0].message
    assert (
        found[0].line
        == text.splitlines().index(
            "  - question: A long extra question number 0 about how the recovery goes?"
        )
        + 1
    )
    report = build(root, root / "out", formats=["pdf"])
    assert report.ok
    assert [w for w in report.warnings if "summary.pdf: does not fit" in w]
    assert not (root / "out" / "en" / "test-aid.summary.pdf").exists()
    assert (root / "out" / "en" / "test-aid.pdf").is_file()
    ctx = Context.open(root, BuildOptions(formats=("pdf",)))
    loaded = ctx.content.load(root / "aids" / "test-aid.yaml")
    layouts.clear()
    copy = make_copy(loaded, ctx, copies_to_check(loaded.aid)[0][1])
    assert not copy.ok and "does not fit on one page" in copy.problems[0].message
    assert len(layouts) == 1  # at the floor, once: the model knew no larger size would do
