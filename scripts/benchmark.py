"""Benchmark: how long a catalog takes to build. A script, not a test.

    .venv/bin/python scripts/benchmark.py [--copies N]

Copies the example aids N times into a temporary content root, builds them all
(HTML and PDF) in one process, and prints the total and the time per aid.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from decisionaid.publish.build import build
from decisionaid.settings import BuildOptions

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5, help="copies of each example aid")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "aids").mkdir()
        shutil.copytree(REPO / "glossary", root / "glossary")
        shutil.copytree(REPO / "factors", root / "factors")
        shutil.copytree(REPO / "images", root / "images")
        shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
        for path in sorted((REPO / "aids").glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for n in range(args.copies):
                new_id = f"{path.stem}-{n}"
                (root / "aids" / f"{new_id}.yaml").write_text(
                    text.replace(f"id: {path.stem}", f"id: {new_id}"), encoding="utf-8"
                )
        started = time.perf_counter()
        report = build(root, BuildOptions(out=root / "out"))
        seconds = time.perf_counter() - started
        assert report.ok, report.problems
        aids = len(report.built)
        print(
            f"{aids} aids (HTML + PDF + quality page) in {seconds:.1f} s: "
            f"{seconds / aids:.2f} s per aid"
        )


if __name__ == "__main__":
    main()
