"""Issue 19, what the tool reads and writes: one reader for every file, YAML refused
while it is parsed, `merge` confined to its folders, an interrupted build finished by
the next, translations compared with what they translate, glossary linking that does
not grow with the glossary. Each test is a case from the issue, run for real."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import aid_text, check, growth, line_of, pdf_text, run_cli, soup, text_of, work

from decisionaid.content.glossary import Glossary
from decisionaid.content.models import GlossaryEntry
from decisionaid.content.root import ContentRoot


def problems_of(root: Path, path: Path) -> list[str]:
    return [str(p) for p in ContentRoot.at(root).load(path).problems]


# A long list, refused while it is parsed


def long_list(n: int, then: str = "") -> str:
    """The test aid with `keywords` of n one-letter items, and `then` after them."""
    text = aid_text().replace("\nkeywords:", "\nold_keywords:")
    return text + "keywords:\n" + "- a\n" * n + then


def test_a_long_list_is_refused_as_soon_as_it_passes_the_limit(root: Path, write_aid):
    """240,000 one-letter items (just under 1 MB) took `check` 14 s: the limit was
    checked after parsing. Now the parser stops at item 1,001: a mistake after the list
    is never reached, and twice the items cost no more."""
    text = long_list(240_000, then="title: 'not closed\n")
    path = write_aid("test-aid", text)
    start = line_of(text, "keywords:")
    assert problems_of(root, path) == [
        f"{path}:{start + 1001}: more than 1,000 items in this list (it starts on line "
        f"{start + 1}); at most 1,000: split the file"
    ]

    def checked(n: int):
        listed = long_list(n)
        return lambda: (write_aid("test-aid", listed), check(root))

    assert growth(checked, 120_000, repeat=2) < 1.5


def test_a_mapping_with_too_many_keys_is_refused_at_the_key_past_the_limit(root: Path, write_aid):
    keys = "".join(f"  k{i}: x\n" for i in range(1_500))
    text = aid_text() + "extra:\n" + keys
    path = write_aid("test-aid", text)
    (problem,) = problems_of(root, path)
    assert f":{line_of(text, 'k1000:')}: more than 1,000 keys in this mapping" in problem


# What YAML can say but content never needs: a problem at its line, never an internal error


AUTHOR = "  - {name: Test Author, credentials: RN}"
BENEFIT = (
    "chance: {count: 6, per: 100, range: [3, 10], timeframe: within 1 year, certainty: moderate}"
)
LIVING = "    living_with: You rest for a week.\n"
RISKY = {  # what the file says instead, where the problem is, and what it says
    "merge-key": (
        AUTHOR,
        "  - <<: {name: X}\n    credentials: RN",
        "<<:",
        "'<<:' (merging in another mapping) is not supported here",
    ),
    "python-tag": (
        AUTHOR,
        "  - {name: !!python/object:os.system ls}",
        "!!python",
        "the tag !!python/object:os.system is not supported here",
    ),
    "python-tuple": (
        BENEFIT,
        BENEFIT.replace("range: [", "range: !!python/tuple ["),
        "!!python",
        "the tag !!python/tuple is not supported here",
    ),
    "400-digit-time": (
        LIVING,
        f"{LIVING}    recovery:\n      - {{at: {'9' * 400} days, what: Healed.}}\n",
        "at: 999",
        "is more than 100 years",
    ),
}


@pytest.mark.parametrize("case", RISKY)
def test_what_yaml_allows_but_content_never_needs_is_a_problem_at_its_line(root, write_aid, case):
    """These ended as "internal error" (KeyError, TypeError, OverflowError) with no line,
    and the last passed `check`, so the app listed the aid as printable."""
    old, new, needle, message = RISKY[case]
    text = aid_text().replace(old, new, 1)
    assert text != aid_text()
    write_aid("test-aid", text)
    line = line_of(text, needle)
    for command in (("check",), ("build", "--out", str(root / "out"))):
        result = run_cli(*command, "--root", str(root))
        assert result.exit_code == 1, (command, result.output)
        assert f"test-aid.yaml:{line}:" in result.output and message in result.output
        assert "internal error" not in result.output and "Traceback" not in result.output
    assert not (root / "out" / "en" / "test-aid.html").exists()


# One file that cannot be read never stops the rest


def test_a_dangling_link_in_aids_is_a_problem_and_the_rest_is_built(root: Path):
    (root / "aids" / "dangling.yaml").symlink_to("/nonexistent/dangling.yaml")
    out = root / "out"
    result = run_cli("build", "--root", str(root), "--out", str(out), "--format", "html")
    assert result.exit_code == 1
    assert "aids/dangling.yaml:1: this is a link to a file that does not exist" in result.output
    assert "cannot write" not in result.output
    assert (out / "en" / "test-aid.html").is_file()


# A translation is compared with what it translates


def test_translation_of_its_own_language_is_an_error(root: Path):
    german = aid_text().replace("title:", "language: de\ntranslation_of: de\ntitle:", 1)
    german = german.replace(
        "count: 6, per: 100, range: [3, 10]", "count: 9, per: 100, range: [3, 10]"
    )
    (root / "aids" / "test-aid.de.yaml").write_text(german, encoding="utf-8")
    out = root / "out"
    result = run_cli("build", "--root", str(root), "--out", str(out), "--format", "html")
    assert result.exit_code == 1
    line = line_of(german, "translation_of:")
    assert f"test-aid.de.yaml:{line}: translation_of: translation_of 'de' is this file's own " \
        "language" in result.output  # fmt: skip
    assert not (out / "de" / "test-aid.html").exists()
    assert (out / "en" / "test-aid.html").is_file()
    assert run_cli("check", "--root", str(root)).exit_code == 1


# merge trusts no manifest


@pytest.fixture
def built(root: Path) -> Path:
    out = root / "runner"
    assert (
        run_cli("build", "--root", str(root), "--out", str(out), "--format", "html").exit_code == 0
    )
    return out


def list_in_manifest(out: Path, name: str) -> None:
    path = out / ".decisionaid.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["aids"]["en/test-aid"]["variants"]["standard"]["files"].append(name)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("how", ["dot-dot", "absolute", "link-in-source", "link-in-out"])
def test_merge_reads_and_writes_only_inside_its_folders(root, built, tmp_path_factory, how):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "secret.html").write_text("secret", encoding="utf-8")
    merged = root / "merged"
    if how == "dot-dot":
        shutil.move(elsewhere, root / "elsewhere")
        elsewhere = root / "elsewhere"
        list_in_manifest(built, "../elsewhere/secret.html")
    elif how == "absolute":
        list_in_manifest(built, str(elsewhere / "secret.html"))
    elif how == "link-in-source":
        (built / "en" / "test-aid.html").unlink()
        (built / "en" / "test-aid.html").symlink_to(elsewhere / "secret.html")
    else:
        merged.mkdir()
        (merged / "en").symlink_to(elsewhere, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    result = run_cli("merge", str(built), "--out", str(merged))
    assert result.exit_code == 1, result.output
    assert "runner/.decisionaid.json: " in result.output and "nothing was merged" in result.output
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before
    assert list(merged.glob("*/test-aid*")) == [] and not (merged / ".decisionaid.json").exists()


# An interrupted build is finished by the next one

KILL_AFTER_WRITING = """
import os, signal, sys
from decisionaid.publish import build

