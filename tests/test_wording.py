"""Checks on the words a patient reads: placeholders, frequency words against the scale,
the hardest sentence of a section, and passive voice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import aid_text, check, line_of, run_cli

TODAY = dt.date(2026, 11, 24)
JARGON = (
    "The edema and ecchymosis that follow a blepharoplasty are usually self-limiting but in a "
    "small proportion of patients the periorbital tissues remain indurated for a considerable "
    "period of time afterwards."
)


def findings(root: Path, code: str, aid_id: str = "test-aid") -> list:
    report = check(root, (aid_id,), today=TODAY)
    return [f for f in report.aids[0].findings if f.code == code]


def lines(found) -> list[int]:
    return sorted(f.line for f in found)


# --- placeholders ---------------------------------------------------------------------


def new_skeleton(root: Path, approved: bool) -> tuple[Path, str]:
    """`decisionaid new`, unedited but for the status."""
    assert run_cli("new", "knee-scope", "--root", str(root)).exit_code == 0
    path = root / "aids" / "knee-scope.yaml"
    text = path.read_text(encoding="utf-8")
    if approved:
        text = re.sub(r"(?m)^status: draft.*$", "status: approved\napproved_by: Dr. Q", text)
        path.write_text(text, encoding="utf-8")
    return path, text


SKELETON_LINES = (
    "title: Name of the procedure",
    "decision: Should I have this procedure?",
    "What the problem is, in plain words.",
    "What usually happens if you do nothing.",
    "conflicts: Say here",
    "- name: Your name",
    'citation: "Author A, et al.',
    "name: Have the procedure",
    "- name: Name of the risk",
    "answers: {procedure: About 2 weeks.",
    "- What nobody knows yet.",
    "- A statement about what might matter",
    "- A question the patient may want to ask.",
    "What to do next, and who to call.",
    "hope: Something patients often hope for.",
    "procedure: {answer: may, why: What the procedure",
    "- statement: Something people often believe",
    "- How people often feel, and what helps.",
    "call_us: [A sign to call the clinic about]",
)


def test_approved_skeleton_is_refused_with_its_placeholders(root: Path):
    path, text = new_skeleton(root, approved=True)
    found = findings(root, "placeholder", "knee-scope")
    assert {f.level for f in found} == {"error"}
    assert set(lines(found)) >= {line_of(text, needle) for needle in SKELETON_LINES}
    # kept wording is not a placeholder: the clinic's funding line, update policy and
    # time to decide
    kept = {line_of(text, "funding:"), line_of(text, "update_policy:")}
    assert not {*kept, line_of(text, "time_to_decide:")} & set(lines(found))

    result = run_cli("check", "knee-scope", "--root", str(root))
    assert result.exit_code == 1
    for needle in ("title:", "- name: Your name", "citation:"):
        assert f"knee-scope.yaml:{line_of(text, needle)}: error placeholder" in result.output

    out = root / "out"
    built = run_cli("build", "knee-scope", "--root", str(root), "--out", str(out))
    assert built.exit_code == 1
    assert f"knee-scope.yaml:{line_of(text, 'title:')}: title:" in built.stderr
    assert "[placeholder]" in built.stderr
    assert not (out / "en" / "knee-scope.pdf").exists()
    assert not (out / "en" / "knee-scope.html").exists()


def test_draft_skeleton_still_builds_but_check_reports_it(root: Path):
    path, text = new_skeleton(root, approved=False)
    out = root / "out"
    built = run_cli("build", "knee-scope", "--root", str(root), "--out", str(out))
    assert built.exit_code == 0, built.output
    assert (out / "en" / "knee-scope.html").is_file()
    assert line_of(text, "title:") in lines(findings(root, "placeholder", "knee-scope"))
    assert run_cli("check", "knee-scope", "--root", str(root)).exit_code == 1


def test_a_paragraph_left_from_the_skeleton_is_found(root: Path, write_aid):
    """An author rewrote one paragraph and kept the next."""
    text = aid_text().replace(
        "  The problem, in plain words. Without treatment it stays the same.",
        "  The problem, in plain words.\n\n  What usually happens if you  do nothing",
    )
    write_aid("test-aid", text)
    found = findings(root, "placeholder")
    assert lines(found) == [line_of(text, "What usually happens")]
    assert found[0].where == "condition"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("next_steps: Call us when you are ready.", "next_steps: TODO", "next_steps:"),
        ("conflicts: None.", "conflicts: TBD", "conflicts:"),
        ("It cannot make you younger.", "Lorem ipsum dolor sit amet.", "Lorem ipsum"),
        ('citation: "Study One.', 'citation: "Author A, Author B. Study One.', "citation:"),
        ("name: Test Author", "name: Your name", "name: Your name"),
        ("One week., wait", "XX days., wait", "XX days"),
        ("You rest for a week.", "You rest for XXX days.", "XXX days"),
        ("Call us when you are ready.", "Call [insert phone number].", "next_steps:"),
    ],
)
def test_stand_ins_are_errors_at_their_line(root: Path, write_aid, old, new, needle):
    text = aid_text()
    assert old in text
    text = text.replace(old, new)
    write_aid("test-aid", text)
    found = findings(root, "placeholder")
    assert [(f.level, f.line) for f in found][:1] == [("error", line_of(text, needle))]


@pytest.mark.parametrize(
    "sentence",
    [
        "Write your name on the form.",
        "Boxx and xxl are not stand-ins.",
        "Make a to-do list.",
        "Ask the author a question.",
        "Todo el mundo.",
    ],
)
def test_ordinary_words_are_not_stand_ins(root: Path, write_aid, sentence):
    write_aid("test-aid", aid_text().replace("Call us when you are ready.", sentence))
    assert findings(root, "placeholder") == []


# --- frequency words against the scale --------------------------------------------------


def with_risk(text: str, chance: str) -> str:
    """The test aid with the bruising risk's text and chance replaced."""
    out = aid_text().replace("        text: You may bruise.\n", text)
    return out.replace("{count: 20, per: 100, range: [15, 25],", chance)


