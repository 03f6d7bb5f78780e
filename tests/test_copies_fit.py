"""Every copy within its pages (issue 28): for every example, in every language it has,
on Letter and A4, a patient's copy with every hope and every factor ticked, in standard
and in large print. Read back from the PDFs: the page count (the README's 7, and 16 in
large print), no character outside the paper (the characters' boxes, pdftotext -bbox),
no block a reader takes in at once split over two pages, no page left a quarter empty
before a block that would have fit, and the running lines whole. The 24 copies are made
once, here."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, page_fill
from pypdf import PdfReader, PdfWriter

HANDOUT_PAGES = 7
LARGE_PRINT_PAGES = 16
PAPERS = ("letter", "a4")
EXAMPLES = sorted(path.name for path in (REPO / "aids").glob("*.yaml"))
MIN_FILL = 0.75  # every page but the last: no quarter page left blank
PATIENT = "María-José Example Longname"  # a long name: the "Prepared for" box wraps


@dataclass(frozen=True)
class Copy:
    name: str  # the aid's file, paper and size: "upper-eyelid-surgery.es.yaml a4 large"
    language: str
    large: bool
    pdf: Path
    html: BeautifulSoup  # the same copy's web page: the blocks' words, in its language


def make(folder: Path, path: Path, paper: str, large: bool) -> Copy:
    from decisionaid.handout.consult import Consult
    from decisionaid.pipeline.core import make_copy
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions

    made = {}
    for fmt in ("pdf", "html"):
        ctx = Context.open(REPO, BuildOptions(formats=(fmt,), large_print=large, paper=paper))
        loaded = ctx.content.load(path)
        aid = loaded.aid
        assert aid is not None
        consult = Consult(
            PATIENT, "Dr. Example", dt.date(2027, 3, 1), (), False,
            tuple(aid.factor_ids()), tuple(goal.id for goal in aid.goals),
        )  # fmt: skip
        result = make_copy(loaded, ctx, consult)
        assert not result.problems, result.problems
        made[fmt] = result.files["copy"]
    size = "large" if large else "standard"
    pdf = folder / f"{path.stem}.{paper}.{size}.pdf"
    pdf.write_bytes(made["pdf"])
    html = BeautifulSoup(made["html"], "html.parser")
    return Copy(f"{path.name} {paper} {size}", aid.language, large, pdf, html)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> list[Copy]:
    folder = tmp_path_factory.mktemp("copies")
    return [
        make(folder, REPO / "aids" / name, paper, large)
        for name in EXAMPLES
        for paper in PAPERS
        for large in (False, True)
    ]


def test_every_copy_keeps_within_its_pages(copies: list[Copy]):
    over = []
    for copy in copies:
        limit = LARGE_PRINT_PAGES if copy.large else HANDOUT_PAGES
        count = len(PdfReader(copy.pdf).pages)
        if count > limit:
            over.append(f"{copy.name}: {count} pages, at most {limit}")
    assert over == []
    assert len(copies) == len(EXAMPLES) * 4


def words_outside_the_paper(path: Path, bleed: float = 200) -> list[str]:
    """Each word with a character off the paper. pdftotext drops characters wholly
    off the page, so the page is first widened by `bleed` points on every side; a
    word's box must then lie within the paper's own box."""
    writer = PdfWriter(clone_from=path)
    papers = []
    for page in writer.pages:
        box = [float(v) for v in page.mediabox]
        papers.append(box)
        page.mediabox.lower_left = (box[0] - bleed, box[1] - bleed)
        page.mediabox.upper_right = (box[2] + bleed, box[3] + bleed)
        page.cropbox = page.mediabox
    wide = path.with_suffix(".wide.pdf")
    writer.write(wide)
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(wide), "-"], capture_output=True, text=True, check=True
    ).stdout
    outside = []
    pages = re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S)
    assert len(pages) == len(papers)
    word = r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>'
    for number, (page, box) in enumerate(zip(pages, papers, strict=True), start=1):
        width, height = box[2] - box[0], box[3] - box[1]
        for x0, y0, x1, y1, text in re.findall(word, page):
            x0, x1 = float(x0) - bleed, float(x1) - bleed
            y0, y1 = float(y0) - bleed, float(y1) - bleed
            if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(
                    f"page {number}: {text!r} at ({x0:.0f}, {y0:.0f})-({x1:.0f}, {y1:.0f})"
                )
    return outside


def test_no_text_lies_outside_the_paper(copies: list[Copy]):
    outside = {copy.name: words_outside_the_paper(copy.pdf) for copy in copies}
    assert {name: words for name, words in outside.items() if words} == {}


def folded(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    """Each page's text, white space removed (a block's words wrap differently there)."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [folded(page) for page in text.split("\f")[: len(PdfReader(path).pages)]]


