"""Property-based fuzzing: mutated real aid files never give a traceback, a hang or an
output for an aid with errors.

Each example starts from one of the repository's aids and applies a few mutations a
careless author, a word processor or an attacker would: keys removed, renamed or
duplicated, values of the wrong type, huge, empty or odd Unicode (combining marks,
right-to-left marks, NUL, lone surrogates, which are not UTF-8), broken YAML, deep
nesting. The runs are derandomized (no example database), so CI sees the same examples
every time; a hang guard turns a hang into a stopped run, never a stuck CI job.
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisionaid.content.root import ContentRoot
from decisionaid.pipeline.core import make_aid
from decisionaid.pipeline.result import Context
from decisionaid.publish.build import build
from decisionaid.settings import BuildOptions

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = {
    path.name: path.read_text(encoding="utf-8") for path in sorted(REPO.glob("aids/*.yaml"))
}

# `make test` runs a fixed smoke set (derandomized: the same examples every run, so a
# red run can be run again); `make fuzz` sets DECISIONAID_FUZZ=20: twenty times the
# examples, new ones each run.
SCALE = float(os.environ.get("DECISIONAID_FUZZ", "1"))


def scaled(count: int) -> int:
    return max(1, round(count * SCALE))


# The profile for these tests (passed as `parent`, so the rest of the suite keeps
# hypothesis' defaults).
FUZZ = settings(
    derandomize=SCALE == 1,
    database=None,
    # No deadline: on a loaded CI machine a slow example is not a failure. A hang is
    # still caught, by the guard below (the run stops with every thread's traceback).
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)

HANG_GUARD = 900  # seconds for one fuzz test: far beyond its normal minute or two


@pytest.fixture(autouse=True)
def _hang_guard() -> Iterator[None]:
    """A hang stops the run with every thread's traceback, instead of a stuck CI job.
    It asserts nothing about speed: a slow machine never fails a test here."""
    faulthandler.dump_traceback_later(HANG_GUARD, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


# Text an author should never have typed, but someone will.
ODD = [
    "",
    " ",
    "~",
    "null",
    "0x1F",
    "1e3",
    "02079460958",
    "e" + "\u0301" * 200,
    "\u202eevil\u202c",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\x00",
    "\ufeff",
    "\ud800",  # a lone surrogate: the file is not UTF-8
    "a" * 6000,
    "[" * 300,
    "{" * 30 + "}" * 30,
    "- - - - - - - - - - - - - - - - - - - - - - - x",
    "[x](javascript:alert(1)) [y](/etc/passwd) <script>alert(1)</script>",
    "&lt; &amp; lt amp href",
    "*a: &a [1]",
    "{{ 7 * 7 }} {% raw %}",
    "key: value: more",
    "\t- tab",
    "'unclosed",
    '"unclosed',
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!!python/tuple [1, 2]",
    "<<: {title: X}",
    "9" * 400 + " days",  # a recovery time that overflows a float
    "2026-13-45",
    "-1",
    ".nan",
]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True).map(repr),
    st.lists(st.text(max_size=10), max_size=4).map(json.dumps),  # a list where text was
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3).map(json.dumps),
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text) of an example aid after one to four mutations."""
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    lines = EXAMPLES[name].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        lines = draw(st.sampled_from(MUTATIONS))(draw, lines)
    return name, "\n".join(lines)


def _at(draw: st.DrawFn, lines: list[str]) -> int:
    return draw(st.integers(0, max(0, len(lines) - 1)))


def _keyed(draw: st.DrawFn, lines: list[str]) -> int | None:
    """A line holding `key:`, if any."""
    keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    return draw(st.sampled_from(keyed)) if keyed else None


