"""PDF/UA checked, not assumed: every example PDF opened with pikepdf and its
structure tree walked, and two builds in fresh processes compared byte for byte.

WeasyPrint only logs some PDF/UA problems and writes the PDF anyway, so the
absence of warnings proves little: these tests read what was written.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from helpers import REPO, build
from ruamel.yaml import YAML


@dataclass(frozen=True)
class Example:
    """What an example aid's PDFs must declare, read from its YAML."""

    id: str
    language: str
    title: str
    updated: dt.date

    @property
    def key(self) -> str:
        return f"{self.language}/{self.id}"


def _examples() -> list[Example]:
    found = []
    for path in sorted((REPO / "aids").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        found.append(Example(data["id"], data["language"], data["title"], data["updated"]))
    return found


EXAMPLES = _examples()
LARGE = next(e for e in EXAMPLES if e.key == "en/upper-eyelid-surgery")


@pytest.fixture(scope="module")
def large_print(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One example built in large print (its own layout: 18 pt type, larger pictures)."""
    out = tmp_path_factory.mktemp("large-print")
    report = build(REPO, out, (LARGE.id,), formats=["pdf"], large_print=True)
    assert report.ok and report.warnings == [], (report.problems, report.warnings)
    return out


def _pdfs(examples: Path) -> Iterator[tuple[Example, str, Path]]:
    for example in EXAMPLES:
        for kind in ("handout", "summary"):
            suffix = ".summary.pdf" if kind == "summary" else ".pdf"
            yield example, kind, examples / f"{example.key}{suffix}"


CASES = [(e, kind) for e in EXAMPLES for kind in ("handout", "summary")]


def _case_id(case) -> str:
    return f"{case[0].key}-{case[1]}"


def _elements(node) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under `node`, in document order (depth first)."""
    if not isinstance(node, pikepdf.Dictionary):
        return  # a marked-content id (an integer) or an object reference to an annotation
    if "/S" in node:
        yield node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if kid is not None:
            yield from _elements(kid)


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return list(_elements(pdf.Root.StructTreeRoot))


def _under(element: pikepdf.Dictionary, tag: str) -> bool:
    return any(str(e.S) == tag for e in list(_elements(element))[1:])


def _assert_pdf_ua(path: Path, example: Example, kind: str) -> None:
    """Everything PDF/UA-1 asks of the document that a program can see."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert str(root.Lang) == example.language
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        info_title = str(pdf.docinfo.Title)
        meta = pdf.open_metadata()
        assert meta["dc:title"] == info_title
        assert meta["pdfuaid:part"] == "1"
        if kind == "handout":
            assert info_title == example.title
        else:
            assert example.title in info_title and info_title != example.title

        elements = _structure(pdf)
        tags = [str(e.S) for e in elements]
        levels = [int(t[2]) for t in tags if t in {f"/H{n}" for n in range(1, 7)}]
        assert levels.count(1) == 1 and levels[0] == 1, levels
        # Going down, one level at a time; going back up may jump (H4 → H2).
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels

        tables = [e for e in elements if str(e.S) == "/Table"]
        assert all(_under(table, "/TH") for table in tables), path

        figures = [e for e in elements if str(e.S) == "/Figure"]
        without_alt = [e for e in figures if not str(e.get("/Alt", "")).strip()]
        assert without_alt == [], f"{len(without_alt)} of {len(figures)} Figures have no /Alt"
        if kind == "handout":
            # Not vacuous: the icon arrays are Figures, each with its chance in words.
            assert len(figures) >= 3 and tables, path


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_every_example_pdf_is_pdf_ua(examples: Path, case) -> None:
    example, kind = case
    suffix = ".summary.pdf" if kind == "summary" else ".pdf"
    _assert_pdf_ua(examples / f"{example.key}{suffix}", example, kind)


def test_large_print_pdf_is_pdf_ua(large_print: Path) -> None:
    _assert_pdf_ua(large_print / f"{LARGE.key}.large.pdf", LARGE, "handout")


def test_legend_swatches_are_decoration_not_figures(examples: Path) -> None:
    # Each icon array has a legend of two or three swatches; drawn as <svg> they were
    # Figures without alt text (15 of 20 in each handout). Now the only Figures are the
    # pictures that say something: the icon arrays, the timelines, the illustrations,
    # the clinic's own figures.
    with pikepdf.open(examples / "en" / "rhinoplasty.pdf") as pdf:
        alts = [str(e.Alt) for e in _structure(pdf) if str(e.S) == "/Figure"]
    arrays = [alt for alt in alts if " in 10 people" in alt or " in 100 people" in alt]
    timelines = [alt for alt in alts if alt.startswith("Recovery timeline")]
    # And the clinic's own figure over the published range (outcomes/rhinoplasty.yaml).
    clinic = [alt for alt in alts if alt.startswith("Published figures: ")]
    assert len(arrays) == 5 and len(timelines) == 1 and len(clinic) == 1, alts
    assert len(alts) == 7, alts


def test_pdf_dates_are_the_aids_updated_date_not_the_clock(examples: Path) -> None:
    for example, _, path in _pdfs(examples):
        with pikepdf.open(path) as pdf:
            assert str(pdf.docinfo.ModDate) == f"D:{example.updated:%Y%m%d}", path
            assert "/CreationDate" not in pdf.docinfo
            meta = pdf.open_metadata()
            assert meta["xmp:ModifyDate"] == example.updated.isoformat()
            assert "xmp:CreateDate" not in meta and "xmp:MetadataDate" not in meta
            assert "/ID" not in pdf.trailer  # nothing random either


# One aid per language and script (English, Spanish, right-to-left Arabic), between
# them with timelines, an illustration, icon arrays, summaries with QR codes and the
# catalog: the kinds of page the examples make, in half the time of all six.
REPRODUCED = ("rhinoplasty", "upper-eyelid-surgery.es", "carpal-tunnel-release.ar")


def _cli_build(out: Path, cwd: Path, env: dict[str, str]) -> None:
    """`decisionaid build` of some examples in a fresh Python process."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env
    aids = [str(REPO / "aids" / f"{name}.yaml") for name in REPRODUCED]
    command = [sys.executable, "-m", "decisionaid", "build", "--root", str(REPO), *aids]
    done = subprocess.run(
        [*command, "--out", str(out)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_builds_in_fresh_processes_are_byte_identical(tmp_path: Path) -> None:
    # No faketime here: the second build runs later (past a second boundary, so any
    # second-resolution timestamp would differ), in a time zone 26 hours away (another
    # calendar date), with another hash seed (set and dict order), from another folder.
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    _cli_build(first / "out", first, {"TZ": "Etc/GMT+12", "PYTHONHASHSEED": "1"})
    time.sleep(1.1)
    _cli_build(second / "out", second, {"TZ": "Pacific/Kiritimati", "PYTHONHASHSEED": "2"})
    one, two = _files(first / "out"), _files(second / "out")
    assert sorted(one) == sorted(two)
    assert sum(name.endswith(".pdf") for name in one) == 2 * len(REPRODUCED)
    assert sum(name.endswith(".html") for name in one) == 3 * len(REPRODUCED) + 1
    assert [name for name in one if one[name] != two[name]] == []


FALLBACK_SCRIPT = textwrap.dedent(
    """
    import logging, sys, time
    from pathlib import Path
    import weasyprint.pdf.fonts
    # As on a machine without libharfbuzz-subset0: WeasyPrint's own fallback, fontTools.
    weasyprint.pdf.fonts.harfbuzz_subset = None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from decisionaid.output.pdf import render_pdf
    from decisionaid.settings import ContentLayout
    html = ('<html lang="en"><head><title>T</title>'
            '<meta name="dcterms.modified" content="2026-11-20"></head>'
            '<body><h1>Fonts are stamped</h1><p>with the time they are saved.</p></body></html>')
    first = render_pdf(html, ContentLayout(Path(sys.argv[1]))).data
    time.sleep(1.1)
    second = render_pdf(html, ContentLayout(Path(sys.argv[1]))).data
    print("same" if first == second else "different")
    """
)


def test_fonttools_fallback_does_not_stamp_the_time(tmp_path: Path) -> None:
    # fontTools writes the time of saving into each subset font's `head` table unless
    # SOURCE_DATE_EPOCH is set; render_pdf sets it, so the fallback is reproducible too.
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT, str(tmp_path)],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "same", done.stdout + done.stderr
