"""Every content rule, each reported at the right line as PATH:LINE: field: message."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import aid_text, line_of

from decisionaid.content.root import ContentRoot


def problems(root: Path, write_aid, text: str, aid_id: str = "test-aid") -> list[str]:
    path = write_aid(aid_id, text)
    loaded = ContentRoot.at(root).load(path)
    assert loaded.ok == (not loaded.problems)
    prefix = f"{path}:"
    rendered = [str(p) for p in loaded.problems]
    assert all(r.startswith(prefix) or r.startswith(f"aids/{aid_id}.yaml:") for r in rendered)
    return [r.split(".yaml:", 1)[1] for r in rendered]


def test_the_fixture_aid_is_valid(root, write_aid):
    assert problems(root, write_aid, aid_text()) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Unknown keys are errors, with the intended key suggested.
        ("title: Test", "titel: Test", "titel: unknown key 'titel'; did you mean 'title'?"),
        # A real key in the wrong place: never "unknown key 'id'; did you mean 'id'?"
        (
            "  - question: How long is recovery?\n",
            "  - id: recovery\n    question: How long is recovery?\n",
            "compare[0].id: 'id' is not a key here: remove it, or move it to where it belongs",
        ),
        # ids
        ("id: test-aid", "id: Test_Aid", "id: 'Test_Aid' is not a valid id"),
        # per is 10, 100, 1000 or 10000
        (
            "count: 6, per: 100,",
            "count: 6, per: 50,",
            "per: Input should be 10, 100, 1000 or 10000",
        ),
        # 0 <= count <= per
        ("count: 20, per: 100,", "count: 120, per: 100,", "count (120) is more than per (100)"),
        ("count: 20, per: 100,", "count: -1, per: 100,", "count: Input should be greater than"),
        # low <= count <= high <= per
        ("range: [3, 10]", "range: [7, 10]", "range [7, 10] must satisfy low <= count (6)"),
        ("range: [15, 25]", "range: [15, 120]", "range [15, 120] must satisfy"),
        # a timeframe is required with every chance
        ("[3, 10], timeframe: within 1 year,", "[3, 10],", "timeframe: required key is missing"),
        # severity is minor | moderate | serious
        (
            "severity: minor\n        chance",
            "severity: bad\n        chance",
            "severity: Input should be",
        ),
        # status
        ("status: draft", "status: final", "status: Input should be 'draft' or 'approved'"),
        # dates
        ("updated: 2026-01-10", "updated: 2026-13-10", "updated: Input should be a valid date"),
        ("review_by: 2027-01-10", "review_by: 2025-01-10", "review_by: review_by must be after"),
        # whole numbers only: the fix is a larger per
        (
            "count: 6, per: 100,",
            "count: 6.5, per: 100,",
            "count: use a larger per, e.g. count: 65, per: 1000",
        ),
        # a source url is a web address
        ('url: "https://example.org/study1"', "url: example", "url: String should match"),
    ],
)
def test_each_rule_reports_its_line(root, write_aid, old, new, expected):
    text = aid_text()
    assert old in text
    broken = text.replace(old, new, 1)
    found = problems(root, write_aid, broken)
    expected_line = line_of(broken, new.split("\n")[0])
    matching = [p for p in found if expected in p]
    assert matching, found
    assert matching[0].split(":")[0] == str(expected_line), found


def test_missing_required_key_is_reported_at_its_mapping(root, write_aid):
    text = aid_text().replace("audience: Adults thinking about the test procedure.\n", "")
    assert problems(root, write_aid, text) == ["1: audience: required key is missing"]


def test_missing_key_in_an_option_points_at_the_option(root, write_aid):
    text = aid_text().replace("    living_with: You rest for a week.\n", "")
    found = problems(root, write_aid, text)
    assert found == [
        f"{line_of(text, '- id: surgery')}: options[0].living_with: required key is missing"
    ]


def test_unknown_source_is_reported(root, write_aid):
    text = aid_text().replace("source: study1", "source: study2", 1)
    found = problems(root, write_aid, text)
    assert found == [
        f"{line_of(text, 'source: study2')}: options[0].benefits[0].source: "
        "source 'study2' is not one of the sources (study1)"
    ]


def test_option_ids_must_be_unique(root, write_aid):
    text = aid_text().replace("  - id: wait\n", "  - id: surgery\n")
    found = problems(root, write_aid, text)
    line = line_of(text, "name: Wait and see") - 1
    assert f"{line}: options[1].id: id 'surgery' is used more than once" in found


def test_exactly_one_no_action_option(root, write_aid):
    # None at all is an IPDAS error of `check` (tests/test_check.py); two are invalid.
    two = aid_text().replace(
        "    name: Have surgery\n", "    name: Have surgery\n    no_action: true\n"
    )
    found = problems(root, write_aid, two)
    second = two.splitlines().index("    no_action: true", line_of(two, "Wait and see")) + 1
    assert found == [f"{second}: options[1].no_action: only one option may have no_action: true"]


def test_compare_answers_must_name_options(root, write_aid):
    text = aid_text().replace(
        "answers: {surgery: One week., wait: None.}", "answers: {surgery: One week., wiat: None.}"
    )
    found = problems(root, write_aid, text)
    row = line_of(text, "wiat: None.")
    assert f"{row}: compare[0].answers.wiat: 'wiat' is not an option id (surgery, wait)" in found
    assert f"{row}: compare[0].answers: no answer for option 'wait'" in found


def test_approved_needs_approved_by(root, write_aid):
    text = aid_text().replace("status: draft", "status: approved")
    assert problems(root, write_aid, text) == [
        f"{line_of(text, 'status: approved')}: status: an approved aid needs approved_by "
        "(who approved it)"
    ]
    fixed = text.replace("status: approved", "status: approved\napproved_by: Dr. A. Lee")
    assert problems(root, write_aid, fixed) == []


def test_id_must_match_file_name(root, write_aid):
    found = problems(root, write_aid, aid_text(), aid_id="other-name")
    assert found == ["1: id: id 'test-aid' must match the file name 'other-name.yaml'"]


def test_a_huge_wrong_id_is_quoted_short(root, write_aid):
    """The fuzz test found it: a 3,000-letter id came back whole in the message."""
    path = write_aid("test-aid", aid_text().replace("id: test-aid", "id: " + "a" * 3000, 1))
    messages = [p.message for p in ContentRoot.at(root).load(path).problems]
    assert messages and all(len(m) < 200 for m in messages), [len(m) for m in messages]


def test_yaml_syntax_error_has_its_line(root, write_aid):
    text = aid_text().replace(
        "  - {name: Test Author, credentials: RN}", "  - {name: Test Author, credentials: RN"
    )
    found = problems(root, write_aid, text)
    assert len(found) == 1 and "YAML syntax" in found[0]
    assert int(found[0].split(":")[0]) >= line_of(text, "Test Author")


def test_duplicate_keys_are_a_syntax_error(root, write_aid):
    text = aid_text().replace("funding: Clinic staff wrote it.", "funding: A.\nfunding: B.")
    found = problems(root, write_aid, text)
    assert len(found) == 1 and "duplicate key" in found[0]
    assert found[0].startswith(f"{line_of(text, 'funding: B.')}:")


def test_every_problem_is_reported_at_once(root, write_aid):
    text = (
        aid_text()
        .replace("titel", "x")
        .replace("title: Test", "titel: Test")
        .replace("per: 100, range: [15, 25]", "per: 7, range: [15, 25]")
        .replace("severity: minor\n        chance", "severity: huge\n        chance")
        .replace("audience: Adults thinking about the test procedure.\n", "")
    )
    found = problems(root, write_aid, text)
    assert len(found) == 5, found  # titel, title missing, per, severity, audience


def test_yaml_1_2_keeps_no_and_times_as_text(root, write_aid):
    text = aid_text().replace(
        "answers: {surgery: One week., wait: None.}", "answers: {surgery: no, wait: 1:30}"
    )
    path = write_aid("test-aid", text)
    loaded = ContentRoot.at(root).load(path)
    assert loaded.problems == []
    assert loaded.aid.compare[0].answers == {"surgery": "no", "wait": "1:30"}


def test_empty_and_non_mapping_files(root, write_aid):
    assert problems(root, write_aid, "") == ["1: the file is empty"]
    found = problems(root, write_aid, "- a\n- b\n")
    assert found == ["1: this is not an aid file (a YAML mapping with id, title, options, ...)"]


def test_glossary_terms_defined_once(root):
    (root / "glossary" / "en.yaml").write_text(
        "- term: scar\n  definition: A mark.\n- term: Mark\n  aliases: [SCAR]\n  definition: x\n",
        encoding="utf-8",
    )
    _, found = ContentRoot.at(root).glossary("en")
    assert [str(p).split(".yaml:", 1)[1] for p in found] == [
        "3: [1].term: 'SCAR' is already defined by entry 0 ('scar')"
    ]


def test_glossary_unknown_key(root):
    (root / "glossary" / "en.yaml").write_text(
        "- term: scar\n  definiton: A mark.\n", encoding="utf-8"
    )
    _, found = ContentRoot.at(root).glossary("en")
    messages = [str(p).split(".yaml:", 1)[1] for p in found]
    assert "2: [0].definiton: unknown key 'definiton'; did you mean 'definition'?" in messages
    assert "1: [0].definition: required key is missing" in messages


def test_a_duplicate_key_names_the_line_of_its_first_use(root, write_aid):
    """Reported at the repeated key, naming the line where the key was first written
    (not the line the mapping starts on)."""
    text = aid_text().replace(
        "    living_with: You rest for a week.\n",
        "    living_with: You rest for a week.\n    description: Written twice.\n",
    )
    (found,) = problems(root, write_aid, text)
    first, repeated = line_of(text, "description: The surgeon"), line_of(text, "Written twice")
    assert found.startswith(f"{repeated}:") and "duplicate key" in found
    assert f"(first on line {first})" in found
