"""Benchmark: how fast DecisionAid builds a catalog, against WeasyPrint's own floor.

A script, not a test (issue #13). It makes a synthetic catalog of N English aids from
the examples in aids/, then times, each in fresh processes, what a user waits for:

    .venv/bin/python scripts/benchmark.py            # N=16 and 4N=64, writes docs/performance.md
    .venv/bin/python scripts/benchmark.py --quick    # a small smoke run; docs untouched
    .venv/bin/python scripts/benchmark.py --json     # one JSON document on stdout
    .venv/bin/python scripts/benchmark.py --profile cold-jobs1   # needs pip install pyinstrument

Rows the current CLI cannot run (a flag it lacks) say "n/a (needs --jobs)"; the script
asks `decisionaid build --help` which flags exist. docs/performance.md explains each row.
Progress goes to stderr, the table (or JSON) to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parent.parent
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
CHROMIUM = Path("/usr/bin/chromium")
GNU_TIME = Path("/usr/bin/time")
# Made up; it travels only in POST bodies and CLI arguments, and every PDF it goes
# into is discarded unread (-o - to a pipe, a response body).
PATIENT = "Benchmark Example-Patient"
CONSULT_DATE = "2027-03-01"
SITES = ("", " at the North clinic", " (day surgery)", " at the Riverside clinic")
STEP_TIMEOUT = 1800  # seconds; a hung step must not hang the whole run
TARGETS = {  # key: (limit, words) — the targets on this 2-core machine
    "cold-jobs1": (1.15, "≤ 1.15 × floor"),
    "cold": (0.70, "≤ 0.70 × floor"),
    "noop": (0.03, "≤ 3% of cold"),
    "edit-aid": (2.0, "≤ 2 × that aid alone"),
    "web": (1.3, "≤ 1.3 × WeasyPrint"),
    "linear": (4.4, "≤ 4.4 × N"),
    "rss": (400.0, "≤ 400 MB"),
    "glossary": (1.5, "≤ 1.5 × with the examples' glossary"),
}
PROFILE_STEPS = (
    "floor",
    "cold-jobs1",
    "cold",
    "noop",
    "edit-aid",
    "edit-glossary",
    "alone",
    "cli-handout",
    "web-copy",
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Settings:
    """What one run does: sizes and repeats (smaller with --quick)."""

    n: int = 16
    web_posts: int = 20
    weasy_repeats: int = 10
    cli_repeats: int = 5
    repeats: int = 1  # cold builds and floor: the median of this many
    linearity: bool = True
    chromium: bool = True

    @classmethod
    def quick(cls, n: int | None) -> Settings:
        return cls(n=n or 4, web_posts=5, weasy_repeats=3, cli_repeats=2)


@dataclass(frozen=True)
class Features:
    """What the installed `decisionaid build` offers (from its --help)."""

    jobs: bool
    force: bool
    language: bool

    @classmethod
    def detect(cls) -> Features:
        help_text = _run_text([*cli(), "build", "--help"])
        return cls(
            jobs="--jobs" in help_text,
            force="--force" in help_text,
            language="--language" in help_text,
        )


@dataclass(frozen=True)
class Catalog:
    """A synthetic content root: N English copies of the examples."""

    root: Path
    ids: list[str]
    source_of: dict[str, str]  # copy id → example id

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Run:
    """One timed subprocess."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    rss_mb: float | None  # the largest process of its tree
    cpu: float  # user + system seconds of the whole tree (workers included)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def built(self) -> tuple[int | None, int | None]:
        """(built, unchanged) from the build's summary line, None where not said."""
        text = self.stdout + self.stderr
        built = re.search(r"Built (\d+)", text)
        unchanged = re.search(r"(\d+) unchanged", text)
        return (
            int(built.group(1)) if built else None,
            int(unchanged.group(1)) if unchanged else None,
        )

    def why(self) -> str:
        """The failure in one line (the tool's own message, never a traceback)."""
        lines = [line for line in (self.stderr or self.stdout).splitlines() if line.strip()]
        return f"exit {self.returncode}: {lines[-1][:160] if lines else 'no output'}"


@dataclass
class Row:
    """One line of the table."""

    key: str
    label: str
    seconds: float | None = None  # wall clock (MB for the memory row, hours for projections)
    cpu: float | None = None  # user + system seconds, all processes of the step
    ratio: float | None = None
    cpu_ratio: float | None = None  # the same ratio in cpu seconds (steadier under load)
    against: str = ""  # what the ratio divides by
    target: str = ""
    status: str = "info"  # met | missed | info | n/a (...)
    note: str = ""
    unit: str = "s"

    def judge(self, limit: float | None) -> Row:
        """Mark met / missed from the ratio (or the value for a plain limit)."""
        value = self.ratio if self.unit == "s" else self.seconds
        if limit is not None and value is not None:
            self.status = "met" if value <= limit else "missed"
        return self


@dataclass
class Results:
    """Everything measured, for the table, the docs and --json."""

    settings: Settings
    features: Features
    machine: dict[str, str]
    rows: list[Row] = field(default_factory=list)
    projection: list[Row] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)  # step → MB
    seconds: float = 0.0
    load_end: str = ""

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def value(self, key: str) -> float | None:
        row = self.row(key)
        return row.seconds if row else None


# ----------------------------------------------------------------- subprocesses


def cli() -> list[str]:
    """The command line as a user runs it (this interpreter's installed package)."""
    return [sys.executable, "-m", "decisionaid"]


