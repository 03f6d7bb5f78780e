"""The command line: exit codes, messages, and what it writes (and does not)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import REPO, aid_text, run_cli

from decisionaid.content.root import ContentRoot

LOCATED = re.compile(r"^(?P<path>[^:]+\.yaml):(?P<line>\d+): (?P<rest>.+)$")


def broken_folder(root: Path) -> None:
    """Three broken aids beside the good one."""
    text = aid_text()
    (root / "aids" / "typo.yaml").write_text(
        text.replace("id: test-aid", "id: typo").replace("title: Test", "titel: Test"),
        encoding="utf-8",
    )
    (root / "aids" / "syntax.yaml").write_text(
        text.replace("id: test-aid", "id: syntax").replace("[3, 10]", "[3, 10"), encoding="utf-8"
    )
    (root / "aids" / "rules.yaml").write_text(
        text.replace("id: test-aid", "id: rules")
        .replace("source: study1", "source: nowhere", 1)
        .replace("    no_action: true\n", ""),
        encoding="utf-8",
    )


def test_build_ok_exits_0(root: Path):
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    assert result.exit_code == 0, result.output
    assert "Built 1 aid (5 files)" in result.output
    assert "Check: 0 errors" in result.output
    assert (root / "out" / "en" / "test-aid.pdf").is_file()


def test_broken_aids_report_every_problem_and_the_good_ones_still_build(root: Path):
    broken_folder(root)
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ".yaml:" in line]
    assert len(lines) == 5, result.stderr  # titel + title missing, syntax, source, no_action
    for line in lines:
        assert LOCATED.match(line), line
    assert any("typo.yaml:2: titel: unknown key 'titel'" in line for line in lines)
    assert any("rules.yaml" in line and "source 'nowhere'" in line for line in lines)
    assert any("syntax.yaml" in line and "YAML syntax" in line for line in lines)
    out = root / "out" / "en"
    assert (out / "test-aid.pdf").is_file() and (out / "test-aid.html").is_file()
    assert sorted(p.name for p in out.iterdir()) == [
        "test-aid.check.html",
        "test-aid.html",
        "test-aid.pdf",
        "test-aid.summary.html",
        "test-aid.summary.pdf",
    ]


def test_no_temporary_files_are_left(root: Path):
    run_cli("build", "--root", str(root), "--out", str(root / "out"))
    hidden = [p.name for p in (root / "out").rglob("*") if p.name.startswith(".")]
    assert hidden == [".decisionaid.json"]  # the manifest; no temporary file is left


def test_usage_errors_exit_2(root: Path):
    assert run_cli("build", "no-such-aid", "--root", str(root)).exit_code == 2
    assert run_cli("build", "--root", str(root), "--format", "docx").exit_code == 2
    assert run_cli("frobnicate").exit_code == 2


def test_build_by_id_and_by_path(root: Path):
    shutil.copy(root / "aids" / "test-aid.yaml", root / "aids" / "other.yaml")
    (root / "aids" / "other.yaml").write_text(
        aid_text().replace("id: test-aid", "id: other"), encoding="utf-8"
    )
    out = root / "out"
    assert run_cli("build", "other", "--root", str(root), "--out", str(out)).exit_code == 0
    assert (out / "en" / "other.html").is_file() and not (out / "en" / "test-aid.html").exists()
    path = str(root / "aids" / "test-aid.yaml")
    assert run_cli("build", path, "--root", str(root), "--out", str(out)).exit_code == 0
    assert (out / "en" / "test-aid.html").is_file()


def test_new_writes_a_skeleton_that_validates_and_builds(root: Path):
    result = run_cli("new", "knee-arthroscopy", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "aids" / "knee-arthroscopy.yaml"
    assert "#" in path.read_text(encoding="utf-8")  # commented
    assert ContentRoot.at(root).load(path).problems == []
    out = root / "out"
    assert (
        run_cli("build", "knee-arthroscopy", "--root", str(root), "--out", str(out)).exit_code == 0
    )
    assert run_cli("new", "knee-arthroscopy", "--root", str(root)).exit_code == 1
    assert run_cli("new", "Knee Scope", "--root", str(root)).exit_code == 2


def test_build_py_is_the_same_cli(root: Path):
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "build.py"),
            "build",
            "--root",
            str(root),
            "--out",
            str(root / "out"),
            "--format",
            "html",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "out" / "en" / "test-aid.html").is_file()


def test_broken_clinic_and_glossary_are_reported_with_lines(root: Path):
    (root / "clinic.yaml").write_text("name: X\npaper: a5\n", encoding="utf-8")
    (root / "glossary" / "en.yaml").write_text("- term: x\n  definiton: y\n", encoding="utf-8")
    result = run_cli("build", "--root", str(root), "--out", str(root / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "clinic.yaml:2: paper: Input should be 'letter' or 'a4'" in result.stderr
    assert "en.yaml:2: [0].definiton: unknown key 'definiton'" in result.stderr
    assert not (root / "out" / "en" / "test-aid.pdf").exists()


def test_missing_root_is_a_usage_error(tmp_path: Path):
    assert run_cli("build", "--root", str(tmp_path / "nowhere")).exit_code == 2
    assert run_cli("check", "--root", str(tmp_path / "nowhere")).exit_code == 2