def blocks(html: BeautifulSoup) -> dict[str, list[str]]:
    """What must stand on one page, by its words: the four SURE questions, the values
    table's rows, each quiz statement (its first and last words: the boxes to tick, at
    the end of its first line, come between them in the PDF's text), each hope with its
    answers, whys and the line asking to talk (each part by itself: a bold answer comes
    after the line under it in the PDF's text)."""
    found = {
        "SURE questions": [th.get_text(" ") for th in html.select("table.sure tbody th")],
        "values table": [
            th.get_text(" ") for th in html.select("table.values:not(.sure) tbody th")
        ],
    }
    for number, item in enumerate(html.select(".quiz-item .statement"), start=1):
        words = item.get_text(" ").split()
        found[f"quiz item {number}"] = [" ".join(words[:3]), " ".join(words[-3:])]
    for number, hope in enumerate(html.select(".hopes li"), start=1):
        parts = hope.select("strong, .why, .talk")
        found[f"hope {number}"] = [part.get_text(" ") for part in parts]
    return {name: [folded(w) for w in words] for name, words in found.items() if words}


def test_no_block_a_reader_takes_in_at_once_is_split(copies: list[Copy]):
    """Read from the text of each page. Arabic is left out: pdftotext does not give its
    joined letters back as typed, so its words cannot be found by their text."""
    split = []
    for copy in copies:
        if copy.language == "ar":
            continue
        pages = page_texts(copy.pdf)
        for name, words in blocks(copy.html).items():
            if not any(all(w in page for w in words) for page in pages):
                split.append(f"{copy.name}: {name}")
    assert split == []


def test_my_own_questions_keeps_its_lines(copies: list[Copy]):
    """ "My own questions:" is never the last line of a page without its lines under it:
    the space under its baseline holds the lines (3 em) before the page's bottom margin."""
    short = []
    for copy in copies:
        label = folded(copy.html.select_one("label[for=own-questions]").get_text())
        size = 18 if copy.large else 12
        for number, page in enumerate(PdfReader(copy.pdf).pages):
            found = []

            def visit(text, cm, tm, font, font_size, found=found, label=label):
                if label.startswith(folded(text)) and folded(text):
                    found.append(tm[5] * cm[3] + cm[5])

            page.extract_text(visitor_text=visit)
            for y in found[:1]:
                bottom = 16 if copy.large else 11  # the page's bottom margin, mm
                if y - bottom / 25.4 * 72 < 3 * size:
                    short.append(f"{copy.name}: page {number + 1}")
    assert short == []


def whole_blocks(html: BeautifulSoup) -> list[tuple[str, str]]:
    """The blocks kept whole on one page, each by the words it starts and ends with
    (white space removed): its heading, if the heading goes with it, and its last line."""

    def words(tag) -> str:
        return folded(tag.get_text(" ")) if tag is not None else ""

    found = []
    values = html.select("table.values:not(.sure) tbody th")  # the SURE table is one too
    if values:
        found.append((words(html.select_one("#h-values")), words(values[-1])))
    sure = html.select("table.sure tbody th")
    if sure:  # the note under the table stays with it
        note = words(html.select_one(".sure-note")) or words(sure[-1])
        found.append((words(sure[0].find_previous("h3")), note[-20:]))
    for card in html.select(".outcome"):  # its last words: the picture's key
        found.append((words(card.select_one(".outcome-title strong")), words(card)[-20:]))
    for item in html.select(".quiz-item .statement, .hopes li, #goals tbody tr"):
        found.append((words(item)[:20], words(item)[-20:]))
    calls = html.select(".call-us li")
    if calls:
        found.append((words(html.select_one("#h-call")), words(calls[-1])))
    return [(start, end) for start, end in found if start and end]