def _run_text(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout + done.stderr


def timed(command: Sequence[str], *, stdout_bytes: bool = False) -> Run:
    """Run `command` to completion in a fresh process; wall time and peak RSS.

    GNU time reports the largest process of the tree it waited for (workers included);
    without it, /proc is polled instead.
    """
    command = list(command)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        wrapped = (
            [str(GNU_TIME), "-f", "%M", "-o", rss_file.name, *command]
            if GNU_TIME.exists()
            else command
        )
        cpu_before = _children_cpu()
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        poller = None if GNU_TIME.exists() else TreePeak(process.pid).start()
        out, err = process.communicate(timeout=STEP_TIMEOUT)
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        rss = _gnu_time_mb(Path(rss_file.name)) if poller is None else poller.stop()
    stdout = "" if stdout_bytes else out.decode("utf-8", "replace")
    return Run(seconds, process.returncode, stdout, err.decode("utf-8", "replace"), rss, cpu)


def _children_cpu() -> float:
    """CPU seconds of every finished child process so far, and their own children.
    Under load, CPU time moves much less than wall time: the table shows both."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gnu_time_mb(path: Path) -> float | None:
    numbers = re.findall(r"^(\d+)$", path.read_text(), re.MULTILINE)
    return int(numbers[-1]) / 1024 if numbers else None


class TreePeak:
    """Polls VmHWM of a process and its descendants (when GNU time is missing, and for
    the web server, whose pid we need)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def start(self) -> TreePeak:
        self._thread.start()
        return self

    def stop(self) -> float | None:
        self.sample()
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024 if self.peak_kb else None

    def sample(self) -> None:
        for pid in _tree(self.pid):
            self.peak_kb = max(self.peak_kb, _status_kb(pid, "VmHWM"))

    def _poll(self) -> None:
        while not self._done.wait(0.05):
            self.sample()


def _tree(pid: int) -> list[int]:
    """The process and its descendants now (any of them may exit while we look)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for thread in threads:
            todo += [int(p) for p in _read(f"/proc/{current}/task/{thread}/children").split()]
    return pids


def _status_kb(pid: int, field_name: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the catalog


def make_catalog(root: Path, n: int) -> Catalog:
    """N English aids: copies of the examples in turn, each with a new id and a slightly
    different title, plus the examples' glossaries, factors, images and clinic.yaml."""
    root.mkdir(parents=True)
    for folder in ("glossary", "factors", "images"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
    (root / "aids").mkdir()
    examples = sorted(p for p in (REPO / "aids").glob("*.yaml") if "." not in p.stem)
    ids, source_of = [], {}
    for number in range(n):
        example = examples[number % len(examples)]
        copy = number // len(examples)
        new_id = f"{example.stem}-{copy:03d}"
        text = example.read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.MULTILINE)
        site = SITES[copy % len(SITES)]
        text = re.sub(r"^(title: .*)$", rf"\g<1>{site}", text, count=1, flags=re.MULTILINE)
        (root / "aids" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(new_id)
        source_of[new_id] = example.stem
    return Catalog(root, ids, source_of)


def largest_aid(catalog: Catalog) -> str:
    """The copy of the longest example: the single-aid steps use the worst case."""
    return max(catalog.ids, key=lambda i: (catalog.root / "aids" / f"{i}.yaml").stat().st_size)


def edit_aid(catalog: Catalog, aid_id: str) -> None:
    """Touch one sentence (the audience line) of one aid."""
    path = catalog.root / "aids" / f"{aid_id}.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(
        r"^(audience: [^>|\n].*?)\s*$",
        r"\g<1> They want to know their choices.",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    if edited == text:
        raise SystemExit(f"cannot find a one-line audience: in {path}")
    path.write_text(edited, encoding="utf-8")


def terms_in_use(out: Path) -> dict[str, int]:
    """Glossary term → how many built handouts list it (read from their HTML)."""
    counts: dict[str, int] = {}
    for page in out.glob("en/*.html"):
        if page.name.count(".") > 1:  # .summary.html, .check.html
            continue
        text = page.read_text(encoding="utf-8")
        for term in dict.fromkeys(re.findall(r'<dt id="term-[^"]*">([^<]+)</dt>', text)):
            counts[html.unescape(term)] = counts.get(html.unescape(term), 0) + 1
    return counts


def edit_glossary_term(catalog: Catalog, used: dict[str, int]) -> tuple[str, int] | None:
    """Change the definition of the term fewest aids use (at least one): returns the
    term and how many aids use it, or None if no one-line definition could be edited."""
    path = catalog.root / "glossary" / "en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for term, count in sorted(used.items(), key=lambda item: (item[1], item[0])):
        at = _definition_line(lines, term)
        if at is not None:
            lines[at] = lines[at].rstrip("\n") + " It is also called by other names.\n"
            path.write_text("".join(lines), encoding="utf-8")
            return term, count
    return None


def _definition_line(lines: list[str], term: str) -> int | None:
    """The line of `term`'s definition, if it is a plain one-line value."""
    starts = [
        i for i, line in enumerate(lines) if re.match(rf"\s*- term: {re.escape(term)}\s*$", line)
    ]
    if not starts:
        return None
    for i in range(starts[0] + 1, len(lines)):
        if re.match(r"\s*- term:", lines[i]):
            return None
        found = re.match(r"\s*definition: (.*)$", lines[i])
        if found:
            value = found.group(1).strip()
            plain = value and value[0] not in ">|\"'" and "#" not in value
            return i if plain else None
    return None


def option_ids(catalog: Catalog, aid_id: str) -> list[str]:
    from ruamel.yaml import YAML  # a dependency of the package

    data = YAML(typ="safe").load((catalog.root / "aids" / f"{aid_id}.yaml").read_text("utf-8"))
    return [str(option["id"]) for option in data["options"]]


# --------------------------------------------------------------------- steps


class Bench:
    """Runs the steps of one benchmark and collects their rows."""

    def __init__(self, work: Path, settings: Settings, features: Features) -> None:
        self.work = work
        self.settings = settings
        self.features = features
        self.results = Results(settings, features, machine())
        self.floor_per_document: dict[str, float] = {}  # file name → seconds

    # -- helpers

    def build(self, catalog: Catalog, out: str, *args: str, step: str) -> Run:
        target = self.work / out
        command = [*cli(), "build", *args, "--root", str(catalog.root), "--out", str(target)]
        say(f"  {step}: decisionaid {' '.join(command[3:])}")
        run = timed(command)
        self.note_rss(step, run.rss_mb)
        if run.ok:
            say(f"    {run.seconds:.1f} s (cpu {run.cpu:.1f} s), built/unchanged {run.built()}")
        else:
            say(f"    failed: {run.why()}")
        return run

    def cold(self, catalog: Catalog, out: str, *args: str, step: str) -> Run:
        """The median of `repeats` builds, each into a fresh OUT."""
        runs = []
        for number in range(self.settings.repeats):
            target = self.work / out
            if number:
                shutil.rmtree(target, ignore_errors=True)
            runs.append(self.build(catalog, out, *args, step=step))
            if not runs[-1].ok:
                return runs[-1]
        return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]

    def note_rss(self, step: str, mb: float | None) -> None:
        if mb is not None:
            self.results.rss[step] = max(mb, self.results.rss.get(step, 0.0))

    def add(self, row: Row) -> Row:
        self.results.rows.append(row)
        return row

    def add_run(self, key: str, label: str, run: Run, note: str) -> None:
        if run.ok:
            self.add(Row(key, label, run.seconds, cpu=run.cpu, note=note))
        else:
            self.add(Row(key, label, status="n/a (failed)", note=run.why()))

    # -- the cold builds and the floor

    def cold_builds(self, catalog: Catalog) -> None:
        label = "cold build --jobs 1"
        if self.features.jobs:
            run = self.cold(catalog, "out-jobs1", "--jobs", "1", step="cold-jobs1")
            self.add_run("cold-jobs1", label, run, _counts(run))
        else:
            self.add(Row("cold-jobs1", label, status="n/a (needs --jobs)"))
        jobs = f"default jobs, {os.cpu_count()} cores" if self.features.jobs else "no --jobs yet"
        run = self.cold(catalog, "out", step="cold")
        self.add_run("cold", f"cold build ({jobs})", run, _counts(run))

    def floor(self, catalog: Catalog) -> None:
        """WeasyPrint alone, warm, on the final HTML the cold build turned into PDF."""
        out = self.work / "out"
        say("  floor: one warm WeasyPrint process, the same final HTML")
        command = [sys.executable, str(SCRIPT), "_floor", str(catalog.root), str(out)]
        runs = [timed(command) for _ in range(self.settings.repeats)]
        for run in runs:
            self.note_rss("floor", run.rss_mb)
        failed = next((r for r in runs if not r.ok), None)
        if failed is not None:
            self.add(Row("floor", "floor", status="n/a (failed)", note=failed.why()))
            return
        found = sorted((json.loads(r.stdout) for r in runs), key=lambda d: d["seconds"])
        data = found[len(found) // 2]
        self.floor_per_document = data["per_document"]
        say(f"    {data['seconds']:.1f} s (cpu {data['cpu']:.1f} s), {data['documents']} documents")
        note = (
            f"{data['documents']} documents ({data['pages']} pages): each handout and "
            f"summary .html; import {data['import']:.1f} s and warm-up not counted"
        )
        row = Row("floor", "floor: WeasyPrint alone, warm", data["seconds"], cpu=data["cpu"])
        row.note = note
        self.results.rows.insert(0, row)

    # -- incremental rebuilds

    def noop(self, catalog: Catalog) -> None:
        run = self.build(catalog, "out", step="noop")
        self.add_run("noop", "no-op rebuild", run, _rebuilt(run, catalog.n, 0))

    def edit_one_aid(self, catalog: Catalog, aid_id: str) -> None:
        edit_aid(catalog, aid_id)
        run = self.build(catalog, "out", step="edit-aid")
        self.add_run("edit-aid", "one aid edited", run, _rebuilt(run, catalog.n, 1))
        alone = self.build(catalog, "out-alone", aid_id, step="alone")
        self.add_run("alone", f"that aid alone ({aid_id}, fresh OUT)", alone, _counts(alone))

    def edit_glossary(self, catalog: Catalog) -> None:
        edited = edit_glossary_term(catalog, terms_in_use(self.work / "out"))
        if edited is None:
            self.add(Row("edit-glossary", "one glossary term edited", status="n/a (no term)"))
            return
        term, users = edited
        run = self.build(catalog, "out", step="edit-glossary")
        self.add_run(
            "edit-glossary", f"glossary term '{term}' edited", run, _rebuilt(run, catalog.n, users)
        )
        row = self.results.row("edit-glossary")
        if row is not None and run.ok:
            row.target = f"rebuilds only its {users} aids"
            row.status = "met" if run.built()[0] == users else "missed"

    # -- one patient's copy

    def weasy_copy(self, catalog: Catalog, aid_id: str) -> None:
        """WeasyPrint's own time for the personalised HTML the app renders (median)."""
        repeats = str(self.settings.weasy_repeats)
        say("  weasy-copy: WeasyPrint alone on the personalised HTML")
        command = [sys.executable, str(SCRIPT), "_weasy_copy", str(catalog.root), aid_id, repeats]
        run = timed(command)
        self.note_rss("weasy-copy", run.rss_mb)
        label = "WeasyPrint alone, that HTML (warm)"
        if not run.ok:
            self.add(Row("weasy-copy", label, status="n/a (failed)", note=run.why()))
            return
        data = json.loads(run.stdout)
        note = f"median of {data['repeats']}; {data['pages']} pages"
        self.add(Row("weasy-copy", label, data["median"], cpu=data["cpu"], note=note))

    def glossary(self, catalog: Catalog, aid_id: str) -> None:
        """One handout's HTML with the examples' glossary, then with 1,000 entries of 20
        aliases each: linking must not grow with the glossary (issue 19: 16 s, not 1 s)."""
        say("  glossary: one handout's HTML, the examples' glossary and 1,000 × 20 aliases")
        run = timed([sys.executable, str(SCRIPT), "_glossary", str(catalog.root), aid_id])
        if not run.ok:
            self.add(Row("glossary", "1,000-entry glossary", status="n/a (failed)", note=run.why()))
            return
        data = json.loads(run.stdout)
        small, large = data["examples"], data["large"]
        note = f"best of {data['repeats']}, {aid_id}; HTML only, glossary parsed beforehand"
        self.add(
            Row(
                "glossary-examples",
                "one handout's HTML, examples' glossary",
                small["render"],
                cpu=small["cpu"],
                note=note,
            )
        )
        parse = f"parsing that glossary ({large['bytes'] // 1024} kB): {large['parse']:.1f} s"
        self.add(
            Row(
                "glossary",
                "… with 1,000 glossary entries × 20 aliases",
                large["render"],
                cpu=large["cpu"],
                note=f"{note}; {parse}, once per build or change",
            )
        )

    def web(self, catalog: Catalog, aid_id: str) -> None:
        label = f"web app personalised PDF ({aid_id})"
        try:
            times, cpu, rss = serve_and_post(catalog, aid_id, self.settings.web_posts)
        except (OSError, RuntimeError, urllib.error.URLError) as exc:
            self.add(Row("web", label, status="n/a (failed)", note=str(exc)[:200]))
            return
        self.note_rss("web", rss)
        median = statistics.median(times)
        say(f"    median {median:.2f} s of {len(times)}")
        spread = f"min {min(times):.2f}, max {max(times):.2f}"
        note = f"median of {len(times)} POSTs; {spread}; cpu is the server's mean"
        self.add(Row("web", label, median, cpu=cpu, note=note))

    def cli_handout(self, catalog: Catalog, aid_id: str) -> None:
        command = [*cli(), "handout", aid_id, "--root", str(catalog.root)]
        # -o -: the PDF goes to a pipe that is thrown away, so no file holds the name.
        command += ["--patient", PATIENT, "--date", CONSULT_DATE, "-o", "-"]
        repeats = self.settings.cli_repeats
        say(f"  cli-handout: decisionaid handout {aid_id} --patient ... -o - (x{repeats})")
        runs = [timed(command, stdout_bytes=True) for _ in range(repeats)]
        for run in runs:
            self.note_rss("cli-handout", run.rss_mb)
        label = "CLI personalised PDF (decisionaid handout)"
        failed = next((r for r in runs if not r.ok), None)
        if failed is not None:
            self.add(Row("cli-handout", label, status="n/a (failed)", note=failed.why()))
            return
        median = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
        self.add_run("cli-handout", label, median, f"median of {len(runs)}, a fresh process each")

    # -- reference and scale

    def chromium(self, catalog: Catalog) -> None:
        """Debian's Chromium printing the distinct documents (one copy of each example);
        compared with the floor's time for those same documents."""
        label = "reference: headless Chromium"
        if not self.settings.chromium or not CHROMIUM.exists():
            self.add(Row("chromium", label, status="n/a (skipped or no /usr/bin/chromium)"))
            return
        firsts = {i for i in catalog.ids if i.endswith("-000")}
        pages = [p for p in final_html(self.work / "out") if p.name.split(".")[0] in firsts]
        if not pages:
            self.add(Row("chromium", label, status="n/a (no HTML built)"))
            return
        say(f"  chromium: --print-to-pdf of {len(pages)} documents, a process each")
        pdf_dir = self.work / "chromium"
        pdf_dir.mkdir(exist_ok=True)
        blank, _ = print_with_chromium("about:blank", pdf_dir / "blank.pdf", self.work)
        runs = [print_with_chromium(p.as_uri(), pdf_dir / p.name, self.work) for p in pages]
        total, cpu = sum(r[0] for r in runs), sum(r[1] for r in runs)
        weasy = sum(self.floor_per_document.get(p.name, 0.0) for p in pages)
        net = max(total - blank * len(pages), 0.0)
        row = Row("chromium", f"{label}, {len(pages)} distinct documents", total, cpu=cpu)
        row.note = (
            f"{blank:.1f} s of each is starting Chromium ({net:.1f} s without; cpu may miss "
            "its helper processes); "
            f"WeasyPrint (floor) took {weasy:.1f} s for these"
        )
        if weasy:
            row.ratio, row.against = total / weasy, "WeasyPrint"
        self.add(row)

    def linearity(self, n: int) -> None:
        label = f"cold build of 4N = {4 * n} aids"
        if not self.settings.linearity:
            self.add(Row("linear", label, status="n/a (skipped)"))
            return
        big = make_catalog(self.work / "root-4n", 4 * n)
        run = self.build(big, "out-4n", step="linear")
        self.add_run("linear", label, run, _counts(run))


def _counts(run: Run) -> str:
    built, unchanged = run.built()
    return f"built {built}" + (f", {unchanged} unchanged" if unchanged is not None else "")


def _rebuilt(run: Run, n: int, expected: int) -> str:
    built, _ = run.built()
    return f"rebuilt {built if built is not None else '?'} of {n} (expected {expected})"


def final_html(out: Path) -> list[Path]:
    """The HTML documents a build turned into PDF: each handout and each summary."""
    pages = [
        p
        for p in sorted(out.glob("*/*.html"))
        if p.name.endswith(".summary.html") or p.name.count(".") == 1
    ]
    return [p for p in pages if p.with_suffix(".pdf").exists() or p.name.endswith("summary.html")]


def print_with_chromium(url: str, target: Path, work: Path) -> tuple[float, float]:
    profile = work / "chromium-profile"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={target}",
        url,
    ]
    run = timed(command)
    return run.seconds, run.cpu


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_post(
    catalog: Catalog, aid_id: str, posts: int
) -> tuple[list[float], float, float | None]:
    """Start `decisionaid serve`, POST one warm-up and `posts` timed patient's copies;
    returns the seconds of each, the server's mean cpu seconds per POST and its peak
    RSS (MB)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*cli(), "serve", "--root", str(catalog.root), "--port", str(port)]
    say(f"  web: decisionaid serve on {base}, 1 + {posts} POSTs")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = TreePeak(server.pid).start()
    try:
        _wait_for(base + "/healthz", server)
        body = urllib.parse.urlencode(
            [
                ("patient", PATIENT),
                ("clinician", "Dr. Benchmark"),
                ("date", CONSULT_DATE),
                ("kind", "handout"),
                *(("options", o) for o in option_ids(catalog, aid_id)),
            ]
        ).encode()
        url = f"{base}/en/{aid_id}/handout?print=1"
        post_pdf(url, body, base)  # warm-up: the first render loads fonts
        cpu = _process_cpu(server.pid)
        times = [post_pdf(url, body, base) for _ in range(posts)]
        return times, (_process_cpu(server.pid) - cpu) / posts, peak.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _process_cpu(pid: int) -> float:
    """User + system seconds of a running process, all its threads (from /proc)."""
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks if len(fields) > 12 else 0.0


def _wait_for(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"decisionaid serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("decisionaid serve did not answer /healthz within 60 s")


def post_pdf(url: str, body: bytes, origin: str) -> float:
    """One POST as the browser sends it (Host and Origin of the bound address)."""
    host = urllib.parse.urlsplit(origin).netloc
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Host": host,
            "Origin": origin,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        data = response.read()
    seconds = time.perf_counter() - started
    if not data.startswith(b"%PDF"):
        raise RuntimeError(f"POST {urllib.parse.urlsplit(url).path} did not return a PDF")
    return seconds


# ------------------------------------------------------------- judging the rows


def judge(results: Results) -> None:
    """Ratios against their targets, met or missed."""
    row = results.row
    _ratio(row("cold-jobs1"), row("floor"), "floor")
    _ratio(row("cold"), row("floor"), "floor")
    _ratio(row("noop"), row("cold"), "cold")
    _ratio(row("edit-aid"), row("alone"), "alone")
    _ratio(row("web"), row("weasy-copy"), "WeasyPrint")
    _ratio(row("linear"), row("cold"), "N")
    _ratio(row("glossary"), row("glossary-examples"), "the examples' glossary")
    for key, (limit, words) in TARGETS.items():
        row = results.row(key)
        if row is not None and not row.status.startswith("n/a"):
            row.target = words
            row.judge(limit)
    if "noop" in TARGETS and not results.features.force:
        row = results.row("noop")
        if row is not None:
            row.note += "; no --force flag yet: builds are not incremental"


def _ratio(row: Row | None, base: Row | None, against: str) -> None:
    if row is None or base is None or row.seconds is None or not base.seconds:
        return
    row.ratio = row.seconds / base.seconds
    row.against = against
    if row.cpu is not None and base.cpu:
        row.cpu_ratio = row.cpu / base.cpu


def rss_row(results: Results) -> Row:
    if not results.rss:
        return Row("rss", "peak RSS, largest process", status="n/a (not measured)", unit="MB")
    step, mb = max(results.rss.items(), key=lambda item: item[1])
    others = ", ".join(f"{k} {v:.0f}" for k, v in sorted(results.rss.items()))
    limit, words = TARGETS["rss"]
    note = f"in {step}; all: {others}"
    return Row("rss", "peak RSS, largest process", mb, target=words, note=note, unit="MB").judge(
        limit
    )


def project(results: Results, n: int, runners: Sequence[int]) -> list[Row]:
    """50,000 aid builds (5,000 aids × 10 languages) from the measured cost per aid:
    wall hours, and cpu hours (what CI bills; steadier when the machine was busy)."""
    cold, big, noop = results.row("cold"), results.row("linear"), results.row("noop")
    if cold is None or cold.seconds is None:
        return [Row("projection", "projection", status="n/a (no cold build)")]
    wall, basis = _per_aid(cold.seconds, big.seconds if big else None, n)
    cpu, _ = _per_aid(cold.cpu or 0.0, big.cpu if big else None, n)
    fixed = max(cold.seconds - wall * n, 0.0)
    total = 5000 * 10
    rows = [
        Row(
            "projection-1",
            "5,000 aids × 10 languages, this machine",
            fixed + wall * total,
            cpu=cpu * total,
            note=f"{basis}; fixed {fixed:.1f} s" if fixed else basis,
            unit="h",
        )
    ]
    merge = _merge_note(noop, n, total, results.features)
    for k in runners:
        label = f"… on {k} CI runners like this one"
        note = f"{total // k:,} aids each, then the merge: {merge}"
        rows.append(
            Row(f"projection-{k}", label, fixed + wall * total / k, cpu * total / k, note=note)
        )
        rows[-1].unit = "h"
    return rows


def _per_aid(n_seconds: float, big_seconds: float | None, n: int) -> tuple[float, str]:
    """The marginal cost of one aid: start-up and the index cancel out between N and 4N."""
    if big_seconds is not None and big_seconds > n_seconds:
        per_aid = (big_seconds - n_seconds) / (3 * n)
        return per_aid, f"marginal {per_aid:.2f} s/aid from N={n} and 4N={4 * n}"
    per_aid = n_seconds / n
    return per_aid, f"{per_aid:.2f} s/aid from N={n} (no 4N build)"


def _merge_note(noop: Row | None, n: int, total: int, features: Features) -> str:
    if noop is None or noop.seconds is None:
        return "not measured"
    hours = noop.seconds / n * total / 3600
    if not features.force:  # no incremental builds yet: the "no-op" rendered everything
        return f"today a full build on one machine ({hours:.1f} h); see the TODO below"
    return f"≈ {hours:.1f} h (the no-op rate over all {total:,} aids) plus copying the files"


# ------------------------------------------------------------------ the report


def machine() -> dict[str, str]:
    cpu = re.search(r"^model name\s*:\s*(.*)$", _read("/proc/cpuinfo"), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "cpu": cpu.group(1).strip() if cpu else platform.processor() or "unknown",
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "python": platform.python_version(),
        "weasyprint": _version("weasyprint"),
        "decisionaid": _version("decisionaid"),
        "commit": _run_text(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]).strip(),
        "chromium": _chromium_version(),
        "load": _load(),  # at the start
    }


def _chromium_version() -> str:
    if not CHROMIUM.exists():
        return "no Chromium"
    found = re.search(r"Chromium [\d.]+", _run_text([str(CHROMIUM), "--version"]))
    return found.group(0) if found else "Chromium (version unknown)"


def _load() -> str:
    """The 1-minute load average: on a shared machine other work skews wall times."""
    return _read("/proc/loadavg").split(" ")[0] or "unknown"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _cell_value(row: Row) -> str:
    if row.seconds is None:
        return "—"
    if row.unit == "MB":
        return f"{row.seconds:.0f} MB"
    if row.unit == "h":
        return f"{row.seconds / 3600:.1f} h"
    return f"{row.seconds:.2f} s"


def _cell_cpu(row: Row) -> str:
    if row.cpu is None:
        return ""
    return f"{row.cpu / 3600:.1f} h" if row.unit == "h" else f"{row.cpu:.1f} s"


def _cell_ratio(row: Row) -> str:
    if row.ratio is None:
        return ""
    cpu = f" (cpu {row.cpu_ratio:.2f})" if row.cpu_ratio is not None else ""
    if row.key == "noop":
        return f"{row.ratio:.1%} of {row.against}{cpu}"
    return f"{row.ratio:.2f} × {row.against}{cpu}"


def table_lines(rows: list[Row], markdown: bool) -> list[str]:
    header = ["measure", "wall", "cpu", "ratio", "target", "result", "note"]
    cells = [
        [r.label, _cell_value(r), _cell_cpu(r), _cell_ratio(r), r.target, r.status, r.note]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + [
            "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells
        ]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(6)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row[:6], widths, strict=True)) + "  " + row[6]
        for row in [header, *cells]
    ]


def describe(results: Results) -> list[str]:
    m, s = results.machine, results.settings
    return [
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), {m['memory']} memory; "
        f"Python {m['python']}, WeasyPrint {m['weasyprint']}, decisionaid {m['decisionaid']} "
        f"(commit {m['commit']}), {m['chromium']}.",
        f"Synthetic catalog: N = {s.n} English aids copied from the examples "
        f"(4N = {4 * s.n} for the linearity row); cold builds and floor the median of "
        f"{s.repeats}; {results.seconds / 60:.1f} min in all. Flags found: --jobs "
        f"{_yes(results.features.jobs)}, --force {_yes(results.features.force)}, --language "
        f"{_yes(results.features.language)}.",
        f"Load average (1 min) {m['load']} at the start, {results.load_end} at the end"
        + (
            ": other work shared the cores, so wall times (and the ratios) are less sure "
            "than the cpu column."
            if _busy(m["load"], results.load_end)
            else "."
        ),
    ]


def _busy(*loads: str) -> bool:
    """Busy: more than half a core's worth of load from others (we use one or all)."""
    try:
        return max(float(load) for load in loads) > 1.5
    except ValueError:
        return False


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def markdown_block(results: Results) -> str:
    lines = [START, "", *describe(results), ""]
    lines += table_lines(results.rows, markdown=True)
    lines += ["", "Projection (from the rows above):", ""]
    lines += table_lines(results.projection, markdown=True)
    return "\n".join([*lines, "", END])


def write_doc(results: Results) -> bool:
    """Replace the block between the markers in docs/performance.md."""
    if not DOC.is_file():
        say(f"{DOC}: missing; not written")
        return False
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        say(f"{DOC}: no {START} … {END} markers; not written")
        return False
    DOC.write_text(pattern.sub(lambda _: markdown_block(results), text, count=1), "utf-8")
    return True


def as_json(results: Results) -> str:
    data = {
        "machine": results.machine,
        "settings": asdict(results.settings),
        "features": asdict(results.features),
        "rows": [asdict(r) for r in results.rows],
        "projection": [asdict(r) for r in results.projection],
        "rss_mb": results.rss,
        "seconds": results.seconds,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ the workers
# Run as `python benchmark.py _NAME ...` in a fresh process; each prints one JSON line.


def worker_floor(root: str, out: str) -> dict:
    started = time.perf_counter()
    import weasyprint  # noqa: F401 - its import is what we keep out of the floor

    from decisionaid.publish.pdf import render_pdf
    from decisionaid.settings import ContentLayout

    imported = time.perf_counter() - started
    layout = ContentLayout(Path(root))
    files = final_html(Path(out))
    documents = {p.name: p.read_text(encoding="utf-8") for p in files}
    render_pdf(next(iter(documents.values())), layout)  # warm-up: fonts, caches
    per_document, pages = {}, 0
    started, cpu = time.perf_counter(), time.process_time()
    for name, document in documents.items():
        began = time.perf_counter()
        pages += render_pdf(document, layout).pages
        per_document[name] = time.perf_counter() - began
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "documents": len(documents),
        "pages": pages,
        "import": imported,
        "per_document": per_document,
    }


def personalised_html(root: str, aid_id: str) -> tuple[str, object]:
    """The HTML the web app renders for the benchmark's POST: the same form reading,
    the same Consult, the same make_copy, asked for HTML instead of PDF."""
    from starlette.datastructures import FormData

    from decisionaid.pipeline import Context, make_copy
    from decisionaid.settings import BuildOptions, ContentLayout
    from decisionaid.web.forms import ConsultForm

    ctx = Context.open(Path(root), BuildOptions(formats=("html",)))
    loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
    aid = loaded.aid
    fields = [("patient", PATIENT), ("clinician", "Dr. Benchmark"), ("date", CONSULT_DATE)]
    fields += [("kind", "handout"), *(("options", o.id) for o in aid.options)]
    consult = ConsultForm.read(FormData(fields), aid).consult(aid)
    result = make_copy(loaded, ctx, consult)
    if not result.ok:
        raise SystemExit(f"{aid_id}: cannot be made: {result.problems[0].message}")
    return result.files["copy"].decode("utf-8"), ContentLayout(Path(root))


def worker_weasy_copy(root: str, aid_id: str, repeats: str) -> dict:
    from decisionaid.publish.pdf import render_pdf

    document, layout = personalised_html(root, aid_id)
    render_pdf(document, layout)  # warm-up
    times, cpus, pages = [], [], 0
    for _ in range(int(repeats)):
        started, cpu = time.perf_counter(), time.process_time()
        pages = render_pdf(document, layout).pages
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return {
        "median": statistics.median(times),
        "cpu": statistics.median(cpus),
        "repeats": len(times),
        "pages": pages,
    }


def worker_copy(root: str, aid_id: str, repeats: str) -> dict:
    """What the app's render thread does for one POST, `repeats` times (for --profile)."""
    from starlette.datastructures import FormData

    from decisionaid.pipeline import Context, make_copy
    from decisionaid.settings import BuildOptions
    from decisionaid.web.forms import ConsultForm

    ctx = Context.open(Path(root), BuildOptions(formats=("pdf",)))
    loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
    aid = loaded.aid
    fields = [
        ("patient", PATIENT),
        ("date", CONSULT_DATE),
        *(("options", o.id) for o in aid.options),
    ]
    consult = ConsultForm.read(FormData(fields), aid).consult(aid)
    started = time.perf_counter()
    for _ in range(int(repeats)):
        make_copy(loaded, ctx, consult)
    return {"seconds": time.perf_counter() - started}


def big_glossary(examples: str, entries: int = 1_000, aliases: int = 20) -> str:
    """The examples' glossary grown to `entries` entries of `aliases` aliases each, made
    up and starting like common words, which is what made one regular expression slow."""
    common = ["the", "you", "surgery", "your", "nose", "people", "about", "and", "of", "to"]
    have = examples.count("- term:")
    made = []
    for i in range(max(0, entries - have)):
        names = ", ".join(f"{common[(i + j) % len(common)]} {i}x{j}" for j in range(aliases))
        made.append(f"- term: made-up term {i}\n  aliases: [{names}]\n  definition: Made up.\n")
    return examples.rstrip("\n") + "\n" + "".join(made)


def worker_glossary(root: str, aid_id: str, repeats: str = "3") -> dict:
    from decisionaid.pipeline import Context, make_aid
    from decisionaid.settings import BuildOptions

    examples = (Path(root) / "glossary" / "en.yaml").read_text(encoding="utf-8")
    out: dict = {"repeats": int(repeats)}
    for name, text in (("examples", examples), ("large", big_glossary(examples))):
        work = Path(tempfile.mkdtemp(prefix="decisionaid-glossary-"))
        try:
            shutil.copytree(root, work / "root")
            (work / "root" / "glossary" / "en.yaml").write_text(text, encoding="utf-8")
            ctx = Context.open(work / "root", BuildOptions(formats=("html",)))
            started = time.perf_counter()
            glossary, problems = ctx.content.glossary("en")
            parse = time.perf_counter() - started
            if problems:
                raise SystemExit(f"the {name} glossary: {problems[0]}")
            loaded = ctx.content.load(ctx.content.aid_paths((aid_id,))[0])
            make_aid(loaded, ctx)  # warm: templates compiled
            times, cpus = [], []
            for _ in range(int(repeats)):
                began, cpu = time.perf_counter(), time.process_time()
                result = make_aid(loaded, ctx)
                times.append(time.perf_counter() - began)
                cpus.append(time.process_time() - cpu)
            if not result.ok:
                raise SystemExit(f"{aid_id}: {result.problems[0]}")
            size = len(text.encode("utf-8"))
            out[name] = {"render": min(times), "cpu": min(cpus), "parse": parse, "bytes": size}
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


WORKERS: dict[str, Callable[..., dict]] = {
    "_floor": worker_floor,
    "_weasy_copy": worker_weasy_copy,
    "_copy": worker_copy,
    "_glossary": worker_glossary,
}


# ------------------------------------------------------------------- profiling


def profile(step: str, work: Path, settings: Settings, features: Features) -> int:
    """Run `step` once under pyinstrument (after the steps it needs, unprofiled);
    writes /tmp/decisionaid-profile-STEP.html and .txt."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        say("--profile needs pyinstrument: .venv/bin/pip install pyinstrument")
        return 2
    bench = Bench(work, settings, features)
    catalog = make_catalog(work / "root", settings.n)
    aid_id = largest_aid(catalog)
    command = _profiled_command(step, bench, catalog, aid_id)
    session = Path(tempfile.gettempdir()) / f"decisionaid-profile-{step}.pyisession"
    say(f"  profiling {step}: {' '.join(command[2:])}")
    pyinstrument = [sys.executable, "-m", "pyinstrument"]
    run = timed([*pyinstrument, "-r", "pyisession", "-o", str(session), *command])
    if not run.ok:
        say(f"    failed: {run.why()}")
        return 1
    show = ["--show", "*weasyprint*"]  # our own frames show anyway; WeasyPrint's would hide
    for renderer, suffix in (("html", ".html"), ("text", ".txt")):
        target = session.with_suffix(suffix)
        subprocess.run(
            [*pyinstrument, "--load", str(session), *show, "-r", renderer, "-o", str(target)],
            check=True,
        )
        say(f"  wrote {target}")
    session.unlink()  # tens of MB; the two reports hold what it showed
    say(f"  {step}: {run.seconds:.1f} s under the profiler (main process only; use --jobs 1)")
    return 0


def _profiled_command(step: str, bench: Bench, catalog: Catalog, aid_id: str) -> list[str]:
    """The command for `step`, after running what it depends on."""
    root = ["--root", str(catalog.root)]
    build = ["-m", "decisionaid", "build", *root]
    out = ["--out", str(bench.work / "out")]
    if step in ("floor", "noop", "edit-aid", "edit-glossary"):
        bench.build(catalog, "out", step="cold")
    if step == "edit-aid":
        edit_aid(catalog, aid_id)
    if step == "edit-glossary":
        edit_glossary_term(catalog, terms_in_use(bench.work / "out"))
    script = [str(SCRIPT)]
    commands = {
        "floor": [*script, "_floor", str(catalog.root), str(bench.work / "out")],
        "cold-jobs1": [*build, *out, *(["--jobs", "1"] if bench.features.jobs else [])],
        "cold": [*build, *out],
        "noop": [*build, *out],
        "edit-aid": [*build, *out],
        "edit-glossary": [*build, *out],
        "alone": [*build, *out, aid_id],
        "cli-handout": [
            "-m",
            "decisionaid",
            "handout",
            aid_id,
            *root,
            "--patient",
            PATIENT,
            "-o",
            "-",
        ],
        "web-copy": [*script, "_copy", str(catalog.root), aid_id, "5"],
    }
    return commands[step]


# ------------------------------------------------------------------------ main


def run_all(work: Path, settings: Settings, features: Features) -> Results:
    started = time.perf_counter()
    bench = Bench(work, settings, features)
    say(f"Catalog of {settings.n} aids in {work}")
    catalog = make_catalog(work / "root", settings.n)
    aid_id = largest_aid(catalog)
    bench.cold_builds(catalog)
    bench.floor(catalog)
    bench.noop(catalog)
    bench.edit_one_aid(catalog, aid_id)
    bench.edit_glossary(catalog)
    bench.weasy_copy(catalog, aid_id)
    bench.glossary(catalog, aid_id)
    bench.web(catalog, aid_id)
    bench.cli_handout(catalog, aid_id)
    bench.chromium(catalog)
    bench.linearity(settings.n)
    results = bench.results
    judge(results)
    results.rows.append(rss_row(results))
    results.projection = project(results, settings.n, (10, 20))
    results.seconds = time.perf_counter() - started
    results.load_end = _load()
    return results


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a small smoke run (N=4, fewer repeats)"
    )
    parser.add_argument("-n", type=int, help="aids in the catalog (default 16; 4 with --quick)")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="K",
        help="cold builds and floor: the median of K runs (steadier on a busy machine)",
    )
    parser.add_argument("--no-4n", action="store_true", help="skip the 4N linearity build")
    parser.add_argument("--no-chromium", action="store_true", help="skip the Chromium reference")
    parser.add_argument(
        "--write-doc",
        choices=("auto", "yes", "no"),
        default="auto",
        help="write the table into docs/performance.md (auto: unless --quick)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--profile",
        choices=PROFILE_STEPS,
        metavar="STEP",
        help=f"run one step under pyinstrument: {', '.join(PROFILE_STEPS)}",
    )
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    base = Settings.quick(args.n) if args.quick else Settings(n=args.n or Settings.n)
    return replace(
        base, repeats=args.repeat, linearity=not args.no_4n, chromium=not args.no_chromium
    )


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] in WORKERS:
        print(json.dumps(WORKERS[argv[0]](*argv[1:])))
        return 0
    args = parse(argv)
    settings = settings_from(args)
    features = Features.detect()
    work = Path(tempfile.mkdtemp(prefix="decisionaid-bench-"))
    try:
        if args.profile:
            return profile(args.profile, work, settings, features)
        results = run_all(work, settings, features)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(as_json(results))
    else:
        print("\n".join([*describe(results), "", *table_lines(results.rows, markdown=False)]))
        print("\nProjection:\n" + "\n".join(table_lines(results.projection, markdown=False)))
    wanted = args.write_doc == "yes" or (args.write_doc == "auto" and not args.quick)
    if wanted and write_doc(results):
        say(f"wrote the table into {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
