"""Shared fixtures: real content roots on disk, built for real."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from helpers import DRAFTS, WAIT_MS

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A content root holding the test aid, a small glossary, and a clinic.yaml that
    lets the front desk print drafts."""
    (tmp_path / "aids").mkdir()
    (tmp_path / "glossary").mkdir()
    shutil.copy(FIXTURES / "test-aid.yaml", tmp_path / "aids" / "test-aid.yaml")
    shutil.copy(FIXTURES / "glossary-en.yaml", tmp_path / "glossary" / "en.yaml")
    (tmp_path / "clinic.yaml").write_text(DRAFTS, encoding="utf-8")
    return tmp_path


@pytest.fixture
def write_aid(root: Path) -> Callable[[str, str], Path]:
    """Write an aid file into the root: write_aid(id, yaml_text) -> path."""

    def write(aid_id: str, text: str) -> Path:
        path = root / "aids" / f"{aid_id}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def shared_build(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once per test run: under pytest-xdist the first worker to need it
    makes it while holding a lock, and the others wait, then read the same files (the
    tests only read them). `make` raises if the build is wrong: nothing is marked made,
    and the next worker tries again and fails the same way."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:  # one process: nobody to share with
        out = factory.mktemp(name)
        make(out)
        return out
    shared = factory.getbasetemp().parent / f"shared-{run}"
    shared.mkdir(exist_ok=True)
    out, made = shared / name, shared / f"{name}.made"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            make(out)
            made.touch()
    return out


@pytest.fixture(scope="session")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example aids, built once for the test run into a temp folder."""
    from helpers import build

    def make(out: Path) -> None:
        report = build(REPO, out)
        assert report.ok, report.problems
        # WeasyPrint only logs PDF/UA problems such as a missing alt text: there must be none.
        assert report.warnings == []
        assert len(report.built) == len(list((REPO / "aids").glob("*.yaml")))

    return shared_build(tmp_path_factory, "examples-out", make)


@pytest.fixture(scope="session")
def paper_builds(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable:
    """The example aids built as PDFs on either paper, standard or large print, each
    once a test run: `paper_builds("a4", large=True)` is the OUT folder. Letter standard
    is the `examples` build (clinic.yaml's paper is Letter)."""
    from helpers import build

    made = {("letter", False): examples}

    def built(paper: str, large: bool = False) -> Path:
        if (paper, large) not in made:

            def make(out: Path) -> None:
                report = build(REPO, out, formats=["pdf"], paper=paper, large_print=large)
                assert report.ok, report.problems
                assert report.warnings == []

            name = f"examples-{paper}{'-large' if large else ''}"
            made[paper, large] = shared_build(tmp_path_factory, name, make)
        return made[paper, large]

    return built


# The staff app, running for real (tests/web_helpers.py).


@pytest.fixture
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable]:
    """Start the staff app on a free loopback port, up before the test goes on, stopped
    when the test ends: `serve(root, "--workers", "1")` runs `decisionaid serve` as a
    process, as staff start it (`.log` holds its output); `serve(root, in_process=True,
    clock=...)` runs it in this process, so that a test can say what day it is or reach
    `.app.state.web`. Both answer with a `Served` (`.url`, `.get`, `.post`, `.request`)."""
    from web_helpers import Served, running, running_here

    with ExitStack() as stack:

        def start(
            root: Path, *args: str, in_process: bool = False, clock: Callable = dt.date.today
        ) -> Served:
            if in_process:
                assert not args, "the app in this process takes no command-line options"
                return stack.enter_context(running_here(root, clock))
            return stack.enter_context(running(root, tmp_path_factory.mktemp("server"), *args))

        yield start


# Debian's Chromium for the browser tests (Playwright, no browser download).


@pytest.fixture(scope="module")
def browser():
    from helpers import CHROMIUM, CHROMIUM_ARGS, WAIT_MS
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    expect.set_options(timeout=WAIT_MS)  # helpers.py says why
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context at desktop width, downloads allowed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)  # clicks and waits, as generous as `expect`
    yield context.new_page()
    context.close()
