"""The house in layers: folders that are layers (no import goes up), a check made once
and passed on, one answer to "which copy"."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import REPO

from decisionaid.handout.consult import Consult
from decisionaid.settings import BuildOptions, Edition


def test_no_import_goes_up_a_layer():
    """pyproject.toml's contract: content < output < approval < handout < quality <
    pipeline < publish, web < cli (import-linter, as `make test` runs it)."""
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter)], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_the_readme_names_the_layers_as_the_contract_does():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert (
        "`content` ← `output` ← `approval` ← `handout` ← `quality` ← `pipeline` ← "
        "`publish`, `web` ← `cli`" in text
    )


def test_a_copy_does_not_run_the_check_again(root: Path, monkeypatch):
    """A render worker checks an aid once per generation of the files; each copy is
    made from that check (counted: the check is the expensive part of a copy)."""
    import decisionaid.pipeline.core as core
    from decisionaid.web.renderer import CopyJob, _WorkerState

    calls = []
    real = core.check_aid
    monkeypatch.setattr(core, "check_aid", lambda given: calls.append(given) or real(given))
    state = _WorkerState(root)
    job = CopyJob(root / "aids" / "test-aid.yaml", 1, BuildOptions(formats=("html",)), Consult())
    made = [state.make(replace(job, consult=Consult(patient=name))) for name in ("A", "B", "C")]
    assert all(m.data for m in made) and len(calls) == 1
    state.make(replace(job, generation=2))  # the files changed: checked again, once
    assert len(calls) == 2


@pytest.mark.parametrize(
    ("kind", "size", "name", "variant"),
    [
        ("full", "standard", "x.en.pdf", "standard"),
        ("full", "large", "x.en.large.pdf", "large"),
        ("summary", "standard", "x.en.summary.pdf", "standard"),
    ],
)
def test_one_value_says_which_copy(root: Path, kind, size, name, variant):
    from decisionaid.content.root import ContentRoot

    shutil.copy(root / "aids" / "test-aid.yaml", root / "aids" / "x.yaml")
    text = (root / "aids" / "x.yaml").read_text(encoding="utf-8").replace("id: test-aid", "id: x")
    (root / "aids" / "x.yaml").write_text(text, encoding="utf-8")
    aid = ContentRoot.at(root).load(root / "aids" / "x.yaml").aid
    edition = Edition(kind, size)
    assert (edition.copy_name(aid, "pdf"), edition.variant) == (name, variant)
    assert Consult(summary=kind == "summary").edition(size == "large") == edition
    with pytest.raises(ValueError, match="large print is for the full handout"):
        Edition("summary", "large")
