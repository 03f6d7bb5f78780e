"""The in-memory pipeline: make_aid writes nothing, builds share it, and the
catalog lists exactly what passed."""

from __future__ import annotations

import os
import re
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, pdf_text, run_cli, soup
from jinja2.ext import babel_extract

from decisionaid.output.pdf import render_pdf
from decisionaid.pipeline import core as pipeline
from decisionaid.pipeline.core import make_aid
from decisionaid.pipeline.result import Context
from decisionaid.settings import BuildOptions, ContentLayout


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def index_links(out: Path) -> set[str]:
    return {a["href"] for a in soup(out / "index.html").select("table.catalog a")}


def test_make_aid_writes_nothing(root: Path, tmp_path: Path, monkeypatch):
    temp = tmp_path / "temp"  # the temp folder of this process only: others write to /tmp
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    before_root, before_temp = listing(root), sorted(os.listdir(temp))
    ctx = Context.open(root, BuildOptions(out=root / "out"))
    result = make_aid(ctx.content.load(root / "aids" / "test-aid.yaml"), ctx)
    assert result.ok, result.problems
    assert result.pdf.startswith(b"%PDF") and "<h1>Test procedure" in result.html
    assert set(result.files) == {
        f"en/test-aid.{ext}" for ext in ("html", "pdf", "check.html", "summary.html", "summary.pdf")
    }
    assert result.handout.aid.id == "test-aid" and result.check.ipdas_met > 0
    assert listing(root) == before_root
    assert sorted(os.listdir(temp)) == before_temp
    assert not (root / "out").exists()


def test_make_aid_in_a_worker_process(root: Path):
    ctx = Context.open(root, BuildOptions(out=root / "out", formats=("html",)))
    loaded = ctx.content.load(root / "aids" / "test-aid.yaml")
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        remote = pool.submit(make_aid, loaded, ctx).result()
    assert remote.ok and remote.html == make_aid(loaded, ctx).html


def test_blocked_aid_leaves_the_index_and_its_outputs_go(root: Path, write_aid):
    out = root / "out"
    write_aid("second-aid", aid_text().replace("id: test-aid", "id: second-aid"))
    assert build(root, out).ok
    assert {"en/test-aid.pdf", "en/second-aid.pdf"} <= index_links(out)
    # Removing the no-action option blocks even a draft.
    broken = aid_text().replace("id: test-aid", "id: second-aid").replace("no_action: true", "")
    write_aid("second-aid", broken)
    report = build(root, out)
    assert not report.ok
    assert any("ipdas-no-action" in str(p) for p in report.problems)
    links = index_links(out)
    assert "en/test-aid.pdf" in links and not any("second-aid" in link for link in links)
    assert sorted(p.name for p in (out / "en").iterdir()) == [
        "test-aid.check.html",
        "test-aid.html",
        "test-aid.pdf",
        "test-aid.summary.html",
        "test-aid.summary.pdf",
    ]


def test_deleted_aid_file_removes_its_outputs_but_nothing_else(root: Path, write_aid):
    out = root / "out"
    path = write_aid("second-aid", aid_text().replace("id: test-aid", "id: second-aid"))
    (out / "en").mkdir(parents=True)
    (out / "en" / "notes.txt").write_text("the clinic's own file", encoding="utf-8")
    (out / "en" / "second-aid.docx").write_text("not ours", encoding="utf-8")
    assert build(root, out).ok
    assert (out / "en" / "second-aid.pdf").is_file()
    path.unlink()
    assert build(root, out).ok
    assert not any((out / "en").glob("second-aid.*.*")) and not (out / "en/second-aid.pdf").exists()
    assert (out / "en" / "notes.txt").is_file() and (out / "en" / "second-aid.docx").is_file()
    assert not any("second-aid" in link for link in index_links(out))


def test_building_one_aid_keeps_the_unchanged_others_in_the_index(root: Path, write_aid):
    out = root / "out"
    write_aid("second-aid", aid_text().replace("id: test-aid", "id: second-aid"))
    assert build(root, out).ok
    assert build(root, out, ("test-aid",)).ok
    assert {"en/test-aid.pdf", "en/second-aid.pdf"} <= index_links(out)
    # A changed aid that was not rebuilt is left out until it is built again.
    write_aid(
        "second-aid",
        aid_text().replace("id: test-aid", "id: second-aid").replace("Test procedure", "Changed"),
    )
    report = build(root, out, ("test-aid",))
    assert report.stale == ["aids/second-aid.yaml"] or report.stale[0].endswith("second-aid.yaml")
    assert not any("second-aid" in link for link in index_links(out))
    assert build(root, out).ok
    assert "en/second-aid.pdf" in index_links(out)


def test_format_change_removes_the_old_format(root: Path):
    out = root / "out"
    assert build(root, out).ok
    assert build(root, out, formats=["html"]).ok
    assert not (out / "en" / "test-aid.pdf").exists()
    assert index_links(out) >= {"en/test-aid.html"} and "en/test-aid.pdf" not in index_links(out)


def test_large_print_is_kept_beside_the_standard_files(root: Path):
    out = root / "out"
    assert build(root, out).ok
    assert build(root, out, large_print=True).ok
    assert {"en/test-aid.pdf", "en/test-aid.large.pdf"} <= index_links(out)


