"""Trust, the build's side: one broken file, template or disk never leaves a half-made
catalog, a traceback, or outputs where they would be read back as content."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import aid_text, pdf_text, run_cli, soup, text_of

OUT_FILES = ("html", "pdf", "summary.pdf", "check.html")


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The real command in its own process (signals, resource limits, exit status)."""
    return subprocess.run(
        [sys.executable, "-m", "decisionaid", *args],
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def no_traceback(result) -> None:
    text = getattr(result, "stderr", "") + getattr(result, "stdout", "")
    output = getattr(result, "output", "")
    assert "Traceback" not in text + output


def titled(root: Path, title: str) -> None:
    """Give the test aid a title we can find in each of its outputs."""
    path = root / "aids" / "test-aid.yaml"
    path.write_text(
        aid_text().replace("title: Test procedure (testoplasty)", f"title: {title}"),
        encoding="utf-8",
    )


def set_titles(out: Path) -> dict[str, str]:
    """Which title each output of the test aid carries."""
    found = {}
    html = text_of(soup(out / "en" / "test-aid.html"))
    found["html"] = "Old" if "Old title" in html else "New" if "New title" in html else "?"
    pdf = pdf_text(out / "en" / "test-aid.pdf")
    found["pdf"] = "Old" if "Old title" in pdf else "New" if "New title" in pdf else "?"
    return found


def temporary_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_the_test_aid_has_the_title_these_tests_replace():
    assert "title: Test procedure (testoplasty)" in aid_text()


def test_an_empty_aids_folder_is_refused_and_the_catalog_is_kept(root: Path):
    out = root / "out"
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    before = (out / "index.html").read_bytes()
    (root / "aids" / "test-aid.yaml").unlink()
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.exit_code == 2
    assert "no aid files" in result.output
    assert (out / "index.html").read_bytes() == before
    assert (out / "en" / "test-aid.pdf").is_file()  # nothing was removed either


def test_a_root_without_aids_is_refused_before_anything_is_written(tmp_path: Path):
    out = tmp_path / "out"
    result = run_cli("build", "--root", str(tmp_path), "--out", str(out))
    assert result.exit_code == 2
    assert "a content root?" in result.output
    assert not out.exists()


def test_out_inside_templates_or_holding_the_content_is_refused(root: Path):
    (root / "templates").mkdir()
    for out in (root / "templates", root / "aids" / "out", root / "glossary", root):
        result = run_cli("build", "--root", str(root), "--out", str(out))
        assert result.exit_code == 2, out
        assert "choose a folder of its own" in result.output
    assert not (root / "templates" / "index.html").exists()
    assert not (root / "index.html").exists()
    assert sorted(p.name for p in (root / "aids").iterdir()) == ["test-aid.yaml"]


def test_a_title_with_template_syntax_is_only_ever_text(root: Path):
    """Outputs are never loaded as templates, so `{{ }}` in content stays text."""
    titled(root, '"{{ 7 * 7 }} New title"')
    out = root / "out"
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    assert run_cli("build", "--root", str(root), "--out", str(out), "--force").exit_code == 0
    index = text_of(soup(out / "index.html"))
    assert "{{ 7 * 7 }} New title" in index
    assert "49" not in index


def test_a_broken_catalog_template_is_reported_and_the_handouts_still_built(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "index.html").write_text("<h1>\n{% for x in %}\n", encoding="utf-8")
    out = root / "out"
    result = run_cli("build", "--root", str(root), "--out", str(out))
    no_traceback(result)
    assert result.exit_code == 1
    assert "templates/index.html:2: template error" in result.output
    assert (out / "en" / "test-aid.pdf").is_file()
    assert not (out / "index.html").exists()


def test_a_template_that_cannot_be_read_is_named_as_such(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_bytes(b"<p>caf\xe9</p>\n")
    out = root / "out"
    result = run_cli("build", "--root", str(root), "--out", str(out))
    no_traceback(result)
    assert result.exit_code == 1
    assert "templates/handout.html" in result.output
    assert "cannot read" in result.output
    assert "cannot write" not in result.output


def test_new_in_a_folder_it_cannot_write_says_so(tmp_path: Path):
    (tmp_path / "aids").write_text("a file where the folder should be", encoding="utf-8")
    result = run_cli("new", "knee-replacement", "--root", str(tmp_path))
    no_traceback(result)
    assert result.exit_code == 1
    assert "error: cannot write" in result.output


def test_two_files_with_one_id_never_overwrite_each_other(root: Path):
    """`x.yaml` and `x.en.yaml` are both the English `x`: the later one is an error
    naming the other, and the handout is the earlier one's."""
    twin = aid_text().replace("Test procedure", "Twin procedure")
    (root / "aids" / "test-aid.en.yaml").write_text(twin, encoding="utf-8")
    out = root / "out"
    for jobs in ("1", "2"):
        result = run_cli("build", "--root", str(root), "--out", str(out), "--jobs", jobs)
        assert result.exit_code == 1
        (line,) = [line for line in result.output.splitlines() if "'test-aid' in 'en' too" in line]
        assert "test-aid.en.yaml:1: id:" in line and "aids/test-aid.yaml" in line
        assert "Twin procedure" not in pdf_text(out / "en" / "test-aid.pdf")
        assert "Test procedure" in pdf_text(out / "en" / "test-aid.pdf")


def test_a_full_disk_leaves_the_previous_set_and_catalog_as_they_were(root: Path):
    out = root / "out"
    titled(root, "Old title")
    assert cli("build", "--root", str(root), "--out", str(out)).returncode == 0
    index = (out / "index.html").read_bytes()
    titled(root, "New title")

    def small_disk() -> None:  # files over 20 kB cannot be written (EFBIG), like ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = cli("build", "--root", str(root), "--out", str(out), preexec_fn=small_disk)
    no_traceback(result)
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    assert set_titles(out) == {"html": "Old", "pdf": "Old"}
    assert (out / "index.html").read_bytes() == index
    assert temporary_files(out) == []


def test_a_signal_during_a_build_stops_it_with_nothing_half_written(root: Path):
    """Ctrl-C (SIGINT) exits 130 and SIGTERM 143, at any moment: each aid's set of
    files is all old or all new, and no temporary file is left."""
    out = root / "out"
    for n in range(3):
        text = aid_text().replace("id: test-aid", f"id: more-{n}")
        (root / "aids" / f"more-{n}.yaml").write_text(text, encoding="utf-8")
    titled(root, "Old title")
    assert cli("build", "--root", str(root), "--out", str(out), "--jobs", "1").returncode == 0
    seen = set()
    signals = [(signal.SIGINT, 0.7), (signal.SIGINT, 1.2), (signal.SIGTERM, 1.5)]
    for signum, delay in [*signals, (signal.SIGINT, 2.5)]:
        titled(root, "New title")
        process = subprocess.Popen(
            [sys.executable, "-m", "decisionaid", "build", "--root", str(root)]
            + ["--out", str(out), "--force", "--jobs", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(delay)
        # As a terminal does: Ctrl-C reaches every process of the group, workers too.
        os.killpg(process.pid, signum) if signum == signal.SIGINT else process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr
        if process.returncode != 0:  # it may have finished first on a fast machine
            assert process.returncode == 128 + signum, stderr
            assert "nothing is half-written" in stderr
            seen.add(signum)
        assert temporary_files(out) == []
        assert len(set(set_titles(out).values())) == 1
        titled(root, "Old title")
    assert seen, "no build was still running when signalled"


def test_temporary_files_left_by_a_killed_build_are_swept(root: Path):
    out = root / "out"
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    leftover = out / "en" / ".test-aid.pdf.abcd1234.tmp"
    leftover.write_bytes(b"half")
    mine = out / "en" / "notes.tmp"  # not the tool's: never touched
    mine.write_text("mine", encoding="utf-8")
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    assert not leftover.exists()
    assert mine.exists()


def test_build_exit_status_is_zero_when_all_is_well(root: Path):
    result = cli("build", "--root", str(root), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    assert "Built 1 aid" in result.stdout


def test_a_broken_shared_file_is_reported_and_the_published_set_stays(root: Path):
    """A mistake in clinic.yaml (or a glossary, or a template) is not the aid's fault:
    it is reported at its line, and the handouts already published stay, listed."""
    out = root / "out"
    assert run_cli("build", "--root", str(root), "--out", str(out)).exit_code == 0
    index = (out / "index.html").read_bytes()
    (root / "clinic.yaml").write_text("name: Riverside Clinic\nphone: [\n", encoding="utf-8")
    result = run_cli("build", "--root", str(root), "--out", str(out))
    no_traceback(result)
    assert result.exit_code == 1
    assert "clinic.yaml:" in result.output
    assert (out / "en" / "test-aid.pdf").is_file()
    assert (out / "index.html").read_bytes() == index


def test_an_undefined_name_in_a_template_is_reported_at_its_file_and_line(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "summary.html").write_text(
        "<!DOCTYPE html>\n<html lang=en>\n<p>{{ undefined_thing }}</p>\n", encoding="utf-8"
    )
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    no_traceback(result)
    assert result.exit_code == 1
    assert "templates/summary.html:3: template error: 'undefined_thing' is undefined" in (
        result.output
    )
