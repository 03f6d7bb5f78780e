"""Issue 29, templates: a template override is code the tool does not trust, and the
loaded models are shared by every copy a process makes. A template can change nothing
it is given, and a template that would run for ever or fill the memory is a problem at
its file, never a hang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import build

from decisionaid.handout.consult import Consult
from decisionaid.pipeline.core import make_aid, make_copy
from decisionaid.pipeline.result import Context
from decisionaid.settings import BuildOptions

HANG = 300  # seconds: far beyond any rendering, short of a CI job's limit
APPEND = (
    "{% do h.aid.keywords.append(h.consult.patient) %}"
    "<p>Keywords: {{ h.aid.keywords|join(', ') }}</p>\n"
)


def copies(root: Path, *patients: str) -> list:
    """One copy for each patient, in one process, from one checked aid (as the web app
    makes them)."""
    ctx = Context.open(root, BuildOptions(formats=("html",)))
    loaded = ctx.content.load(root / "aids" / "test-aid.yaml")
    checked = make_aid(loaded, ctx, render=False)
    return [make_copy(loaded, ctx, Consult(patient), checked) for patient in patients]


def test_a_template_cannot_change_what_it_is_given_so_no_copy_sees_another(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_text(APPEND, encoding="utf-8")
    first, second = copies(root, "Ysolde Firstpatient", "Oswin Secondpatient")
    for result in (first, second):
        assert "copy" not in result.files
        [problem] = result.problems
        assert str(problem).startswith(f"{root / 'templates' / 'handout.html'}:1: template error")
        assert "sandbox" in str(problem)
        assert "Firstpatient" not in str(problem) and "Secondpatient" not in str(problem)
    # and the model shared by both copies is as it was loaded
    ctx = Context.open(root, BuildOptions(formats=("html",)))
    loaded = ctx.content.load(root / "aids" / "test-aid.yaml")
    assert not any("patient" in word for word in loaded.aid.keywords)


def test_the_built_in_templates_change_nothing_they_are_given(root: Path):
    """The templates' own lists are built whole, so the immutable sandbox refuses none
    of them: a copy with a name is made, and names that patient only."""
    first, second = copies(root, "Ysolde Firstpatient", "Oswin Secondpatient")
    assert first.ok and second.ok, (first.problems, second.problems)
    assert b"Firstpatient" in first.files["copy"]
    assert b"Firstpatient" not in second.files["copy"]


# A template runs within limits of time, steps and size


@pytest.mark.parametrize(
    "payload",
    [
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "{{ 9**(9**8) }}",
        "{{ ('x' * 10**9)|length }}",
        "{{ 'x'|center(10**9) }}",
        "{% set ns = namespace(s='xxxxxxxx') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "{% macro grow(s, n) %}{{ grow(s ~ s, n - 1) if n else s|length }}{% endmacro %}"
        "{{ grow('xxxxxxxx', 40) }}",
        "{{ '%1000000000d' % 1 }}",
        "{{ '{:>1000000000}'.format(1) }}",
    ],
    ids=["nested-range", "power", "repeat", "center", "namespace", "macro", "percent", "format"],
)
def test_a_template_past_a_limit_is_a_problem_at_its_file_not_a_hang(root: Path, payload: str):
    """Each would run for hours or take a gigabyte; in a child process with a hang guard
    (the suite would otherwise hang, which is the failure)."""
    (root / "templates").mkdir()
    (root / "templates" / "note.txt").write_text(f"Line one\n{payload}\n", encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "decisionaid", "note", "test-aid", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the template ran for more than {HANG} s: {payload}")
    assert done.returncode == 1
    assert "templates/note.txt:2: template error:" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_limits_leave_every_built_in_template_rendering(root: Path):
    """The built-in templates (handout, summary, quality page, catalog) stay well inside
    the limits: the test aid builds, and its handout is whole."""
    out = root / "out"
    report = build(root, out, formats=("html",))
    assert report.ok, report.problems
    assert "Questions to ask" in (out / "en" / "test-aid.html").read_text(encoding="utf-8")


def test_a_template_error_never_carries_the_patients_name(root: Path):
    """`{% include h.consult.patient %}` names the template it did not find: the name."""
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_text(
        "<p>x</p>\n{% include h.consult.patient %}\n", encoding="utf-8"
    )
    [result] = copies(root, "Ysolde Firstpatient")
    [problem] = result.problems
    assert "template error" in str(problem) and "handout.html:2" in str(problem)
    assert "Firstpatient" not in str(problem)
    done = subprocess.run(
        [sys.executable, "-m", "decisionaid", "handout", "test-aid", "--root", str(root),
         "--format", "html", "-o", str(root / "copy.html"), "--patient", "Ysolde Firstpatient"],
        capture_output=True, text=True, timeout=HANG,
    )  # fmt: skip
    assert done.returncode == 1 and "template error" in done.stderr
    assert "Firstpatient" not in done.stdout + done.stderr
