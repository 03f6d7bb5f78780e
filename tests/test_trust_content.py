"""Issue 12, the content side: one bad file is a `PATH:LINE:` problem for that file
alone, found fast; text stays as typed; nothing outside the content root is read; links
are https:, http:, mailto: or tel: only; the glossary links text, never markup.

Each test reproduces a case from the issue (a traceback, a hang, a changed value, a
leak). Where the issue was a hang, the test compares the work of n and 2n (CPU time,
a generous ratio) instead of asserting a time: CI is a loaded machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import aid_text, build, check, growth, line_of, run_cli, soup, text_of

from decisionaid.content.root import ContentRoot
from decisionaid.handout.markup import to_html
from decisionaid.quality.chances import written_chances

# The work of 2n against n: about 2 for linear work, 4 for quadratic; far more for
# what used to hang. Generous, for a loaded machine.
LINEAR = 3.0


def load(path: Path, root: Path) -> list[str]:
    """The problems of one aid file as printed (`PATH:LINE: ...`)."""
    return [str(p) for p in ContentRoot.at(root).load(path).problems]


def with_field(key: str, value: str) -> str:
    """The test aid with one top-level `key: value` (and its block's lines) replaced."""
    pattern = rf"(?m)^{key}:.*\n(?:[ \t]+.*\n)*"
    text, count = re.subn(pattern, lambda _: f"{key}: {value}\n", aid_text(), count=1)
    assert count == 1
    return text


def cli(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real CLI in a fresh process, killed if it runs longer than `timeout`."""
    return subprocess.run(
        [sys.executable, "-m", "decisionaid", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root,
    )


# Limits, checked before parsing


@pytest.mark.parametrize(
    "nested",
    ["[" * 300 + "]" * 300, "".join(f"\n{'  ' * i}- " for i in range(300)) + "x", "[" * 100_000],
    ids=["flow-300", "block-300", "flow-100000"],
)
def test_deep_nesting_is_a_problem_at_its_line_not_a_recursion_error(root, write_aid, nested):
    path = write_aid("test-aid", aid_text() + f"keywords: {nested}\n")
    problems = load(path, root)
    line = line_of(aid_text() + "keywords:", "keywords:")
    assert len(problems) == 1 and "nested more than 20 levels deep" in problems[0]
    # At the line where the 21st level opens: the same line for [[[...]]].
    reported = int(problems[0].removeprefix(f"{path}:").split(":")[0])
    assert line <= reported <= line + 20


def test_deep_nesting_is_refused_in_work_that_does_not_grow_with_it(root, write_aid):
    def nested(n: int):
        path = write_aid(f"nested-{n}", aid_text() + "keywords: " + "[" * n + "\n")
        return lambda: load(path, root)

    assert growth(nested, 100_000) < LINEAR


def test_an_alias_is_refused_so_a_small_file_cannot_expand(root, write_aid):
    text = aid_text().replace("values:\n", "lol: &a [x, x, x, x, x, x, x, x, x]\nvalues:\n")
    path = write_aid("test-aid", text + "more: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n")
    (problem,) = load(path, root)
    assert f":{line_of(text + 'more:', 'more:')}: aliases (*name) are not supported" in problem


@pytest.mark.parametrize("kind", ["link-to-dev-zero", "fifo"])
def test_a_device_or_pipe_in_aids_is_a_problem_and_the_rest_is_checked(root, kind):
    other = root / "aids" / "other.yaml"
    if kind == "fifo":
        os.mkfifo(other)
    else:
        other.symlink_to("/dev/zero")
    done = cli(root, "check", timeout=60)  # it used to hang or eat memory: the timeout fails it
    # /dev/zero is outside the root too, which is found first (from the link alone).
    expected = "not a regular file" if kind == "fifo" else "links to a file outside the content"
    assert "other.yaml:1: " in done.stdout and expected in done.stdout
    assert "Traceback" not in done.stderr
    assert "test-aid" in done.stdout  # the other aid was checked


def test_a_link_out_of_the_root_is_refused_in_aids_and_glossary(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "secret.yaml").write_text(aid_text().replace("id: test-aid", "id: secret"))
    (outside / "en.yaml").write_text("- term: secret\n  definition: Private.\n")
    (root / "aids" / "secret.yaml").symlink_to(outside / "secret.yaml")
    (root / "glossary" / "en.yaml").unlink()
    (root / "glossary" / "en.yaml").symlink_to(outside / "en.yaml")
    (problem,) = load(root / "aids" / "secret.yaml", root)
    assert problem.startswith(f"{root / 'aids' / 'secret.yaml'}:1: this links to a file outside")
    report = build(root, root / "out", formats=("html",))
    printed = [str(p) for p in report.problems]
    assert any("glossary/en.yaml:1: this links to a file outside" in p for p in printed)
    assert not list((root / "out").glob("*/secret*"))  # nothing from outside is published


def test_a_file_over_the_size_limit_is_refused_from_stat_before_reading(root):
    def huge(size: int):
        path = root / "aids" / f"huge-{size}.yaml"
        with path.open("wb") as f:
            f.truncate(size)  # sparse: the test writes nothing
        return lambda: load(path, root)

    problems = huge(50 * 1024 * 1024)()
    assert problems == [f"{root / 'aids' / 'huge-52428800.yaml'}:1: the file is over 1 MB, "
                        "far more than a handout holds: split it or shorten it"]  # fmt: skip
    # Reading it would take twice as long for twice the size; looking at stat does not.
    assert growth(huge, 50 * 1024 * 1024) < 1.5


HUGE = {
    "1MB-title": ("title", lambda n: "a" * n, 1_000_000),
    "50000-combining-accents": ("title", lambda n: "e" + "\u0301" * n, 50_000),
    "5000-digit-hex": ("title", lambda n: "0x" + "f" * n, 5_000),
    "30000-digit-number": ("title", lambda n: "3" * n, 30_000),
    "50000-brackets": ("condition", lambda n: '"' + "[" * n + '"', 50_000),
}


@pytest.mark.parametrize("what", HUGE)
def test_a_huge_field_is_a_length_problem_found_fast(root, write_aid, what):
    key, make, n = HUGE[what]
    value = make(n)
    path = write_aid("test-aid", with_field(key, value))
    problems = load(path, root)
    limit = "5,000" if key == "condition" else "1,000"
    length = len(value.strip('"'))
    assert problems == [
        f"{path}:{line_of(aid_text(), key + ':')}: {key}: this text is {length:,} "
        f"characters long; at most {limit} fit here: shorten it or split it"
    ]

    def checked(size: int):  # through `check`, which used to run for minutes
        text = with_field(key, make(size))
        return lambda: (write_aid("test-aid", text), check(root))

    assert growth(checked, n // 2, repeat=2) < LINEAR


def test_many_brackets_in_a_markdown_field_are_a_problem(root, write_aid):
    path = write_aid("test-aid", with_field("next_steps", '"' + "[" * 2_000 + '"'))
    (problem,) = load(path, root)
    assert f":{line_of(aid_text(), 'next_steps:')}: next_steps: this text has 2,000 '['" in problem


def test_many_less_than_signs_in_a_markdown_field_are_a_problem(root, write_aid):
    path = write_aid("test-aid", with_field("next_steps", '"' + "<a " * 1_600 + '"'))
    (problem,) = load(path, root)
    assert f":{line_of(aid_text(), 'next_steps:')}: next_steps: this text has 1,600 '<'" in problem


def test_markdown_within_the_limits_renders_fast():
    # The worst inputs found for Python-Markdown, at the limits (5,000 characters, 100 '['
    # and 100 '<'); 1,600 '<a ' alone took 0.4 s and 50,000 '[' minutes.
    # Python-Markdown is quadratic in '[' and '<', which the limits bound: with as many
    # as are allowed, the rest of the field must cost in proportion to its length.
    worst = [
        lambda n: "[" * 100 + "a" * (n - 100),
        lambda n: "![" * 50 + "<a " * 100 + "b " * ((n - 400) // 2),
        lambda n: "[a](" * 100 + "<a " * 100 + "*_`" * ((n - 700) // 3),
    ]
    for make in worst:  # at half the limit and at the limit of 5,000 characters
        assert growth(lambda n, make=make: lambda: to_html(make(n)), 2_500) < LINEAR


def test_a_long_number_in_text_is_checked_in_linear_time():
    # `check` on a 30,000-digit title ran a quadratic regex (20 s and more).
    assert growth(lambda n: lambda: written_chances("3" * n), 30_000) < LINEAR
    assert growth(lambda n: lambda: written_chances("3 " * n), 30_000) < LINEAR
    assert [w.words for w in written_chances("about 12.5 % of people")] == ["12.5 %"]


def test_a_long_number_in_a_markdown_field_goes_through_check_fast(root, write_aid):
    write_aid("test-aid", with_field("condition", "1" * 4_999))
    assert check(root).aids

    def checked(n: int):
        text = with_field("condition", "1" * n)
        return lambda: (write_aid("test-aid", text), check(root))

    assert growth(checked, 2_499) < LINEAR


@pytest.mark.parametrize("key", ["options", "keywords"])
def test_a_list_over_its_limit_is_a_problem(root, write_aid, key):
    items = "[" + ", ".join(["x"] * 51) + "]" if key == "keywords" else "[" + "{}, " * 11 + "{}]"
    path = write_aid(
        "test-aid", aid_text().replace(f"\n{key}:", "\nold_key:") + f"{key}: {items}\n"
    )
    problems = load(path, root)
    assert any(f"{key}: too many items; at most" in p for p in problems), problems


# Text stays text


def test_clinic_phone_keeps_its_leading_zero(root):
    (root / "clinic.yaml").write_text("name: Test Clinic\nphone: 02079460958\n")
    build(root, root / "out", formats=("html",))
    html = (root / "out" / "en" / "test-aid.html").read_text()
    assert "02079460958" in html and "2079460958." not in html.replace("02079460958", "")


@pytest.mark.parametrize("typed", ["0x1F", "1e3", "1.50", "0o17", "1_000", ".inf"])
def test_a_title_that_looks_like_a_number_keeps_what_was_typed(root, write_aid, typed):
    write_aid("test-aid", with_field("title", typed))
    report = build(root, root / "out", formats=("html",))
    assert report.ok, report.problems
    page = soup(root / "out" / "en" / "test-aid.html")
    assert text_of(page.find("h1")) == typed
    assert text_of(page.find("title")).startswith(typed)


def test_numbers_the_model_wants_stay_numbers(root, write_aid):
    """A count is read as a clinician reads it: decimal digits. YAML's hexadecimal (and
    octal, binary, underscored) forms are refused at their line (issue 29), so they
    never stay numbers of another base."""
    text = aid_text().replace("count: 6, per: 100", "count: 0x06, per: 100")
    path = write_aid("test-aid", text)
    loaded = ContentRoot.at(root).load(path)
    assert loaded.aid is None
    assert [(p.line, p.message) for p in loaded.problems] == [
        (line_of(text, "count: 0x06"), "write the number in decimal: 6")
    ]
    path = write_aid("test-aid", aid_text())
    chance = ContentRoot.at(root).load(path).aid.options[0].benefits[0].chance
    assert (chance.count, chance.per) == (6, 100) and type(chance.count) is int


# Paths and names


def test_a_file_that_is_not_yaml_is_never_quoted(root, tmp_path):
    shadow = tmp_path / "shadow"
    secrets = [f"user{i}:$6$s3cretSalt{i}$hashhashhash:19000:0:99999:7:::" for i in range(5)]
    shadow.write_text("\n".join(secrets) + "\nid: x: y\n")
    for command in ("build", "check"):
        done = cli(root, command, str(shadow), timeout=60)
        output = done.stdout + done.stderr
        assert "shadow:1: " in output
        assert "this is not an aid file (a YAML mapping with id, title, options, ...)" in output
        assert "s3cretSalt" not in output and "Traceback" not in output
        assert done.returncode == 1


def test_two_files_with_one_id_and_language_are_an_error_naming_both(root, tmp_path_factory):
    first = root / "aids" / "test-aid.yaml"
    second = tmp_path_factory.mktemp("drafts") / "test-aid.yaml"
    second.write_text(aid_text().replace("title: Test procedure", "title: Second file"))
    report = build(root, root / "out", ("test-aid", str(second)), formats=("html",))
    assert [str(p) for p in report.problems] == [
        f"{second}:1: id: {first} is the aid 'test-aid' in 'en' too: keep one file, or give "
        "this one another id or language"
    ]
    html = (root / "out" / "en" / "test-aid.html").read_text()
    assert "Test procedure" in html and "Second file" not in html  # not overwritten


def test_a_language_tag_is_matched_whatever_its_case(root, write_aid):
    write_aid("test-aid", aid_text().replace("id: test-aid\n", "id: test-aid\nlanguage: EN\n"))
    report = build(root, root / "out", formats=("html",))
    assert report.ok, report.problems
    page = soup(root / "out" / "en" / "test-aid.html")  # written under the canonical "en"
    assert page.find("html")["lang"] == "en"
    assert page.find(id="term-testoplasty")  # glossary/en.yaml was found


def test_a_very_long_language_tag_is_a_problem_never_a_file_name(root, write_aid):
    tag = "en-" + "-".join(["abcdefgh"] * 60)
    path = write_aid(
        "test-aid", aid_text().replace("id: test-aid\n", f"id: test-aid\nlanguage: {tag}\n")
    )
    (problem,) = load(path, root)
    assert f"{path}:2: language: '{tag[:40]}...' is not a language tag" in problem
    done = cli(root, "build", "--format", "html", "--out", str(root / "out"))
    assert "File name too long" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.returncode == 1


@pytest.mark.parametrize("kind", ["folder", "dangling-link"])
def test_a_glossary_that_is_a_folder_or_a_dangling_link_is_a_problem(root, kind):
    glossary = root / "glossary" / "en.yaml"
    glossary.unlink()
    if kind == "folder":
        glossary.mkdir()
    else:
        glossary.symlink_to(root / "nowhere.yaml")
    report = build(root, root / "out", formats=("html",))
    expected = "this is a folder" if kind == "folder" else "this is a link to a file that does not"
    assert any(f"{glossary}:1: {expected}" in str(p) for p in report.problems), report.problems
    assert not (root / "out" / "en" / "test-aid.html").exists()


# Links


@pytest.mark.parametrize(
    "target", [".", "/etc/passwd", "//host/share", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_a_link_other_than_web_mail_or_phone_blocks_and_is_not_linked(root, write_aid, target):
    text = with_field("next_steps", f'"Call us, or read [our page]({target})."')
    path = write_aid("test-aid", text)
    problems = load(path, root)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"{path}:{line_of(text, 'next_steps:')}: next_steps: the link '{target}' is not allowed"
    )
    html = to_html(f"read [our page]({target}) or <a href='{target}'>this</a>")
    assert "href" not in html and "our page" in html


@pytest.mark.parametrize(
    "target", ["https://example.org/a", "http://example.org", "mailto:a@example.org", "tel:+44"]
)
def test_web_mail_and_phone_links_are_kept(root, write_aid, target):
    path = write_aid("test-aid", with_field("next_steps", f'"Read [our page]({target})."'))
    assert load(path, root) == []
    assert f'href="{target}"' in to_html(f"[our page]({target})")


def test_glossary_terms_like_lt_and_amp_are_linked_in_text_only(root, write_aid):
    (root / "glossary" / "en.yaml").write_text(
        "- term: lt\n  definition: A made-up word.\n"
        "- term: amp\n  definition: Another.\n"
        "- term: href\n  definition: And another.\n"
        "- term: testoplasty\n  definition: The test procedure.\n"
    )
    condition = '"Pain < 3 & swelling, see [the page](https://example.org/lt) then lt, amp, href."'
    write_aid("test-aid", with_field("condition", condition))
    report = build(root, root / "out", formats=("html",))
    assert report.ok, report.problems
    page = soup(root / "out" / "en" / "test-aid.html")
    section = next(p for p in page.find_all("p") if "Pain" in p.get_text())
    assert (
        re.sub(r"\s+([,.])", r"\1", text_of(section))
        == "Pain < 3 & swelling, see the page then lt, amp, href."
    )
    links = {a["href"]: a.get_text() for a in section.find_all("a")}
    assert links == {
        "https://example.org/lt": "the page",
        "#term-lt": "lt",
        "#term-amp": "amp",
        "#term-href": "href",
    }


def test_lists_opened_on_one_line_cannot_exhaust_the_stack(root, write_aid):
    """'1. 1. 1. ...' made Python-Markdown recurse once per marker: 500 of them on one
    line stopped build, check and the web app with a RecursionError."""
    deep = "1. " * 1600
    text = aid_text().replace(
        "description: The surgeon fixes it under local anesthesia.", f"description: '{deep}'"
    )
    assert deep in text
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(root))
    assert "Traceback" not in result.output and "RecursionError" not in result.output
    assert "lists or quotes inside each other" in result.output
    assert f"test-aid.yaml:{line_of(text, deep[:20])}:" in result.output
