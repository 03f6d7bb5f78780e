"""The clinic's own results (`outcomes/<aid id>.yaml`): problems at their line, the
Wilson interval, the handout's words and picture, the checks, the fingerprint and diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import aid_text, check, line_of, run_cli

from decisionaid.content.outcomes import wilson
from decisionaid.content.root import ContentRoot

BRUISING = "      - name: Bruising\n"
# The test aid with its risk given an id, so that an audit can count it.
AID = aid_text().replace(BRUISING, "      - id: bruising\n        name: Bruising\n", 1)
AUDIT = """\
period: {from: 2021-01-01, to: 2025-12-31}
audited_by: Clinical governance committee
audited_on: 2026-01-20
options:
  surgery:
    treated: 212
    outcomes:
      bruising: 45
      gone: 14
"""


@pytest.fixture
def audited(root: Path) -> Path:
    (root / "aids" / "test-aid.yaml").write_text(AID, encoding="utf-8")
    (root / "outcomes").mkdir()
    (root / "outcomes" / "test-aid.yaml").write_text(AUDIT, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    report = check(root, today=dt.date(2026, 6, 1))
    found = [str(p) for p in report.problems]
    return found + [f"{f.file}:{f.line}: {f.message}" for f in report.findings]


# Known values: Wilson's 95% interval (Newcombe 1998, table I; Brown, Cai & DasGupta 2001).
@pytest.mark.parametrize(
    ("events", "n", "low", "high"),
    [
        (27, 212, 0.0891, 0.1790),
        (0, 12, 0.0, 0.2425),
        (81, 263, 0.2553, 0.3662),  # Newcombe's example: 0.2553 to 0.3662
        (15, 148, 0.0624, 0.1605),  # Newcombe's example: 0.0624 to 0.1605
        (12, 12, 0.7575, 1.0),
    ],
)
def test_wilson_known_values(events: int, n: int, low: float, high: float) -> None:
    got = wilson(events, n)
    assert got == pytest.approx((low, high), abs=0.0001)


def test_wilson_zero_events_is_about_the_rule_of_three() -> None:
    assert wilson(0, 100)[1] == pytest.approx(3.84 / 103.84, abs=0.0005)
    with pytest.raises(ValueError):
        wilson(5, 4)


def test_a_valid_audit_has_no_problems(audited: Path) -> None:
    assert not [p for p in problems(audited) if "outcomes" in p]
    audit, found = ContentRoot.at(audited).outcomes("test-aid")
    assert found == [] and audit is not None
    assert audit.count("surgery", "bruising") == (45, 212)


def _broken(audited: Path, old: str, new: str) -> tuple[list[str], int]:
    text = AUDIT.replace(old, new, 1)
    assert text != AUDIT
    (audited / "outcomes" / "test-aid.yaml").write_text(text, encoding="utf-8")
    needle = new.strip().splitlines()[0]
    found = [p for p in problems(audited) if "outcomes/test-aid.yaml" in p]
    return found, line_of(text, needle)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("  surgery:", "  surgeryy:", "unknown option 'surgeryy'"),
        ("      bruising: 45", "      swelling: 45", "unknown outcome 'swelling'"),
        ("      bruising: 45", "      bruising: 4.5", "not a whole number"),
        ("      bruising: 45", "      bruising: 0x2D", "decimal"),
        ("      bruising: 45", "      bruising: '45'", "not a number"),
        ("      bruising: 45", "      bruising: 300", "only 212 were treated"),
        ("    treated: 212", "    treated: 0", "treated is 0"),
        (
            "period: {from: 2021-01-01, to: 2025-12-31}",
            "period: {from: 2021-01-01, to: 2026-03-01}",
            "after the audit",
        ),
        ("audited_on: 2026-01-20", "audited_on: 2999-01-20", "in the future"),
    ],
)
def test_each_problem_at_its_line(audited: Path, old: str, new: str, words: str) -> None:
    found, line = _broken(audited, old, new)
    hits = [p for p in found if words in p]
    assert hits, found
    assert f"outcomes/test-aid.yaml:{line}:" in hits[0], hits
    assert "Traceback" not in "".join(found)


def test_an_outcomes_file_for_no_aid(audited: Path) -> None:
    (audited / "outcomes" / "test-ad.yaml").write_text(AUDIT, encoding="utf-8")
    found = problems(audited)
    assert any(
        "test-ad.yaml:1:" in p and "no aid 'test-ad'" in p and "test-aid" in p for p in found
    )


def test_a_broken_audit_blocks_the_aid_and_says_where(audited: Path) -> None:
    (audited / "outcomes" / "test-aid.yaml").write_text("period: [\n", encoding="utf-8")
    report = check(audited, today=dt.date(2026, 6, 1))
    assert any(
        "outcomes/test-aid.yaml" in str(f.file) and f.level == "error" for f in report.findings
    )


# In the handout, the summary and a copy: HTML only (the words are the same in the PDF).


def _html(root: Path, name: str = "test-aid.html") -> str:
    from helpers import build, soup, text_of

    out = root / "out"
    result = build(root, out, formats=["html"])
    assert result.ok, [str(p) for p in result.problems]
    return text_of(soup(out / "en" / name))


def test_the_handout_prints_the_clinic_figure_and_its_interval(audited: Path) -> None:
    text = _html(audited)
    # 45 of 212: 21.2 in 100, Wilson 16.3 to 27.2.
    assert "In our clinic (2021–2025): 45 of 212 people — about 21 in 100 (between 16 and 27)" in (
        text
    )
    assert "95% Wilson interval" in text
    assert "Clinical governance committee" in text


def test_the_picture_has_a_text_alternative(audited: Path) -> None:
    from helpers import build, soup

    out = audited / "out"
    assert build(audited, out, formats=["html"]).ok
    pictures = soup(out / "en" / "test-aid.html").select("svg.ours-picture")
    assert len(pictures) == 2
    label = pictures[1]["aria-label"]
    assert label == "Published figures: 15 to 25 in 100. Our clinic: 16 to 27 in 100."
    assert pictures[1].title.get_text() == label
    # The dot lies inside its interval, the interval beside the published band.
    dot = float(pictures[1].select_one("circle.ours-dot")["cx"])
    line = pictures[1].select_one("line.ours-range")
    assert float(line["x1"]) < dot < float(line["x2"])


def test_too_few_treated_says_so_instead_of_a_figure(audited: Path) -> None:
    audit = AUDIT.replace("treated: 212", "treated: 12").replace("bruising: 45", "bruising: 0")
    audit = audit.replace("gone: 14", "gone: 3")
    (audited / "outcomes" / "test-aid.yaml").write_text(audit, encoding="utf-8")
    from helpers import soup

    text = _html(audited)
    assert (
        "In our clinic (2021–2025): we have done this 12 times; too few to say how often it "
        "happens here" in text
    )
    assert "0 of 12" not in text
    assert not soup(audited / "out" / "en" / "test-aid.html").select("svg.ours-picture")


def test_the_too_few_rule_is_the_interval_width() -> None:
    from decisionaid.handout.clinic import TOO_WIDE, too_few

    assert too_few(0, 12)  # 0 to 24 in 100
    assert not too_few(27, 212)  # 9 to 18 in 100
    assert not too_few(0, 20)  # 0 to 16 in 100: narrow enough to say
    assert too_few(10, 20)  # 30 to 70 in 100
    low, high = wilson(6, 30)
    assert (high - low > TOO_WIDE) == too_few(6, 30)


def test_small_counts_are_fewer_than_five_with_a_wider_interval(audited: Path) -> None:
    (audited / "outcomes" / "test-aid.yaml").write_text(
        AUDIT.replace("bruising: 45", "bruising: 2"), encoding="utf-8"
    )
    text = _html(audited)
    # The interval covers every count from 1 to 4 of 212: 0.1 to 4.7 in 100.
    assert "In our clinic (2021–2025): fewer than 5 of 212 people — between 0 and 5 in 100" in text
    assert "2 of 212" not in text


def test_the_summary_carries_the_clinic_figure(audited: Path) -> None:
    text = _html(audited, "test-aid.summary.html")
    assert "in our clinic: about 21 in 100 (could be 16 to 27)" in text


FACTORS = """\
- id: smoking
  label: Smokes or vapes nicotine
  question: Does the patient smoke?
  group: smoke
