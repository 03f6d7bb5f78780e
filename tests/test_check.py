"""`decisionaid check`: each check on real files, with the line it reports."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, check, line_of, run_cli, soup, text_of

from decisionaid.quality.readability import measure, sentences, syllables

TODAY = dt.date(2026, 11, 24)
JARGON = (
    "The edema and ecchymosis that follow a blepharoplasty are usually self-limiting but in a "
    "small proportion of patients the periorbital tissues remain indurated for a considerable "
    "period of time afterwards."
)


def findings(root: Path, aid_id: str = "test-aid", today: dt.date = TODAY) -> list:
    report = check(root, (aid_id,), today=today)
    return report.aids[0].findings


def codes(found) -> list[str]:
    return sorted(f.code for f in found if f.level != "info")


def by_code(found, code: str) -> list:
    return [f for f in found if f.code == code]


def test_examples_check_clean_and_read_at_grade_8_or_below():
    report = check(REPO, today=dt.date(2026, 11, 24))
    assert report.count("error") == 0, [str(f) for f in report.findings if f.level == "error"]
    assert report.count("warning") == 0, [str(f) for f in report.findings if f.level == "warning"]
    for aid in report.aids:
        assert aid.ipdas_met == len(aid.criteria) == 17
        if aid.language == "en":  # the grade formulas are English ones
            assert aid.reading["grade"] <= 8, (aid.id, aid.reading)
        else:  # a formula made for the language, or a note that there is none here
            code = "reading-ease-es" if aid.language == "es" else "reading-formula"
            assert any(f.code == code for f in aid.findings), aid.language


def test_the_broken_copy_of_an_example(tmp_path: Path):
    """No no-action option, no funding, no sources, a past review_by, long jargon sentences."""
    root = tmp_path
    (root / "aids").mkdir()
    shutil.copytree(REPO / "glossary", root / "glossary")
    shutil.copytree(REPO / "factors", root / "factors")
    shutil.copytree(REPO / "images", root / "images")
    (root / "clinic.yaml").write_text("jargon: [edema, indurated]\n", encoding="utf-8")
    text = (REPO / "aids" / "upper-eyelid-surgery.yaml").read_text(encoding="utf-8")
    text = text[: text.index("  - id: no-surgery")] + text[text.index("compare:") :]
    text = text.replace("funding: Written by clinic staff. No outside company paid for it.\n", "")
    text = text[: text.index("sources:")] + text[text.index("options:") :]
    text = "\n".join(line for line in text.splitlines() if "source: draft-figures" not in line)
    text = text.replace("updated: 2026-11-20", "updated: 2025-06-01")
    text = text.replace("review_by: 2027-11-20", "review_by: 2026-06-01")
    text = text.replace(
        "  Without surgery, the extra skin stays.",
        f"  {JARGON}\n  Without surgery, the extra skin stays.",
    )
    text = text.replace(
        "answers: {surgery: About 10 days., no-surgery: No time off.}",
        "answers: {surgery: About 10 days.}",
    )
    text = text.replace(", no-surgery: No scar.}", "}")
    text = text.replace("      no-surgery: Nothing to pay.\n", "")
    text = re.sub(r"      no-surgery: \{[^}]*\}\n", "", text)  # the goals' answers
    path = root / "aids" / "upper-eyelid-surgery.yaml"
    path.write_text(text, encoding="utf-8")

    found = findings(root, "upper-eyelid-surgery")
    errors = [f for f in found if f.level == "error"]
    assert sorted({f.code for f in errors}) == [
        "ipdas-funding",
        "ipdas-no-action",
        "ipdas-options",
        "ipdas-source",
    ], [str(f) for f in errors]
    options_line = line_of(text, "options:")
    assert {f.line for f in by_code(found, "ipdas-no-action")} == {options_line}
    assert {f.line for f in by_code(found, "ipdas-options")} == {options_line}
    assert by_code(found, "ipdas-funding")[0].line <= 2
    chance_lines = sorted(i for i, line in enumerate(text.splitlines(), 1) if "chance:" in line)
    assert sorted(f.line for f in by_code(found, "ipdas-source")) == chance_lines
    overdue = by_code(found, "review-overdue")
    assert [(f.level, f.line) for f in overdue] == [("warning", line_of(text, "review_by:"))]
    long = by_code(found, "long-sentence")
    assert [f.line for f in long] == [line_of(text, "The edema and ecchymosis")]
    jargon = by_code(found, "jargon")
    assert jargon and jargon[0].line == line_of(text, "condition: |")
    for word in ("edema", "ecchymosis", "indurated"):
        assert word in jargon[0].message
    hard = by_code(found, "hard-words")
    assert any("considerable" in f.message for f in hard)
    report = check(root, today=TODAY)
    assert "IPDAS: 13 of 17" in report.aids[0].ipdas_summary

    result = run_cli("check", "--root", str(root))
    assert result.exit_code == 1
    assert f"upper-eyelid-surgery.yaml:{options_line}: error ipdas-no-action" in result.output
    assert "Traceback" not in result.output
    # build refuses it (no no-action option), with the same lines
    built = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    assert built.exit_code == 1
    assert f"upper-eyelid-surgery.yaml:{options_line}: options:" in built.stderr
    assert not (root / "out" / "en" / "upper-eyelid-surgery.pdf").exists()


def test_approved_aid_past_review_is_an_error(root: Path, write_aid):
    write_aid(
        "test-aid", aid_text().replace("status: draft", "status: approved\napproved_by: Dr. X")
    )
    later = dt.date(2027, 2, 1)
    overdue = by_code(findings(root, today=later), "review-overdue")
    assert [f.level for f in overdue] == ["error"]
    assert not build(root, root / "out", today=later).ok


def test_updated_in_the_future_is_an_error(root: Path, write_aid):
    write_aid("test-aid", aid_text().replace("updated: 2026-01-10", "updated: 2026-12-24"))
    found = by_code(findings(root), "updated-in-future")
    assert [(f.level, f.line) for f in found] == [("error", line_of(aid_text(), "updated:"))]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("range: [3, 10], ", "", "ipdas-range"),
        ("        source: study1\n", "", "ipdas-source"),
        ("update_policy: Checked every year.\n", "", "ipdas-update-policy"),
        ("conflicts: None.\n", "", "ipdas-conflicts"),
        ("      - text: No risks of surgery.\n", "      []\n", "ipdas-benefits"),
    ],
)
def test_each_ipdas_item(root: Path, write_aid, old, new, code):
    text = aid_text()
    assert old in text
    if code == "ipdas-benefits":
        text = text.replace("    benefits:\n" + old, "    benefits: []\n", 1)
        text = text.replace(
            "    benefits:\n      - text: No risks of surgery.\n", "    benefits: []\n"
        )
    else:
        text = text.replace(old, new, 1)
    write_aid("test-aid", text)
    found = findings(root)
    assert code in codes(found), [str(f) for f in found]
    report = check(root, today=TODAY).aids[0]
    assert any(not c.met and c.code == code for c in report.criteria)
    assert report.ipdas_met == len(report.criteria) - 1


def test_each_option_needs_harms(root: Path, write_aid):
    text = aid_text().replace(
        "    risks:\n      - name: It stays\n        text: The problem stays.\n"
        "        severity: minor\n",
        "    risks: []\n",
    )
    write_aid("test-aid", text)
    harms = by_code(findings(root), "ipdas-harms")
    assert [f.line for f in harms] == [line_of(text, "- id: wait")]


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("About 15% of people get a bruise.", "chance-not-a-figure"),
        ("Bruising happens to 20 in 100 people.", "chance-written-by-hand"),
        ("Bruising happens to 2 in 10 people.", "chance-other-denominator"),
        ("About one in five people bruise.", "chance-other-denominator"),
        ("About {bruising} people bruise.", "unknown-figure"),
        ("Surgery makes bruising twice as likely.", "relative-risk"),
        ("It gives a 30% lower risk of scars.", "relative-risk"),
        ("Your wound is cleaned by a nurse.", None),  # passive, but not in an instruction field
    ],
)
def test_plain_language_in_text(root: Path, write_aid, sentence, code):
    text = aid_text().replace("Without treatment it stays the same.", sentence)
    write_aid("test-aid", text)
    found = findings(root)
    if code:
        assert [f.line for f in by_code(found, code)] == [line_of(text, sentence)]
    else:
        assert codes(found) == []


def test_passive_voice_in_instructions(root: Path, write_aid):
    text = aid_text().replace(
        "next_steps: Call us when you are ready.",
        "next_steps: An appointment will be made and a letter is sent.",
    )
    write_aid("test-aid", text)
    passive = by_code(findings(root), "passive-voice")
    assert [f.message.split("'")[1] for f in passive] == ["will be made", "is sent"]
    assert {f.line for f in passive} == {line_of(text, "next_steps:")}


def test_same_outcome_needs_the_same_timeframe(root: Path, write_aid):
    text = aid_text().replace(
        "      - text: No risks of surgery.\n",
        "      - text: No risks of surgery.\n"
        "      - text: The problem goes away by itself.\n"
        "        chance: {count: 2, per: 100, range: [1, 4], timeframe: within 5 years}\n"
        "        source: study1\n",
    )
    write_aid("test-aid", text)
    same = by_code(findings(root), "same-timeframe")
    assert [f.line for f in same] == [line_of(text, "within 5 years")]


def test_values_and_questions_present(root: Path, write_aid):
    text = aid_text().replace("values:\n  - Avoiding surgery matters to me.\n", "")
    text = text.replace("questions:\n  - How many of these have you done?\n", "")
    write_aid("test-aid", text)
    assert codes(findings(root)) == ["no-questions", "no-values"]


def test_reading_grade_target_from_clinic(root: Path, write_aid):
    (root / "clinic.yaml").write_text("reading_grade: 1\n", encoding="utf-8")
    found = findings(root)
    assert "reading-grade-high" in codes(found)
    report = check(root, today=TODAY).aids[0]
    assert report.reading["target"] == 1
    assert set(report.reading["sections"]) >= {"condition", "option:surgery", "next_steps"}


def test_unused_glossary_term(root: Path):
    report = check(root, today=TODAY)
    unused = [f for f in report.glossary_findings if f.code == "unused-term"]
    assert [(f.message.split("'")[1], f.line) for f in unused] == [
        ("anesthesia", 3),
        ("unused term", 9),
    ]


def test_json_output(root: Path):
    result = run_cli("check", "--root", str(root), "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    aid = doc["aids"][0]
    assert set(aid) >= {"id", "language", "file", "reading", "ipdas", "findings"}
    assert aid["id"] == "test-aid" and aid["language"] == "en"
    assert {"grade", "flesch_kincaid_grade", "smog_grade", "sections"} <= set(aid["reading"])
    assert aid["ipdas"]["met"] == aid["ipdas"]["total"]
    for finding in aid["findings"]:
        assert set(finding) >= {"aid", "file", "line", "level", "code", "message"}


def test_strict_makes_warnings_fail(root: Path, write_aid):
    write_aid(
        "test-aid",
        aid_text().replace(
            "next_steps: Call us when you are ready.", "next_steps: A letter is sent."
        ),
    )
    assert run_cli("check", "--root", str(root)).exit_code == 0
    assert run_cli("check", "--root", str(root), "--strict").exit_code == 1


def test_invalid_aid_is_reported_the_same_way(root: Path, write_aid):
    write_aid("test-aid", aid_text().replace("title: Test", "titel: Test"))
    result = run_cli("check", "--root", str(root))
    assert result.exit_code == 1
    assert "test-aid.yaml:2: error invalid: titel: unknown key 'titel'" in result.output


def test_quality_page_and_index(root: Path):
    out = root / "out"
    build(root, out, today=TODAY)
    page = soup(out / "en" / "test-aid.check.html")
    assert "IPDAS" in text_of(page) and page.find("table") is not None
    handout = soup(out / "en" / "test-aid.html")
    assert not [a for a in handout.find_all("a") if "check" in a.get("href", "")]
    index = soup(out / "index.html")
    assert index.select_one('a[href="en/test-aid.check.html"]') is not None
    assert "IPDAS 17 of 17; certification " in text_of(index)
    assert "Reading grade" in text_of(index)


def test_readability_offline_and_sane():
    assert syllables("surgery") == 3 and syllables("the") == 1
    assert syllables("blepharoplasty") >= 5  # not in the dictionary: pyphen and vowels
    assert sentences("One. Two!\n\nThree") == ["One.", "Two!", "Three"]
    easy = measure(["The cat sat on the mat. It was fun."])
    hard = measure([JARGON])
    assert easy.grade < 3 < 12 < hard.grade


def test_mixed_denominators_are_noted():
    report = check(REPO, ("breast-augmentation",), today=TODAY).aids[0]
    noted = by_code(report.findings, "mixed-denominators")
    assert [f.level for f in noted] == ["info"]
    assert "100, 1,000" in noted[0].message
    assert (
        by_code(check(REPO, ("rhinoplasty",), today=TODAY).aids[0].findings, "mixed-denominators")
        == []
    )


def test_section_grade_is_reported_where_it_is_high(root: Path, write_aid):
    """It points at the hardest sentence of the section, and quotes it."""
    text = aid_text().replace(
        "  The problem, in plain words. Without treatment it stays the same.",
        f"  The problem, in plain words.\n  {JARGON} {JARGON}",
    )
    write_aid("test-aid", text)
    report = check(root, today=TODAY).aids[0]
    assert report.reading["sections"]["condition"]["grade"] > 12
    high = by_code(report.findings, "section-grade-high")
    assert [(f.line, f.where) for f in high] == [(line_of(text, "The edema"), "condition")]
    assert "'The edema and ecchymosis" in high[0].message