def word_boxes(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words (white space removed), with their top and bottom, in points."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    word = r'<word xMin="[-\d.]+" yMin="([-\d.]+)" xMax="[-\d.]+" yMax="([-\d.]+)">(.*?)</word>'
    return [
        [(folded(text), float(top), float(bottom)) for top, bottom, text in re.findall(word, page)]
        for page in re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S)
    ]


def opening_block_height(page: list[tuple[str, float, float]], top: float, blocks) -> float:
    """How far down the page (from its text area's top, in points) the block it opens
    with reaches: a block kept whole whose first words stand at the page's start."""
    text, bottoms = "", []
    for words, _, bottom in page:
        text += words
        bottoms += [bottom] * len(words)
    reach = 0.0
    for start, end in blocks:
        at = text.find(start)
        if 0 <= at <= 200:  # after the running header, before the block's first line ends
            stop = text.find(end, at)
            if stop >= 0:
                reach = max(reach, bottoms[stop + len(end) - 1] - top)
    return reach


def test_no_page_is_left_a_quarter_empty_before_what_would_fit(copies: list[Copy]):
    """A page may end more than a quarter empty only where the next page opens with a
    block kept whole (with its heading) taller than the space left: the values table,
    the SURE questions, an outcome with its picture, a hope, "When to call us"'s list.
    Arabic is left out: its words cannot be found by their text (see above)."""
    thin = []
    for copy in copies:
        if copy.language == "ar":
            continue
        top, bottom = (17, 16) if copy.large else (12, 11)
        fills = page_fill(copy.pdf, top_mm=top, bottom_mm=bottom)
        height = float(PdfReader(copy.pdf).pages[0].mediabox.height)
        area = height - (top + bottom) / 25.4 * 72
        pages, blocks = word_boxes(copy.pdf), whole_blocks(copy.html)
        for number, fill in enumerate(fills[:-1], start=1):
            if fill >= MIN_FILL:
                continue
            # Less a line: the margins under the page's last ink and above the block's
            # first (its heading's) leave no ink to measure.
            left = (1 - fill) * area - 1.25 * (18 if copy.large else 12)
            needed = opening_block_height(pages[number], top / 25.4 * 72, blocks)
            if needed < left:
                thin.append(
                    f"{copy.name}: page {number} {fill:.0%} full; page {number + 1} opens "
                    f"with {needed:.0f} pt kept whole, and {left:.0f} pt were left"
                )
    assert thin == []


def test_what_a_patient_acts_on_is_the_body_size(copies: list[Copy]):
    """The hopes, what each option can do and when to call us are set in the body's
    size (12 pt; 18 pt in large print), never smaller: read from the PDF's text."""
    small = []
    for copy in copies:
        body = 18 if copy.large else 12
        wanted = [
            folded(copy.html.select_one(selector).get_text(" "))[:12]
            for selector in ("#goals tbody th", ".call-us li", ".hopes li strong")
            if copy.html.select_one(selector) is not None
        ]
        for page in PdfReader(copy.pdf).pages:

            def visit(text, cm, tm, font, size, wanted=wanted, body=body, copy=copy):
                for start in wanted:
                    if folded(text) and start.startswith(folded(text)[:12]):
                        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                        if size * scale < body - 0.1:
                            small.append(f"{copy.name}: {text!r} at {size * scale:.1f} pt")

            page.extract_text(visitor_text=visit)
    assert small == []


# The running lines: whole on every page, in every language and print size