"""
GROUP = """\
        for:
          - factors: [smoking]
            chance: {count: 30, per: 100, range: [20, 40], timeframe: in the first month}
            source: study1
"""


def test_a_copy_for_a_group_labels_the_clinic_figure_for_all_our_patients(
    audited: Path, tmp_path: Path
) -> None:
    from helpers import run_cli, soup, text_of

    (audited / "factors").mkdir()
    (audited / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    anchor = "certainty: high}\n        source: study1\n"
    text = AID.replace(anchor, anchor + GROUP, 1)
    assert GROUP in text
    (audited / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "copy.html"
    args = ("--root", str(audited), "--format", "html", "-o", str(out), "--factor", "smoking")
    result = run_cli("handout", "test-aid", *args)
    assert result.exit_code == 0, result.output
    page = text_of(soup(out))
    assert "For people who smoke: About 30 in 100 people (between 20 and 40)" in page
    assert (
        "In our clinic (2021–2025): 45 of 212 people — about 21 in 100 (between 16 and 27) "
        "(for all our patients)" in page
    )
    # The generic handout does not label it: it is everyone's there.
    plain = tmp_path / "plain.html"
    assert run_cli("handout", "test-aid", *args[:5], str(plain)).exit_code == 0
    assert "(for all our patients)" not in text_of(soup(plain))


def test_the_chart_note_records_the_audit(audited: Path) -> None:
    from helpers import run_cli

    result = run_cli("note", "test-aid", "--root", str(audited), "--date", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert (
        "Clinic figures shown: our own results beside the published ones, from the audit of "
        "2021–2025 by Clinical governance committee on 2026-01-20." in result.output
    )
    (audited / "outcomes" / "test-aid.yaml").unlink()
    result = run_cli("note", "test-aid", "--root", str(audited), "--date", "2026-06-01")
    assert "Clinic figures shown" not in result.output


def _findings(root: Path, code: str, today: dt.date = dt.date(2026, 6, 1)) -> list:
    report = check(root, today=today)
    return [f for f in report.findings if f.code == code]


@pytest.mark.parametrize(
    ("bruising", "words"),
    [
        (100, "is higher than the published 20 in 100 (15 to 25): worse than published"),
        (5, "is lower than the published 20 in 100 (15 to 25): better than published"),
    ],
)
def test_clinic_differs_both_ways_at_the_outcomes_line(
    audited: Path, bruising: int, words: str
) -> None:
    text = AUDIT.replace("bruising: 45", f"bruising: {bruising}")
    (audited / "outcomes" / "test-aid.yaml").write_text(text, encoding="utf-8")
    found = _findings(audited, "clinic-differs")
    assert len(found) == 1, found
    assert found[0].level == "warning" and words in found[0].message
    assert found[0].file.name == "test-aid.yaml" and found[0].file.parent.name == "outcomes"
    assert found[0].line == line_of(text, "bruising:")


def test_a_benefit_above_the_published_range_is_better(audited: Path) -> None:
    text = AUDIT.replace("gone: 14", "gone: 60")  # 28 in 100 against 3 to 10: better
    (audited / "outcomes" / "test-aid.yaml").write_text(text, encoding="utf-8")
    [found] = _findings(audited, "clinic-differs")
    assert "higher than the published 6 in 100 (3 to 10): better than published" in found.message


def test_a_clinic_within_the_published_range_is_not_flagged(audited: Path) -> None:
    assert _findings(audited, "clinic-differs") == []


def test_an_audit_older_than_the_review_period(audited: Path) -> None:
    assert _findings(audited, "clinic-audit-old") == []
    [found] = _findings(audited, "clinic-audit-old", dt.date(2027, 3, 1))
    assert found.level == "warning" and "older than the aid's review period (365 days" in (
        found.message
    )
    assert found.line == line_of(AUDIT, "audited_on:")


RHINOPLASTY = """\
period: {from: 2021-01-01, to: 2025-12-31}
audited_by: Clinical governance committee
audited_on: 2026-01-20
options:
  surgery:
    treated: 212
    outcomes:
      second-surgery: 27
