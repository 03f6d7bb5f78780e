"""The first mistakes authors make, each reported at the line where the fix goes,
in words an author can act on (PATH:LINE: field: message), all at once, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import aid_text, line_of, run_cli

from decisionaid.content.root import ContentRoot

# The start of an aid file down to one benefit, for odd inputs.
BENEFIT = "options:\n  - id: a\n    benefits:\n      - "
CHANCE = (
    "chance: {count: 6, per: 100, range: [3, 10], timeframe: within 1 year, certainty: moderate}"
)


def problems(root: Path, path: Path) -> list[str]:
    """`LINE: field: message` for each problem of one aid file."""
    return [str(p).split(".yaml:", 1)[1] for p in ContentRoot.at(root).load(path).problems]


def broken(old: str, new: str) -> str:
    text = aid_text()
    assert old in text
    return text.replace(old, new, 1)


def test_tab_indentation(root, write_aid):
    text = broken("    name: Have surgery\n", "\tname: Have surgery\n")
    text = text.replace("    name: Wait and see\n", "\tname: Wait and see\n")
    found = problems(root, write_aid("test-aid", text))
    assert found == [
        f"{line_of(text, 'name: Have surgery')}: indent with spaces, not tabs",
        f"{line_of(text, 'name: Wait and see')}: indent with spaces, not tabs",
    ]


def test_colon_in_plain_text_every_one_at_once(root, write_aid):
    text = broken("text: The problem goes away.", "text: Note: this heals")
    text = text.replace("text: You may bruise.", "text: Bruises: they fade  # a comment")
    found = problems(root, write_aid("test-aid", text))
    assert found == [
        f'{line_of(text, "Note: this heals")}: put this text in quotes: text: "Note: this heals"',
        f'{line_of(text, "Bruises:")}: put this text in quotes: text: "Bruises: they fade"',
    ]


def test_colon_in_a_list_item_is_text_in_quotes(root, write_aid):
    text = broken("  - Avoiding surgery matters to me.", "  - Note: this matters to me.")
    found = problems(root, write_aid("test-aid", text))
    assert found == [
        f"{line_of(text, 'Note: this')}: values[0]: put this text in quotes: "
        '- "Note: this matters to me."'
    ]


def test_comma_inside_a_flow_mapping_splits_the_text(root, write_aid):
    text = broken(
        "answers: {surgery: One week., wait: None.}",
        "answers: {surgery: A scar, low on the belly., wait: None.}",
    )
    found = problems(root, write_aid("test-aid", text))
    assert found == [
        f"{line_of(text, 'low on the belly')}: compare[0].answers.surgery: put this text in "
        'quotes: surgery: "A scar, low on the belly." (inside {...} a comma starts a new entry)'
    ]


@pytest.mark.parametrize(
    ("written", "suggested"),
    [("85%", "count: 85, per: 100"), ("15 in 100", "count: 15, per: 100")],
)
def test_chance_written_as_a_percentage_or_in_words(root, write_aid, written, suggested):
    text = broken(CHANCE, f"chance: {written}")
    found = problems(root, write_aid("test-aid", text))
    assert len(found) == 1, found
    line, where, message = found[0].split(": ", 2)
    assert int(line) == line_of(text, f"chance: {written}")
    assert where == "options[0].benefits[0].chance"
    assert message.startswith(f"write it as {suggested} (with range and timeframe)")


def test_fraction_in_a_count_suggests_a_larger_per(root, write_aid):
    text = broken(CHANCE, "chance: {count: 0.5, per: 100, range: [0.2, 1], timeframe: 1 year}")
    found = problems(root, write_aid("test-aid", text))
    assert found == [
        f"{line_of(text, 'count: 0.5')}: options[0].benefits[0].chance.count: use a larger per, "
        "e.g. count: 5, per: 1000, range: [2, 10] (a chance uses whole numbers)"
    ]


def test_empty_value(root, write_aid):
    text = broken("title: Test procedure (testoplasty)", "title:")
    found = problems(root, write_aid("test-aid", text))
    assert found == [f"{line_of(text, 'title:')}: title: this is empty: write the text here"]


def test_file_not_saved_as_utf8(root):
    text = broken("funding: Clinic staff wrote it.", "funding: The café paid for it.")
    path = root / "aids" / "test-aid.yaml"
    path.write_bytes(text.encode("cp1252"))
    found = problems(root, path)
    assert found == [
        f"{line_of(text, 'café')}: the file is not UTF-8 text (byte 0xe9, 'é' in Windows-1252): "
        "save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # The quote runs on to the next quote in the file, many lines below.
        ("title: Test procedure (testoplasty)", 'title: "Test procedure (testoplasty)'),
        # ... or to the end of the file.
        ("next_steps: Call us when you are ready.", "next_steps: 'Call us when you are ready."),
    ],
)
def test_unclosed_quote_is_reported_where_it_opens(root, write_aid, old, new):
    text = broken(old, new)
    found = problems(root, write_aid("test-aid", text))
    quote = new.split(": ", 1)[1][0]
    assert found == [
        f"{line_of(text, new)}: this quote is not closed: end the text with {quote} on this line"
    ]


def test_unknown_aid_suggests_the_close_id_and_a_file_name_is_found_in_aids(root, monkeypatch):
    monkeypatch.chdir(root)  # so that `test-aid.yaml` is not a file in the working folder
    result = run_cli("build", "test-ad", "--root", str(root))
    assert result.exit_code == 2
    assert "no aid 'test-ad'" in result.output
    assert "did you mean 'test-aid'?" in result.output
    out = root / "out"
    args = ("--root", str(root), "--out", str(out), "--format", "html")
    result = run_cli("build", "test-aid.yaml", *args)
    assert result.exit_code == 0, result.output
    assert (out / "en" / "test-aid.html").is_file()


def test_summary_counts_read_naturally(root):
    (root / "glossary" / "en.yaml").unlink()
    text = (
        aid_text()
        .replace("Test procedure (testoplasty)", "Test")
        .replace("the test procedure", "the test")
        .replace("Avoiding surgery matters to me.", "No surgery matters to me.")
        .replace(" under local anesthesia", "")
        .replace("funding: Clinic staff wrote it.\n", "")
        .replace("text: You may bruise.", "text: You may bruise. About 20% of people do.")
    )
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert result.output.splitlines()[-1] == "1 aid checked: 1 error, 1 warning, 1 note."
    text = text.replace("text: The problem stays.", "text: It stays for 6 in 100 people.")
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert result.output.splitlines()[-1] == "1 aid checked: 1 error, 2 warnings, 1 note."


def test_every_mistake_at_once_and_no_traceback(root, write_aid):
    text = (
        aid_text()
        .replace("title: Test procedure (testoplasty)", "title:")
        .replace(CHANCE, "chance: 85%")
        .replace("count: 20, per: 100, range: [15, 25]", "count: 0.5, per: 100, range: [0, 1]")
        .replace("{surgery: One week., wait: None.}", "{surgery: One week, or two., wait: None.}")
    )
    write_aid("test-aid", text)
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    output = result.output.splitlines()
    located = [line.split(".yaml:", 1)[1] for line in output if ".yaml:" in line]
    assert [int(line.split(":")[0]) for line in located] == [
        line_of(text, "title:"),
        line_of(text, "chance: 85%"),
        line_of(text, "count: 0.5"),
        line_of(text, "or two."),
    ]
    words = ["this is empty", "count: 85, per: 100", "count: 5, per: 1000", "put this text in"]
    for word, line in zip(words, located, strict=True):
        assert word in line, located


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\n",
        "[" * 3000 + "]" * 3000,
        "a: b\x07\n",
        "- {id: x, title: 1: 2}\n",
        "id: x\n\t- y\n",
        "options: {a: 1, b, c}\n",
        "? [a, b]\n: 1\n",
        "id: x\ncompare: [{question: q, answers: {a: b, c}}]\noptions: [{id: a}]\n",
        BENEFIT + "{text: x, chance: 1 in 0}\n",
        BENEFIT + "{text: x, chance: {count: 0.1, per: 7}}\n",
        BENEFIT + "{text: x, chance: {count: .inf, per: 100}}\n",
        BENEFIT + "{text: x, chance: {count: .nan, range: [.5, 1e400]}}\n",
    ],
)
def test_odd_input_never_raises(root, write_aid, text):
    found = problems(root, write_aid("test-aid", text))
    assert found
