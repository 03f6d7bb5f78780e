"""Chances for the patient's own group: content, checks, the generic handout and a
personalised copy, read back from the PDF and the HTML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import aid_text, build, check, line_of, pdf_pages, pdf_text, run_cli, soup

FACTORS = """\
- id: smoking
  label: Smokes or vapes nicotine
  question: Does the patient smoke?
  group: smoke
- id: diabetes
  label: Has diabetes
  question: Does the patient have diabetes?
  group: have diabetes
- id: high-bmi
  label: BMI of 30 or more
  question: Is the patient's BMI 30 or more?
  group: have a BMI of 30 or more
"""
BRUISING = (
    "        chance: {count: 20, per: 100, range: [15, 25], timeframe: in the first month, "
    "certainty: high}\n"
)
SINGLE = """\
        for:
          - factors: [smoking]
            chance: {count: 30, per: 100, range: [20, 40], timeframe: in the first month}
            source: study1
          - factors: [diabetes]
            chance: {count: 25, per: 100, range: [15, 35], timeframe: in the first month}
            source: study1
"""
COMBINED = """\
          - factors: [smoking, diabetes]
            chance: {count: 40, per: 100, range: [25, 55], timeframe: in the first month}
            source: study1
"""


def with_groups(groups: str = SINGLE) -> str:
    text = aid_text()
    assert BRUISING in text
    return text.replace(BRUISING, BRUISING + "        source: study1\n" + groups, 1).replace(
        "        source: study1\n        source: study1\n", "        source: study1\n"
    )


@pytest.fixture
def factors_root(root: Path, write_aid) -> Path:
    (root / "factors").mkdir()
    (root / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    write_aid("test-aid", with_groups())
    return root


def copy(root: Path, tmp_path: Path, *factors: str, fmt: str = "pdf") -> Path:
    out = tmp_path / f"copy-{'-'.join(factors) or 'none'}.{fmt}"
    args = [arg for factor in factors for arg in ("--factor", factor)]
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--format", fmt, "-o", str(out), *args
    )
    assert result.exit_code == 0, result.output
    return out


def affected(path: Path) -> list[int]:
    """How many people each icon array of an HTML copy draws dark."""
    return [
        sum(int(r["data-people"]) for r in svg.select("rect.people.affected"))
        for svg in soup(path).select("svg.icon-array")
    ]


def test_the_fixture_content_is_valid(factors_root: Path):
    report = check(factors_root)
    assert report.count("error") == 0, [str(f) for f in report.findings if f.level == "error"]
    notes = [f for f in report.factor_findings if f.code == "unused-factor"]
    assert [f.message for f in notes] == [
        "factor 'high-bmi' is defined but no aid gives a figure for it"
    ]
    assert notes[0].line == line_of(FACTORS, "id: high-bmi")


def test_generic_handout_gives_each_group_in_words(factors_root: Path):
    out = factors_root / "out"
    assert build(factors_root, out).ok
    text = pdf_text(out / "en" / "test-aid.pdf")
    assert "For people who smoke it is higher: about 30 in 100 (could be 20 to 40)" in text
    assert "For people who have diabetes it is higher: about 25 in 100" in text
    assert affected(out / "en" / "test-aid.html") == [6, 20]  # no extra picture
    summary = pdf_text(out / "en" / "test-aid.summary.pdf")
    assert "For people who smoke it is higher: about 30 in 100" in summary


def test_copy_for_one_factor(factors_root: Path, tmp_path: Path):
    pdf = copy(factors_root, tmp_path, "smoking")
    first = pdf_pages(pdf)[0]
    assert "The chances in this copy are for people who smoke, where the evidence gives them" in (
        first
    )
    text = pdf_text(pdf)
    assert "For people who smoke: About 30 in 100 people (between 20 and 40)" in text
    assert "For all patients: about 20 in 100 (could be 15 to 25), in the first month" in text
    assert affected(copy(factors_root, tmp_path, "smoking", fmt="html")) == [6, 30]


def test_copy_for_two_factors_with_a_combined_figure(root: Path, write_aid, tmp_path: Path):
    (root / "factors").mkdir()
    (root / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    write_aid("test-aid", with_groups(SINGLE + COMBINED))
    text = pdf_text(copy(root, tmp_path, "smoking", "diabetes"))
    assert "For people who smoke and have diabetes: About 40 in 100 people" in text
    assert "For all patients: about 20 in 100" in text
    assert "not known" not in text
    html = copy(root, tmp_path, "smoking", "diabetes", fmt="html")
    assert affected(html) == [6, 40]


def test_copy_for_two_factors_without_a_combined_figure(factors_root: Path, tmp_path: Path):
    text = pdf_text(copy(factors_root, tmp_path, "smoking", "diabetes"))
    # Never multiplied or added: each figure on its own, and the combination unknown.
    assert "For people who smoke it is higher: about 30 in 100" in text
    assert "For people who have diabetes it is higher: about 25 in 100" in text
    assert (
        "The chance for people who smoke and have diabetes is not known: the evidence gives "
        "each figure on its own, and they cannot be added together." in text
    )
    assert "About 20 in 100 people (between 15 and 25)" in text  # the general figure, drawn
    assert affected(copy(factors_root, tmp_path, "smoking", "diabetes", fmt="html")) == [6, 20]
    for made_up in ("45 in 100", "55 in 100", "50 in 100"):
        assert made_up not in text


def test_a_factor_the_aid_has_no_figure_for_is_refused(factors_root: Path, tmp_path: Path):
    result = run_cli(
        "handout", "test-aid", "--root", str(factors_root), "--factor", "high-bmi",
        "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no figures for factor(s) 'high-bmi'" in result.output
    assert "its factors are: smoking, diabetes" in result.output


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "count: 30, per: 100, range: [20, 40], timeframe: in the first month",
            "count: 30, per: 100, range: [20, 40], timeframe: in the first year",
            "timeframe: in the first year",
            "differs from the general figure's 'in the first month'",
        ),
        ("factors: [smoking]", "factors: [smokng]", "factors: [smokng]", "unknown factor 'smokng'"),
        ("factors: [diabetes]", "factors: [smoking]", "- factors: [smoking]\n", "listed twice"),
    ],
)
def test_group_rules_at_their_line(factors_root: Path, write_aid, old, new, needle, message):
    text = with_groups().replace(old, new)
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(factors_root))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if message in line]
    assert lines, result.output
    expected = text.index(needle.strip()) if "\n" not in needle else None
    number = (
        text[:expected].count("\n") + 1
        if expected is not None
        else [i + 1 for i, line in enumerate(text.splitlines()) if "factors: [smoking]" in line][-1]
    )
    assert f"test-aid.yaml:{number}:" in lines[0]


def test_a_group_figure_without_a_source_is_an_ipdas_error(factors_root: Path, write_aid):
    text = with_groups()
    groups_at = text.index("          - factors: [diabetes]")
    without = text[:groups_at] + text[groups_at:].replace("            source: study1\n", "", 1)
    write_aid("test-aid", without)
    errors = [f for f in check(factors_root).aids[0].findings if f.code == "ipdas-source"]
    assert len(errors) == 1 and "for diabetes" in errors[0].message
    assert errors[0].line == line_of(without, "count: 25, per: 100")


def test_the_chosen_factors_go_into_the_copy_only(factors_root: Path):
    before = {p: p.stat().st_mtime_ns for p in factors_root.rglob("*") if p.is_file()}
    done = subprocess.run(
        [sys.executable, "-m", "decisionaid", "handout", "test-aid", "--root", str(factors_root),
         "--factor", "diabetes", "-o", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert done.stdout.startswith(b"%PDF") and b"diabetes" not in done.stderr
    after = {p: p.stat().st_mtime_ns for p in factors_root.rglob("*") if p.is_file()}
    assert after == before  # nothing written into the content root


def test_the_groups_words_are_checked_like_any_text(factors_root: Path):
    text = FACTORS.replace("group: have diabetes", "group: have insulin-dependent hyperglycemia")
    (factors_root / "factors" / "en.yaml").write_text(text, encoding="utf-8")
    found = [f for f in check(factors_root).factor_findings if f.code == "jargon"]
    assert found and "hyperglycemia" in found[0].message
    assert found[0].line == line_of(text, "hyperglycemia")