def remove_line(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = _at(draw, lines)
    return lines[:i] + lines[i + 1 :]


def duplicate_line(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = _at(draw, lines)
    return lines[: i + 1] + lines[i:]


def rename_key(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = _keyed(draw, lines)
    if i is None:
        return lines
    lead, _, rest = lines[i].partition(":")
    indent = lead[: len(lead) - len(lead.lstrip(" -"))]
    new = draw(st.one_of(st.sampled_from(["titel", "Title", "options ", "for", "id"]), st.text()))
    return [*lines[:i], f"{indent}{new}:{rest}", *lines[i + 1 :]]


def replace_value(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = _keyed(draw, lines)
    if i is None:
        return lines
    key = lines[i].partition(":")[0]
    value = draw(VALUES)
    if draw(st.booleans()):
        value = json.dumps(value)  # quoted: valid YAML for any text
    return [*lines[:i], f"{key}: {value}", *lines[i + 1 :]]


def insert_text(draw: st.DrawFn, lines: list[str]) -> list[str]:
    i = _at(draw, lines)
    return [*lines[:i], draw(st.one_of(st.sampled_from(ODD), st.text(max_size=30))), *lines[i:]]


def nest_deeply(draw: st.DrawFn, lines: list[str]) -> list[str]:
    depth = draw(st.integers(15, 400))
    flow = "[" * depth + "x" + "]" * depth
    block = "\n".join("  " * k + "- " for k in range(depth)) + "x"
    return [*lines, f"keywords: {flow}" if draw(st.booleans()) else f"keywords:\n{block}"]


def truncate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    return lines[: _at(draw, lines)]


MUTATIONS = [
    remove_line,
    duplicate_line,
    rename_key,
    replace_value,
    replace_value,
    insert_text,
    nest_deeply,
    truncate,
]


@contextmanager
def content_root() -> Iterator[Path]:
    """A copy of the repository's content root without its aids."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("glossary", "factors", "images"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
        (root / "aids").mkdir()
        yield root


def write(root: Path, name: str, text: str) -> Path:
    for old in (root / "aids").iterdir():
        old.unlink()
    path = root / "aids" / name
    # A lone surrogate cannot be UTF-8: written as such bytes, the file is not UTF-8.
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


def assert_located(problems) -> None:
    """Every problem is `PATH:LINE: message` for a file, never an internal error."""
    for problem in problems:
        assert problem.line >= 1, str(problem)
        assert "internal error" not in problem.message and "Traceback" not in problem.message
        assert len(problem.message) < 1000, problem.message[:200]


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    with content_root() as folder:
        yield folder


# 400 loads take about 25 s (a load judges hopes, quizzes, certainty and the
# development record too); 2,500 took 194 s of the suite.
@settings(FUZZ, max_examples=scaled(400))
@given(case=mutated())
def test_loading_a_mutated_aid_gives_problems_never_an_exception(root, case):
    name, text = case
    loaded = ContentRoot.at(root).load(write(root, name, text))
    assert loaded.ok or loaded.problems
    assert_located(loaded.problems)


@settings(FUZZ, max_examples=scaled(250))
@given(case=mutated())
def test_checking_a_mutated_aid_never_fails_inside(root, case):
    name, text = case
    path = write(root, name, text)
    ctx = Context.open(root)
    result = make_aid(ctx.content.load(path), ctx, render=False)
    assert result.traceback is None, result.traceback
    assert_located(result.problems)


@settings(FUZZ, max_examples=scaled(100))
@given(case=mutated())
def test_building_a_mutated_aid_writes_nothing_for_an_aid_with_errors(root, case):
    name, text = case
    write(root, name, text)
    with tempfile.TemporaryDirectory() as out:
        report = build(root, BuildOptions(out=Path(out), formats=("html",)))
        assert report.tracebacks == [], report.tracebacks
        assert_located(report.problems)
        handouts = list(Path(out).glob("*/*.html"))
        if report.problems:
            assert handouts == []
        else:
            assert handouts and len(report.built) == 1


@settings(FUZZ, max_examples=2)
@given(case=mutated())
def test_the_real_cli_never_prints_a_traceback(root, case):
    name, text = case
    write(root, name, text)
    for command in (["check"], ["build", "--format", "html", "--out", str(root / "out")]):
        done = subprocess.run(
            [sys.executable, "-m", "decisionaid", *command, "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert "internal error" not in done.stdout + done.stderr


# Devices, pipes and dangling links, in every kind of file a build reads, on a first
# build and after a good one (then, the files of the last build are in OUT and the
# build only hashes the inputs: it used to read a pipe there and wait forever). Each
# build runs in its own process with a timeout and a memory limit, so a regression
# fails instead of hanging the suite or filling the machine's memory.

ODD_FILES = {  # kind → the file (relative to the root), and whether it is the aid's own
    "aid": ("aids/test-aid.yaml", True),
    "glossary": ("glossary/en.yaml", False),
    "factors": ("factors/en.yaml", False),
    "clinic": ("clinic.yaml", False),
    "template": ("templates/handout.html", False),
    "picture": ("images/cut.svg", True),
    "catalog": ("templates/locale/es/LC_MESSAGES/messages.po", False),
}
ODD_KINDS = {  # how a file is made odd → what the problem says
    "fifo": "not a regular file",
    "device": "outside the content root",  # a link to /dev/zero
    "dangling": "does not exist",  # a link to a file that is not there
}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content root using every kind of file (factors, a picture, a template override,
    a catalog of its own, a Spanish aid), and OUT from one good build of it."""
    from helpers import FIXTURES, aid_text
    from test_factors import FACTORS, with_groups
    from test_timeline import ANCHOR, PICTURE

    from decisionaid.settings import builtin_templates

    root = tmp_path_factory.mktemp("odd")
    for folder in ("aids", "glossary", "factors", "images", "templates"):
        (root / folder).mkdir()
    used = with_groups().replace(ANCHOR, ANCHOR + PICTURE, 1)
    (root / "aids" / "test-aid.yaml").write_text(used, encoding="utf-8")
    other = aid_text().replace("id: test-aid", "id: other-aid")
    (root / "aids" / "other-aid.yaml").write_text(other, encoding="utf-8")
    spanish = other.replace("title:", "language: es\ntitle:", 1)
    (root / "aids" / "other-aid.es.yaml").write_text(spanish, encoding="utf-8")
    shutil.copy(FIXTURES / "glossary-en.yaml", root / "glossary" / "en.yaml")
    (root / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    shutil.copy(REPO / "images" / "eyelid-cut.svg", root / "images" / "cut.svg")
    (root / "clinic.yaml").write_text("name: Riverside Clinic\n", encoding="utf-8")
    shutil.copy(builtin_templates() / "handout.html", root / "templates" / "handout.html")
    catalog = Path(ODD_FILES["catalog"][0])
    shutil.copytree(builtin_templates() / "locale", root / "templates" / "locale")
    assert (root / catalog).is_file()
    done = odd_build(root)
    assert done.returncode == 0, done.stderr
    return root


def odd_build(root: Path) -> subprocess.CompletedProcess[str]:
    import resource

    def limits() -> None:  # /dev/zero read to the end fills memory: stop at 4 GB
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "decisionaid", "build", "--root", str(root)]
        + ["--out", str(root / "out"), "--format", "html", "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=120,  # a pipe waited on is a failure, not a stuck suite
        preexec_fn=limits,
        cwd=root,
    )


def make_odd(path: Path, kind: str, root: Path) -> None:
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(root / "gone" / path.name)


@pytest.mark.parametrize("when", ["first-build", "after-a-build"])
@pytest.mark.parametrize("odd", ODD_KINDS)
@pytest.mark.parametrize("kind", ODD_FILES)
def test_a_device_pipe_or_dangling_link_in_any_file_is_a_problem(
    published, tmp_path, kind, odd, when
):
    root = tmp_path / "root"
    shutil.copytree(
        published, root, ignore=shutil.ignore_patterns(*(["out"] if when == "first-build" else []))
    )
    name, own = ODD_FILES[kind]
    before = (root / "out" / "en" / "test-aid.html").read_bytes() if when != "first-build" else None
    spanish = (root / "out" / "es" / "other-aid.html").read_bytes() if before else None
    make_odd(root / name, odd, root)
    done = odd_build(root)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output
    named = f"'{name}'" if kind == "picture" else f"{name}:1: "
    assert any(named in line and ODD_KINDS[odd] in line for line in output.splitlines()), output
    if before is None:
        return
    html = root / "out" / "en" / "test-aid.html"
    if own:  # the aid's own file: its handout is withdrawn, the others stay
        assert not html.exists()
        assert (root / "out" / "en" / "other-aid.html").is_file()
    else:  # a shared file: not the aid's fault, what was published stays as it was
        assert html.read_bytes() == before
        assert (root / "out" / "es" / "other-aid.html").read_bytes() == spanish
