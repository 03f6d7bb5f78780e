"""Issue 29, templates: a template override is code the tool does not trust, and the
loaded models are shared by every copy a process makes. A template can change nothing
it is given, and a template that would run for ever or fill the memory is a problem at
its file, never a hang."""

from __future__ import annotations

from pathlib import Path

from decisionaid.handout.consult import Consult
from decisionaid.pipeline.core import Context, make_aid, make_copy
from decisionaid.settings import BuildOptions

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
