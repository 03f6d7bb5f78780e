"""Helpers for reading back what the tool wrote: PDF text, parsed HTML, CLI runs."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The test aid is a draft: the front desk may print it for a patient only when
# clinic.yaml says so (without the key, only approved aids are printed).
DRAFTS = "front_desk: drafts\n"


def aid_text() -> str:
    """The YAML of the valid test aid, to edit into broken variants."""
    return (FIXTURES / "test-aid.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def pdf_text(path: Path) -> str:
    """All text of a PDF, read back with pypdf, with white space folded."""
    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def pdf_pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(path).pages]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def foreign_scripts(page) -> list:
    """The scripts of a built page other than the tool's own file (`<script
    src="../handout.js">`, empty): none may come from content or a catalog."""
    return [
        script
        for script in page.find_all("script")
        if script.get("src") != "../handout.js" or script.string or len(script.attrs) != 2
    ]


def text_of(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def run_cli(*args: str) -> Result:
    from decisionaid.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def build(root: Path, out: Path, selectors: tuple[str, ...] = (), **options):
    """Build through the library as the CLI does: `build(root, out, formats=["pdf"])`."""
    from decisionaid.publish.build import build as run
    from decisionaid.settings import BuildOptions

    return run(root, BuildOptions(out=out, **options), selectors)


def check(root: Path, selectors: tuple[str, ...] = (), today=None):
    """Check through the library as the CLI does."""
    import datetime as dt

    from decisionaid.pipeline.core import check_all
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions

    return check_all(Context.open(root, BuildOptions(today=today or dt.date.today())), selectors)


# The handout's page margins (templates/handout.css @page): header and footer live there.
PAGE_TOP_MM, PAGE_BOTTOM_MM = 13, 12


def page_fill(
    path: Path, dpi: int = 30, top_mm: float = PAGE_TOP_MM, bottom_mm: float = PAGE_BOTTOM_MM
) -> list[float]:
    """How far down each PDF page the body's ink reaches, from 0 (empty) to 1 (full),
    read from the pages rendered as images (pdftoppm) so pictures count as well as text.
    The page margins (the handout's by default) hold the running header and footer."""
    import subprocess
    import tempfile

    from PIL import Image

    fills = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), f"{tmp}/p"], check=True)
        for image in sorted(Path(tmp).iterdir()):
            page = Image.open(image).convert("L")
            width, height = page.size
            top = round(top_mm / 25.4 * dpi)
            bottom = height - round(bottom_mm / 25.4 * dpi)
            pixels = page.load()
            inked = [y for y in range(top, bottom) if any(pixels[x, y] < 180 for x in range(width))]
            fills.append(round((max(inked, default=top) - top) / (bottom - top), 2))
    return fills


def made_up_name(*parts: str) -> str:
    """A patient's name for a privacy test, joined at run time so that the test's own
    source (and its compiled cache) never holds it: a search for it finds only leaks."""
    return " ".join(parts)


@dataclass(frozen=True)
class Before:
    """What was on disk when a test began: only files written after it are searched.

    A time alone is not enough: a fixture may write its aid (which holds the test's
    hope, on purpose) a moment before the test starts, and timestamps are coarse on
    some file systems, so a file the test did not touch is known by its mtime."""

    time: float
    files: Mapping[Path, int]


def files_before(*folders: Path) -> Before:
    """Note the time and every file under `folders`, at the start of a test."""
    files = {}
    for path in _files_under(folders):
        try:
            files[path] = path.stat().st_mtime_ns
        except OSError:  # removed by another process while we looked
            continue
    return Before(time.time() - 1, files)


def files_mentioning(name: str, *folders: Path, since: Before) -> list[Path]:
    """Files under `folders` written since `since`, not in this repository, whose
    bytes hold `name`; PDFs are compressed, so their text is read."""
    return [path for path in _files_under(folders) if _mentions(path, name, since)]


def _files_under(folders: tuple[Path, ...]) -> list[Path]:
    found = []
    for folder in folders:
        # os.walk shrugs off folders that other processes remove while it looks.
        for top, _, names in os.walk(folder, onerror=lambda error: None):
            found.extend(Path(top) / file_name for file_name in names)
    return found


def _mentions(path: Path, name: str, since: Before) -> bool:
    try:
        if path.is_relative_to(REPO) or not path.is_file():
            return False
        stat = path.stat()
        if stat.st_mtime < since.time or since.files.get(path) == stat.st_mtime_ns:
            return False
        if name.encode() in path.read_bytes():
            return True
        return path.suffix == ".pdf" and name in pdf_text(path)
    except Exception:  # noqa: BLE001 - a file that vanished or is not a PDF holds nothing
        return False


# Debian's Chromium for the browser tests, started quietly: no browser download, no network.
# How long a browser test waits for what it means. Playwright's default 5 s for an
# `expect` is missed on a loaded 2-core machine (CI), which is no failure of the app:
# there, a changed file's new Site took 16-27 s to check, a new render worker's first
# copy as long. Only a failing test waits this long.
WAIT_MS = 120_000
CHROMIUM = __import__("os").environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def structure_alts(path: Path) -> list[str]:
    """The alt texts of the Figures in a tagged PDF's structure tree."""
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                if kid is not None and hasattr(kid, "get_object"):
                    walk(kid)

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return alts


def work(run, repeat: int = 3) -> float:
    """The CPU time this process spends on one call of `run` (the least of `repeat`,
    to leave out a busy moment). For comparing the work of n and 2n: a test never
    asserts a wall-clock time."""
    import gc
    import time

    least = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # a collection falls where it will: noise, not the work measured
        try:
            started = time.process_time()
            run()
            least = min(least, time.process_time() - started)
        finally:
            gc.enable()
    return least


def growth(make, n: int, repeat: int = 3) -> float:
    """How much more work `make(2 * n)` is than `make(n)` (`make` returns what to call):
    about 2 for linear work, 4 for quadratic, 1 for work that stops early."""
    small, large = make(n), make(2 * n)
    # The least of three rounds, n and 2n side by side: a loaded machine (CI) slows one
    # round now and then; quadratic work is quadratic in every round.
    return min(work(large, repeat) / max(work(small, repeat), 1e-3) for _ in range(3))