APPROVER = (  # nearly 200 characters, the most `approve --by` takes
    "Dr. Maria de los Angeles Fernandez-Castellanos de la Torre y Villanueva, Head of the "
    "Department of Plastic, Aesthetic and Reconstructive Surgery, Example University Hospital, FRCS"
)
assert len(APPROVER) <= 200


def test_the_draft_mark_is_whole_on_every_page(copies: list[Copy]):
    """The Spanish large-print draft mark once read "Borrador: no revisado para uso con pa"."""
    cut = []
    for copy in copies:
        mark = folded(copy.html.select_one(".draft-mark").get_text())
        if copy.language == "ar":
            continue  # its joined letters do not come back as typed (see above)
        for number, page in enumerate(page_texts(copy.pdf), start=1):
            if page.count(mark) < (2 if number == 1 else 1):  # page 1: the banner too
                cut.append(f"{copy.name}: page {number}")
    assert cut == []


@pytest.mark.parametrize(("paper", "large"), [("a4", True), ("letter", False)])
def test_a_long_changed_since_approval_footer_stays_on_the_paper(
    tmp_path: Path, paper: str, large: bool
):
    """Changed since its approval by someone with a 200-character name: the footer's
    clinic line and version wrap, the bottom margin grows to hold them, and every page
    has the whole line."""
    from helpers import run_cli
    from test_approval import content

    root = content(tmp_path / "root", front_desk="drafts")
    approve = run_cli("approve", "rhinoplasty", "--root", str(root), "--by", APPROVER)
    assert approve.exit_code == 0, approve.output
    aid = root / "aids" / "rhinoplasty.yaml"
    text = aid.read_text(encoding="utf-8")
    edited = text.replace("certainty: moderate, certainty_why: Studies lasted",
                          "certainty: low, certainty_why: Studies lasted", 1)  # fmt: skip
    assert edited != text
    aid.write_text(edited, encoding="utf-8")
    out = tmp_path / "copy.pdf"
    size = ["--large-print"] if large else []
    made = run_cli(
        "handout", "rhinoplasty", "--root", str(root), "--paper", paper, *size,
        "--patient", PATIENT, "--goal", "breathe", "-o", str(out),
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert words_outside_the_paper(out) == []
    pages = page_texts(out)
    for line in ("Changedsinceitwasapprovedon", folded(f"by {APPROVER}; not yet approved again")):
        assert all(line in page for page in pages), pages[0][-400:]
    assert len(pages) <= (LARGE_PRINT_PAGES if large else HANDOUT_PAGES)


def test_the_web_address_is_never_broken_after_its_scheme(copies: list[Copy]):
    """On page 1 and in every footer the clinic's address is one word ("https://" once
    ended a line, the rest on the next)."""
    broken = []
    for copy in copies:
        xml = subprocess.run(
            ["pdftotext", "-bbox", str(copy.pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for number, page in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S), 1):
            words = [w.strip("\u2066\u2069") for w in re.findall(r">([^<]*)</word>", page)]
            if "https://" in words or "https://clinic.example.org" not in words:
                broken.append(f"{copy.name}: page {number}")
    assert broken == []


def test_the_chart_note_names_the_language_as_a_sentence_writes_it(tmp_path: Path):
    """Spanish writes a language's name in lower case inside a sentence ("en español");
    English capitalises it ("in Spanish")."""
    from helpers import run_cli
    from test_approval import content

    root = content(tmp_path / "root", front_desk="drafts")
    clinic = root / "clinic.yaml"
    english = run_cli("note", "upper-eyelid-surgery", "--root", str(root), "--language", "es")
    assert "Copy given: in Spanish, standard print." in english.output, english.output
    clinic.write_text("language: es\n" + clinic.read_text(encoding="utf-8"), encoding="utf-8")
    spanish = run_cli("note", "upper-eyelid-surgery", "--root", str(root), "--language", "es")
    assert "Copia entregada: en español, letra normal." in spanish.output, spanish.output
    arabic = run_cli("note", "carpal-tunnel-release", "--root", str(root), "--language", "ar")
    assert "Copia entregada: en árabe, letra normal." in arabic.output, arabic.output
