"""The benchmark's command line: run every step, print the table, write it into the docs."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ....scripts.bench.catalog import (
    edit_aid,
    edit_glossary_term,
    largest_aid,
    make_catalog,
    terms_in_use,
)
from ....scripts.bench.config import DOC, PATIENT, PROFILE_STEPS, REPO, SCRIPT
from ....scripts.bench.model import Catalog, Features, Results, Settings
from ....scripts.bench.procs import _load, say, timed
from ....scripts.bench.report import (
    as_json,
    describe,
    judge,
    project,
    rss_row,
    table_lines,
    write_doc,
)
from ....scripts.bench.steps import Bench
from ....scripts.bench.workers import WORKERS


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
    bench.desks(catalog, aid_id)
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
