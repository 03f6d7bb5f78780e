"""Benchmark: how fast DecisionAid builds a catalog, against WeasyPrint's own floor, and
how the staff app serves many desks at once.

A script, not a test. It makes a synthetic catalog from every example file in aids/,
translations included, then times, each in fresh processes, what a user waits for:

    .venv/bin/python scripts/benchmark.py            # N=16 and 4N=64, writes docs/performance.md
    .venv/bin/python scripts/benchmark.py --quick    # a small smoke run; docs untouched
    .venv/bin/python scripts/benchmark.py --json     # one JSON document on stdout
    .venv/bin/python scripts/benchmark.py --profile cold-jobs1   # needs pip install pyinstrument

Rows the current CLI cannot run (a flag it lacks) say "n/a (needs --jobs)"; the script
asks `decisionaid build --help` which flags exist. docs/performance.md explains each row.
Progress goes to stderr, the table (or JSON) to stdout. The code is the package
scripts/bench/ (one module per part: the catalog, the steps, the web load, the report);
this file is its command line, and what its worker processes run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.main import main  # noqa: E402 - after the path that finds it

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