def _page_with_missing_image(name: str) -> str:
    return (
        f'<html lang="en"><head><title>{name}</title></head><body><h1>{name}</h1>'
        f'<img src="file:///no/such/{name}.png" alt="{name}"></body></html>'
    )


def test_two_renders_at_once_each_hear_only_their_own_warnings(root: Path):
    layout = ContentLayout(root)
    names = ["alpha", "beta"]
    heard: dict[str, list[list[str]]] = {name: [] for name in names}
    start = threading.Barrier(len(names))

    def render(name: str) -> None:
        start.wait()
        for _ in range(4):
            heard[name].append(list(render_pdf(_page_with_missing_image(name), layout).warnings))

    threads = [threading.Thread(target=render, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for name, other in (("alpha", "beta"), ("beta", "alpha")):
        for messages in heard[name]:
            assert any(f"/no/such/{name}.png" in m for m in messages), messages
            assert not any(other in m for m in messages), messages


def test_an_internal_error_in_one_aid_leaves_the_others_built(root: Path, write_aid, monkeypatch):
    write_aid("second-aid", aid_text().replace("id: test-aid", "id: second-aid"))
    real = pipeline.enrich

    def failing(aid, *args, **kwargs):
        if aid.id == "second-aid":
            raise ZeroDivisionError("injected for the test")
        return real(aid, *args, **kwargs)

    monkeypatch.setattr(pipeline, "enrich", failing)
    out = root / "out"
    # One job: the failure is injected into this process, not into worker processes.
    result = run_cli("build", "--root", str(root), "--out", str(out), "--jobs", "1")
    assert result.exit_code == 1
    assert re.search(r"second-aid\.yaml: internal error: ZeroDivisionError", result.output)
    assert "Traceback" not in result.output
    assert (out / "en" / "test-aid.pdf").is_file() and not (out / "en" / "second-aid.pdf").exists()
    assert index_links(out) >= {"en/test-aid.pdf"}
    debug = run_cli("build", "--root", str(root), "--out", str(out), "--debug")
    assert "Traceback" in debug.output and "injected for the test" in debug.output

    real_check = pipeline.check_aid

    def failing_check(given):
        if given.loaded.path.stem == "second-aid":
            raise ZeroDivisionError("injected for the test")
        return real_check(given)

    monkeypatch.setattr(pipeline, "check_aid", failing_check)
    checked = run_cli("check", "--root", str(root))
    assert checked.exit_code == 1 and "internal error: ZeroDivisionError" in checked.output
    assert "test-aid" in checked.output and "Traceback" not in checked.output


def test_plurals_and_zero_in_the_legends(root: Path, write_aid):
    text = aid_text()
    one = text.replace("count: 6,", "count: 1,").replace("range: [3, 10]", "range: [1, 10]")
    write_aid("test-aid", one.replace("count: 20,", "count: 0,").replace("[15, 25]", "[0, 25]"))
    assert build(root, root / "out", formats=["pdf"]).ok
    words = pdf_text(root / "out" / "en" / "test-aid.pdf")
    assert "1 person it happens to" in words and "1 people" not in words
    assert "99 people it does not happen to" in words
    # A count of 0 is "fewer than 1 in 100": never "no one", never "100 people it does
    # not happen to" (that would read as a promise).
    assert "fewer than 1 person in 100: too few to draw" in words
    assert "nearly all 100 people: it does not happen to them" in words
    assert "no one" not in words and "100 people it does not happen to" not in words


TEMPLATES = REPO / "templates"
# What may stand outside the translation calls: markup, Jinja, CSS, symbols.
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_MARKUP = re.compile(
    r"<(style|script)\b.*?</\1>|<!--.*?-->|<[^>]*>|&\w+;|\s[a-z-]+=\"[^\"]*\"", re.S
)
_LABEL_ATTR = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')


@pytest.mark.parametrize(
    "name",
    [
        "handout.html",
        "expectations.html",
        "icon_array.html",
        "strings.html",
        "index.html",
        "summary.html",
        "check.html",
        "quality.html",
        "app/base.html",
        "app/catalog.html",
        "app/aid.html",
        "app/note.html",
        "app/problems.html",
        "app/missing.html",
    ],
)
def test_every_word_a_reader_sees_is_marked_for_translation(name: str):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    for value in _LABEL_ATTR.findall(source):
        assert not re.search(r"[A-Za-z]", _JINJA.sub("", value)), value
    bare = _MARKUP.sub(" ", _JINJA.sub(" ", source))
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", bare) if w not in {"DOCTYPE", "html"}]
    assert words == [], f"{name}: text outside _(): {words[:10]}"


def test_a_translator_finds_every_phrase_in_one_extraction():
    messages = {}
    for path in sorted([*TEMPLATES.rglob("*.html"), TEMPLATES / "note.txt"]):
        with path.open("rb") as handle:
            for _, function, message, _ in babel_extract(
                handle,
                ("_", "gettext", "ngettext"),
                [],
                {"extensions": "jinja2.ext.i18n,jinja2.ext.do"},
            ):
                messages[message if isinstance(message, str) else message[0]] = function
    assert len(messages) > 100
    for phrase in (
        "Who this is for",
        "Draft — not reviewed for patient use",
        "Page %(page)s of %(pages)s",
        "%(num)s person it happens to",
        "fewer than 1 person in %(per)s: too few to draw",
        "Fewer than %(num)s in %(people)s",
    ):
        assert phrase in messages, phrase
    assert messages["%(num)s person"] == "ngettext"