"""


def test_a_count_changed_after_approval_marks_the_aid_changed_and_diff_says_it(
    tmp_path: Path,
) -> None:
    import shutil

    from helpers import REPO, run_cli, soup, text_of

    for name in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "clinic.yaml", tmp_path / "clinic.yaml")
    (tmp_path / "outcomes").mkdir(exist_ok=True)
    path = tmp_path / "outcomes" / "rhinoplasty.yaml"
    path.write_text(RHINOPLASTY, encoding="utf-8")
    root = ("--root", str(tmp_path))
    approved = run_cli("approve", "rhinoplasty", *root, "--by", "Dr. Ada Brook")
    assert approved.exit_code == 0, approved.output
    assert run_cli("status", *root).exit_code == 0
    path.write_text(
        RHINOPLASTY.replace("treated: 212", "treated: 240").replace(": 27", ": 30"),
        encoding="utf-8",
    )
    status = run_cli("status", *root)
    assert status.exit_code == 1 and "changed since approval" in status.output
    diff = run_cli("diff", "rhinoplasty", *root)
    assert "A second surgery, in our clinic: 27 of 212 → 30 of 240" in diff.output, diff.output
    out = tmp_path / "copy.html"
    args = ("--format", "html", "-o", str(out))
    result = run_cli("handout", "rhinoplasty", *root, *args)
    assert result.exit_code == 0, result.output  # clinic.yaml's front_desk: drafts
    assert "Changed since it was approved" in text_of(soup(out))
    # A comment changes nothing a patient reads: approved again, then a comment added.
    assert run_cli("approve", "rhinoplasty", *root, "--by", "Dr. Ada Brook").exit_code == 0
    path.write_text("# checked twice\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("status", *root).exit_code == 0


def test_adding_or_changing_an_outcomes_file_makes_that_aid_again(root: Path) -> None:
    from decisionaid.publish.build import build
    from decisionaid.settings import BuildOptions

    def made() -> list[str]:
        report = build(root, BuildOptions(out=root / "out", formats=("html",)))
        assert report.ok, report.problems
        return [b.key for b in report.built]

    (root / "aids" / "test-aid.yaml").write_text(AID, encoding="utf-8")
    assert made() == ["en/test-aid"]
    assert made() == []
    (root / "outcomes").mkdir()
    (root / "outcomes" / "test-aid.yaml").write_text(AUDIT, encoding="utf-8")
    assert made() == ["en/test-aid"]
    (root / "outcomes" / "test-aid.yaml").write_text(
        AUDIT.replace("bruising: 45", "bruising: 46"), encoding="utf-8"
    )
    assert made() == ["en/test-aid"]


def test_the_quality_report_and_status_draw_each_outcome_with_a_text_alternative(
    audited: Path,
) -> None:
    from helpers import build, soup

    from decisionaid.pipeline.result import Context
    from decisionaid.pipeline.status import status_rows
    from decisionaid.settings import BuildOptions

    text = AUDIT.replace("bruising: 45", "bruising: 100")
    (audited / "outcomes" / "test-aid.yaml").write_text(text, encoding="utf-8")
    out = audited / "out"
    report = build(audited, out, formats=["html"])
    assert report.ok, [str(p) for p in report.problems]
    page = soup(out / "en" / "test-aid.check.html")
    section = page.select_one("section[aria-labelledby=h-ours]")
    assert section is not None
    pictures = section.select("svg.ours-picture")
    assert len(pictures) == 2
    labels = [svg["aria-label"] for svg in pictures]
    assert "Published figures: 15 to 25 in 100. Our clinic: 41 to 54 in 100." in labels
    assert all(svg.title.get_text() == svg["aria-label"] for svg in pictures)
    assert "100 of 212: 41 to 54 in 100" in section.get_text(" ")
    assert "higher than published" in section.get_text(" ")
    assert "on 20 January 2026." in section.get_text(" ")  # a date no reader can misread

    ctx = Context.open(audited, BuildOptions(today=dt.date(2026, 6, 1)))
    [row] = status_rows(ctx)
    assert [r.label for r in row.clinic] == ["The problem goes away.", "Bruising"]
    assert row.as_dict()["clinic_outcomes"][1]["differs"] == "higher"
    terminal = run_cli("status", "--root", str(audited)).output  # the same, in words
    assert (
        "test-aid (en), surgery: Bruising: 100 of 212 (41 to 54 in 100); published 15 to "
        "25 in 100; higher than published" in terminal
    )


def test_the_example_in_authoring_md_builds_and_prints_its_line(tmp_path: Path) -> None:
    import re
    import shutil

    from helpers import REPO, build, soup, text_of

    docs = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = docs[docs.index("## The clinic's own results") :]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert example is not None
    for name in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "clinic.yaml", tmp_path / "clinic.yaml")
    (tmp_path / "outcomes").mkdir()
    (tmp_path / "outcomes" / "rhinoplasty.yaml").write_text(example[1], encoding="utf-8")
    report = build(tmp_path, tmp_path / "out", ("rhinoplasty",), formats=["html"])
    assert report.ok, [str(p) for p in report.problems]
    text = text_of(soup(tmp_path / "out" / "en" / "rhinoplasty.html"))
    assert "In our clinic (2021–2025): 24 of 212 people — about 1 in 10 (between 1 and 2)" in text


def test_the_examples_carry_an_audit_that_matches_and_one_too_few(tmp_path: Path) -> None:
    from helpers import REPO, build, soup, text_of

    out = tmp_path / "out"
    selectors = ("rhinoplasty", "carpal-tunnel-release")
    report = build(REPO, out, selectors, formats=["html"])
    assert report.ok, [str(p) for p in report.problems]
    rhinoplasty = text_of(soup(out / "en" / "rhinoplasty.html"))
    assert "In our clinic (2021–2025): 170 of 212 people — about 8 in 10 (between 7 and 8)" in (
        rhinoplasty
    )
    assert "invented counts" in rhinoplasty  # never passed off as real evidence
    carpal = text_of(soup(out / "en" / "carpal-tunnel-release.html"))
    assert "we have done this 12 times; too few to say how often it happens here" in carpal
    arabic = text_of(soup(out / "ar" / "carpal-tunnel-release.html"))
    assert "في عيادتنا (2025)" in arabic and "قليل جداً" in arabic
    found = check(REPO, selectors, today=dt.date(2026, 12, 1))
    assert not [f for f in found.findings if f.code.startswith("clinic-")]


def test_the_apps_status_page_draws_the_clinics_results(audited: Path, serve) -> None:
    from bs4 import BeautifulSoup

    served = serve(audited, in_process=True, clock=lambda: dt.date(2026, 6, 1))
    page = BeautifulSoup(served.get("/status", timeout=60), "html.parser")
    section = page.select_one("section.ours-status")
    assert section is not None
    pictures = section.select("svg.ours-picture")
    assert [svg["aria-label"] for svg in pictures][1] == (
        "Published figures: 15 to 25 in 100. Our clinic: 16 to 27 in 100."
    )
    assert "45 of 212: 16 to 27 in 100" in section.get_text(" ")


def test_the_app_sees_a_changed_count(audited: Path, serve) -> None:
    import time

    served = serve(audited, in_process=True, clock=lambda: dt.date(2026, 6, 1))
    assert "45 of 212: 16 to 27 in 100" in served.get("/status", timeout=60)
    (audited / "outcomes" / "test-aid.yaml").write_text(
        AUDIT.replace("bruising: 45", "bruising: 50"), encoding="utf-8"
    )
    for _ in range(300):
        if "50 of 212" in served.get("/status", timeout=60):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the app did not see the changed outcomes file")


def test_right_to_left_mirrors_the_picture_without_a_transform(audited: Path) -> None:
    from helpers import build, soup

    def ends(language: str) -> tuple[float, float]:
        page = soup(audited / "out" / language / "test-aid.html")
        assert not page.select("svg [transform]")
        line = page.select("svg.ours-picture")[1].select_one("line.ours-range")
        return float(line["x1"]), float(line["x2"])

    text = AID.replace("id: test-aid", "id: test-aid\nlanguage: he")
    (audited / "aids" / "test-aid.he.yaml").write_text(text, encoding="utf-8")
    assert build(audited, audited / "out", formats=["html"]).ok
    low, high = ends("en")
    assert low < high
    # Drawn from the right: each end where the left-to-right page has it, mirrored.
    assert ends("he") == pytest.approx((300 - high, 300 - low))


def test_no_events_reads_fewer_than_one_never_about_zero(audited: Path) -> None:
    (audited / "outcomes" / "test-aid.yaml").write_text(
        AUDIT.replace("bruising: 45", "bruising: 0"), encoding="utf-8"
    )
    text = _html(audited)
    # 0 of 212: 0 to 1.8 in 100, narrow enough to say; never "about 0", never "never".
    assert "In our clinic (2021–2025): 0 of 212 people — fewer than 1 in 100 (between 0 and 2)" in (
        text
    )
    assert "about 0 in 100" not in text
    summary = _html(audited, "test-aid.summary.html")
    assert "in our clinic: fewer than 1 in 100 (could be 0 to 2)" in summary