write_set = build.write_set


def write_then_die(out, files):
    write_set(out, files)
    if any(name.endswith(sys.argv[1]) for name in files):
        os.kill(os.getpid(), signal.SIGKILL)  # after the renames, before the manifest


build.write_set = write_then_die
from decisionaid.cli import main

main(sys.argv[2:], prog_name="decisionaid")
"""


def killed_build(root: Path, out: Path, after: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_WRITING, after, "build", "--root", str(root)]
        + ["--out", str(out), "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def retitle(root: Path, title: str) -> None:
    path = root / "aids" / "test-aid.yaml"
    path.write_text(aid_text().replace("Test procedure (testoplasty)", title), encoding="utf-8")


def test_a_build_killed_after_writing_an_aid_is_finished_by_the_next(root: Path):
    out = root / "out"
    retitle(root, "Old title")
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    retitle(root, "New title")
    killed_build(root, out, "test-aid.html")
    assert "New title" in pdf_text(out / "en" / "test-aid.pdf")  # renamed in, not recorded
    retitle(root, "Old title")  # the file is as the manifest last recorded it
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Old title" in pdf_text(out / "en" / "test-aid.pdf")
    assert "Old title" in text_of(soup(out / "en" / "test-aid.html").find("h1"))
    assert "Old title" in text_of(soup(out / "index.html"))
    assert not (out / ".decisionaid.journal").exists()


def test_files_of_a_killed_build_are_removed_when_their_aid_is_gone(root: Path):
    out = root / "out"
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    extra = root / "aids" / "extra-aid.yaml"
    extra.write_text(aid_text().replace("id: test-aid", "id: extra-aid"), encoding="utf-8")
    killed_build(root, out, "extra-aid.html")
    assert (out / "en" / "extra-aid.pdf").is_file()
    extra.unlink()
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "en").iterdir() if p.name.startswith("extra")) == []
    manifest = json.loads((out / ".decisionaid.json").read_text(encoding="utf-8"))
    listed = {
        n for e in manifest["aids"].values() for v in e["variants"].values() for n in v["files"]
    }
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    # Beside the aids' files: the manifest, the catalog and the pages' own script.
    assert sorted(manifest["files"]) == ["handout.js", "index.html"]
    assert on_disk - listed == {".decisionaid.json", "index.html", "handout.js"}


# Glossary linking does not grow with the glossary


def glossary(entries: int) -> Glossary:
    """`entries` made-up terms of 20 aliases each, many starting like the words of the
    text, which is what made one regular expression of them slow."""
    words = aid_text().split()
    return Glossary(
        GlossaryEntry(
            term=f"made-up term {i}",
            aliases=[f"{words[(i + j) % len(words)]} {i}x{j}" for j in range(20)],
            definition="A made-up word.",
        )
        for i in range(entries)
    )


def test_glossary_linking_does_not_grow_with_the_number_of_terms():
    """A 1,000-entry glossary of 20 aliases each made one render 16 s instead of 1 s:
    one regular expression tried all 21,000 words at every place in the text."""
    text = aid_text() * 20
    small, large = glossary(250), glossary(1_000)
    assert small.find(text) == large.find(text) == []
    assert large.find("see Made-up term 999, here") == [large.terms[999]]
    ratio = work(lambda: large.find(text)) / work(lambda: small.find(text))
    assert ratio < 2, f"4 times the terms took {ratio:.1f} times the work"