@pytest.mark.parametrize(
    ("words", "chance", "expected"),
    [
        ("This is very rare.", "{count: 5, per: 1000, range: [2, 8],", ["very rare"]),
        ("This is rare.", "{count: 2, per: 100, range: [1, 4],", ["rare"]),
        ("Most people bruise.", "{count: 5, per: 100, range: [2, 8],", ["Most people"]),
        ("It is not common.", "{count: 5, per: 100, range: [2, 8],", ["not common"]),
        ("Few people bruise.", "{count: 30, per: 100, range: [20, 40],", ["Few people"]),
        ("It is usually mild.", "{count: 1, per: 1000, range: [0, 3],", ["usually"]),
        ("This is common.", "{count: 20, per: 100, range: [15, 25],", []),
        # "Not very common" above the scale's "Common.": read as rarer than printed.
        ("This is not very common.", "{count: 5, per: 100, range: [2, 8],", ["not very common"]),
        ("This is not very common.", "{count: 5, per: 1000, range: [2, 8],", []),
        ("This is uncommon.", "{count: 0, per: 1000, range: [0, 1],", []),
        ("It is more common in smokers.", "{count: 1, per: 10000, range: [0, 2],", []),
        ("It does not happen often.", "{count: 1, per: 1000, range: [0, 3],", []),
        ("It is most often mild.", "{count: 1, per: 1000, range: [0, 3],", []),
    ],
)
def test_frequency_words_agree_with_the_scale(root: Path, write_aid, words, chance, expected):
    text = with_risk(f"        text: {words}\n", chance)
    write_aid("test-aid", text)
    found = findings(root, "word-contradicts-scale")
    assert [f.message.split("'")[1] for f in found] == expected
    assert {(f.level, f.line) for f in found} <= {("warning", line_of(text, words))}


def test_the_sentence_line_in_a_block_and_the_name(root: Path, write_aid):
    text = with_risk(
        "        text: |\n          You may bruise.\n          This is very rare.\n",
        "{count: 5, per: 1000, range: [2, 8],",
    ).replace("name: Bruising", "name: A rare bruise")
    write_aid("test-aid", text)
    found = findings(root, "word-contradicts-scale")
    assert lines(found) == [line_of(text, "A rare bruise"), line_of(text, "This is very rare")]
    assert "'uncommon'" in found[0].message and "5 in 1,000" in found[0].message


def test_words_are_only_checked_in_english(root: Path, write_aid):
    text = with_risk("        text: This is very rare.\n", "{count: 5, per: 1000, range: [2, 8],")
    write_aid("test-aid", text.replace("title:", "language: de\ntitle:"))
    assert findings(root, "word-contradicts-scale") == []


# --- the hardest sentence of a section ------------------------------------------------


def test_introduction_grade_points_at_its_hardest_sentence(root: Path, write_aid):
    text = aid_text().replace(
        "audience: Adults thinking about the test procedure.", f"audience: {JARGON}"
    )
    write_aid("test-aid", text)
    high = findings(root, "section-grade-high")
    assert [(f.where, f.line) for f in high] == [("audience", line_of(text, "audience:"))]
    assert "section 'introduction'" in high[0].message
    assert "'The edema and ecchymosis" in high[0].message and "…" in high[0].message


def test_option_grade_points_at_the_field_of_its_hardest_sentence(root: Path, write_aid):
    text = aid_text().replace(
        "        text: You may bruise.\n",
        f"        text: |\n          You may bruise.\n          {JARGON}\n",
    )
    write_aid("test-aid", text)
    high = findings(root, "section-grade-high")
    assert [(f.where, f.line) for f in high] == [
        ("options[0].risks[0].text", line_of(text, "The edema"))
    ]


# --- passive voice --------------------------------------------------------------------


def test_adjectives_ending_in_ed_are_not_passive(root: Path, write_aid):
    adjectives = ["red", "bed", "shed", "need", "seed", "bleed", "speed", "hundred", "feed"]
    steps = " ".join(f"It is {word} now." for word in adjectives)
    text = aid_text().replace(
        "next_steps: Call us when you are ready.",
        f"next_steps: {steps} The stitches are removed. The cuts are stitched. "
        "Your eyes will be checked.",
    )
    write_aid("test-aid", text)
    passive = findings(root, "passive-voice")
    assert [f.message.split("'")[1] for f in passive] == [
        "are removed",
        "are stitched",
        "will be checked",
    ]
