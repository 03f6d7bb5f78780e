"""Incremental and parallel builds: what is made again after each kind of edit, and
that worker processes make the same files as one process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import aid_text, pdf_text, soup, text_of

ANESTHESIA = "  definition: A shot that numbs one part of your body."


@pytest.fixture
def two(root: Path) -> Path:
    """The test aid (it uses 'local anesthesia') and one that does not use that term."""
    other = (
        aid_text().replace("id: test-aid", "id: other-aid").replace("local anesthesia", "a shot")
    )
    (root / "aids" / "other-aid.yaml").write_text(other, encoding="utf-8")
    return root


def made(
    root: Path, *selectors: str, language=None, force=False, **options
) -> tuple[list[str], int]:
    """Build; the keys of the aids made this time, and how many were up to date. Only
    the web pages unless `formats` says otherwise: what is made again does not depend
    on the kinds of file, and a test that reads a PDF asks for it."""
    from decisionaid.publish.build import build
    from decisionaid.settings import BuildOptions

    options = BuildOptions(out=root / "out", **{"formats": ("html",), **options})
    report = build(root, options, selectors, language=language, force=force)
    assert report.ok, report.problems
    return [b.key for b in report.built], report.unchanged


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_nothing_changed_nothing_made_and_no_file_touched(two: Path):
    assert made(two) == (["en/other-aid", "en/test-aid"], 0)
    out = two / "out"
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert made(two) == ([], 2)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_editing_one_aid_makes_that_aid_and_the_catalog_only(two: Path):
    made(two, formats=("html", "pdf"))
    out = two / "out"
    other_pdf = (out / "en" / "other-aid.pdf").stat().st_mtime_ns
    edit(two / "aids" / "test-aid.yaml", "Test procedure", "Edited procedure")
    assert made(two, formats=("html", "pdf")) == (["en/test-aid"], 1)
    assert (out / "en" / "other-aid.pdf").stat().st_mtime_ns == other_pdf
    assert "Edited procedure" in text_of(soup(out / "index.html"))
    assert "Edited procedure" in pdf_text(out / "en" / "test-aid.pdf")


def test_editing_one_glossary_definition_makes_only_the_aids_using_that_term(two: Path):
    made(two, formats=("html", "pdf"))
    edit(two / "glossary" / "en.yaml", ANESTHESIA, "  definition: A shot that numbs a small area.")
    assert made(two, formats=("html", "pdf")) == (["en/test-aid"], 1)
    assert "numbs a small area" in pdf_text(two / "out" / "en" / "test-aid.pdf")


def test_a_new_glossary_term_makes_every_aid_of_its_language_again(two: Path):
    made(two)
    with (two / "glossary" / "en.yaml").open("a", encoding="utf-8") as glossary:
        glossary.write("- term: recovery\n  definition: The time it takes to get better.\n")
    assert made(two) == (["en/other-aid", "en/test-aid"], 0)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("clinic.yaml", "name: Riverside Clinic\n"),
        ("templates/handout.css", "/* a clinic's own style */\n"),
    ],
)
def test_shared_inputs_make_every_aid_again(two: Path, name: str, text: str):
    made(two)
    (two / name).parent.mkdir(exist_ok=True)
    (two / name).write_text(text, encoding="utf-8")
    assert made(two) == (["en/other-aid", "en/test-aid"], 0)


def test_force_makes_everything_and_options_are_inputs(two: Path):
    made(two)
    assert made(two, force=True)[0] == ["en/other-aid", "en/test-aid"]
    assert made(two, paper="a4")[0] == ["en/other-aid", "en/test-aid"]
    assert made(two, paper="a4") == ([], 2)


def test_a_subset_by_glob_or_language_leaves_the_rest_listed(two: Path):
    spanish = aid_text().replace("title:", "language: es\ntitle:", 1)
    (two / "aids" / "test-aid.es.yaml").write_text(spanish, encoding="utf-8")
    made(two)
    assert made(two, "other-*", force=True) == (["en/other-aid"], 0)
    assert made(two, language="ES", force=True) == (["es/test-aid"], 0)
    index = soup(two / "out" / "index.html")
    assert len(index.select("tbody tr")) == 3  # the aids not made stay in the catalog


def test_a_review_date_passing_rechecks_an_unchanged_aid(two: Path):
    import datetime as dt

    made(two)
    later = dt.date(2100, 1, 1)  # after every review_by: the check result changes
    keys, _ = made(two, today=later)
    assert keys == ["en/other-aid", "en/test-aid"]


def run_build(root: Path, out: Path, jobs: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "decisionaid", "build", "--root", str(root), "--out", str(out)]
        + ["--jobs", str(jobs)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_two_jobs_and_one_job_give_identical_files(two: Path):
    one, both = two / "one", two / "two"
    run_build(two, one, 1)
    run_build(two, both, 2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(both) for p in both.rglob("*") if p.is_file())
    assert len(files) >= 11
    for name in files:  # the manifest too
        assert (one / name).read_bytes() == (both / name).read_bytes(), name


def test_a_catalog_split_across_runners_merges_into_the_same_files(two: Path):
    """Each runner builds a subset into its own folder; merged and indexed, the result
    is byte for byte what one build of everything makes."""
    from helpers import run_cli

    spanish = aid_text().replace("title:", "language: es\ntitle:", 1)
    (two / "aids" / "test-aid.es.yaml").write_text(spanish, encoding="utf-8")
    root = ("--root", str(two))
    whole, merged = two / "whole", two / "merged"
    assert run_cli("build", *root, "--out", str(whole), "--jobs", "1").exit_code == 0
    for name, subset in [("r1", ("--language", "es")), ("r2", ("test-*",)), ("r3", ("other-*",))]:
        args = ("build", *subset, *root, "--out", str(two / name), "--jobs", "1")
        assert run_cli(*args).exit_code == 0
    result = run_cli(
        "merge", str(two / "r1"), str(two / "r2"), str(two / "r3"), "--out", str(merged)
    )
    assert result.exit_code == 0, result.output
    assert "Merged 3 aids" in result.output
    result = run_cli("build", *root, "--out", str(merged))
    assert "Built 0 aids (0 files), 3 unchanged, 0 failed" in result.output
    files = sorted(p.relative_to(whole) for p in whole.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(merged) for p in merged.rglob("*") if p.is_file())
    for name in files:
        assert (whole / name).read_bytes() == (merged / name).read_bytes(), name


def test_merge_refuses_a_folder_that_is_not_a_build(two: Path, tmp_path: Path):
    from helpers import run_cli

    result = run_cli("merge", str(tmp_path), "--out", str(two / "merged"))
    assert result.exit_code == 2
    assert "not a build's output" in result.output
    assert not (two / "merged").exists()
