"""The one-page summary's type size and columns, chosen from its own words before it
is laid out, so that WeasyPrint lays it out once.

Laying a page out is the slow part of making it (a fifth of a second for a summary):
trying 11 pt, then 10 pt, then 9 pt would cost a layout each. Instead the summary's
HTML is read (`SummaryText`, from pagetext.py), and the lines of each block are
counted the way the page wraps them, with the fonts' own widths (textwidth.py) and
the measures of templates/summary.css, mirrored below (change one, change the other:
tests/test_onepage.py holds the model to real pages). `plan` then
gives the largest size from 11 pt down to the 9 pt floor at which the page fits, with
the columns' widths that need the fewest lines at that size. The model errs on the
long side; the pipeline still counts the pages it gets, and `check` warns, from the
same model, about a summary that cannot fit even at 9 pt.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .pagetext import Node, Para, parse, runs
from .textwidth import TextWidth, text_width

SIZES = tuple(11 - k / 4 for k in range(9))  # pt: 11 down to 9 by quarter points
FLOOR = SIZES[-1]
MM = 72 / 25.4
PAPERS = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}  # mm
MARGINS = (12, 12, 14, 12)  # mm: top, right, bottom, left (@page)
SAFETY = 0.015  # of the page's height, kept free for what the model cannot see

# templates/summary.css, in ems of the element's own font size (pt where named so).
LINE, HEADING_LINE = 1.25, 1.15
H1, H2, DECISION = 1.6, 1.15, 1.1
HEADING_GAP, PARA_GAP = 0.15, 0.25
BANNER_PAD, BANNER_INSET, BANNER_RULE_PT, BANNER_GAP = 0.15, 0.5, 1.5, 0.3
MAST_PAD, MAST_RULE_PT, MAST_GAP = 0.1, 2.25, 0.4
CAPTION_PAD = 0.2
CELL_PAD, CELL_INSET, RULE_PT = 0.2, 0.4, 0.75
LIST_INDENT, ITEM_GAP = 1.0, 0.15
BOTTOM_GAP, COLUMN_GAP, SURE_SHARE, TICK_COLUMN = 0.4, 1.0, 0.7, 3.0
QR_MM, LOGO_MM = 24, (40, 13)
QUESTION_COLUMN = (21.0, 18.0, 24.0)  # % of the grid's width, the usual first
MIN_OPTION = 12.0  # % of the grid's width


@dataclass(frozen=True)
class Fit:
    """How to print one summary: `size` in pt and `widths` in % of the grid (the
    questions' column, then one per option); what the model predicts (pt)."""

    size: float
    widths: tuple[float, ...]
    height: float
    room: float
    rows: tuple[tuple[float, ...], ...] = ()  # per grid row: each option cell's height

    @property
    def fits(self) -> bool:
        return self.height <= self.room

    @property
    def over(self) -> float:
        """How much too long, as a share of the page's room (0 when it fits)."""
        return max(0.0, self.height / self.room - 1)


def plan(html: str, paper: str, sizes: tuple[float, ...] = SIZES) -> Fit:
    """The largest of `sizes` at which the summary fits, with its columns; else the
    plan at the smallest (which does not fit)."""
    text = SummaryText.read(html)
    fit = None
    for size in sizes:
        fit = text.fit(size, paper)
        if fit.fits:
            return fit
    assert fit is not None
    return fit


@dataclass
class Block:
    """A paragraph or heading the full width of its column."""

    para: Para
    scale: float = 1.0  # font size, in ems of the body's
    line: float = LINE
    gap: float = PARA_GAP  # bottom margin, in its own ems
    pad: float = 0.0  # top + bottom padding, own ems
    inset: float = 0.0  # left + right padding, own ems
    rule_pt: float = 0.0  # top + bottom border (the sides the same)
    fixed_pt: float = 0.0  # a picture's height

    def height(self, size: float, width_pt: float) -> float:
        own = size * self.scale
        lines = self.para.lines((width_pt - self.rule_pt) / own - self.inset) if own else 0
        text = lines * (self.line + self.para.extra) if self.para.pieces else 0.0
        return own * (text + self.pad + self.gap) + self.rule_pt + self.fixed_pt


@dataclass
class Cell:
    paras: list[Para]
    listed: bool  # a list of items (benefits, risks), indented

    def height(self, size: float, width_pt: float) -> float:
        width = width_pt / size - (LIST_INDENT if self.listed else 0.0)
        text = sum(p.lines(width) * (LINE + p.extra) for p in self.paras)
        gaps = ITEM_GAP * max(0, len(self.paras) - 1) if self.listed else 0.0
        return size * (text + gaps)


@dataclass
class SummaryText:
    """What the model needs of a summary page, read from its HTML."""

    masthead: list[Block]
    logo: bool
    caption: Block | None
    grid: list[list[Cell]]  # the header row, then each row: the row's heading, its cells
    sure: list[Block]  # heading, then the paragraphs after the table
    sure_rows: list[Cell]  # the SURE table's questions, header first
    more: list[Block]
    other: list[Block]  # anything else on the page, the full width

    @classmethod
    def read(cls, html: str) -> SummaryText:
        root = parse(html)
        body = root.find("body") or root
        tw = text_width()
        head = body.find("header", "masthead")
        grid = body.find("table", "grid")
        sure = body.find("section", "sure")
        more = body.find("section", "more")
        known = {id(n) for n in (head, grid, sure, more) if n is not None}
        return cls(
            masthead=[_block(n, tw) for n in head.elements() if n.tag != "img"] if head else [],
            logo=head is not None and head.find("img", "logo") is not None,
            caption=_block(caption, tw) if grid and (caption := grid.find("caption")) else None,
            grid=[_row(tr, tw) for tr in grid.find_all("tr")] if grid else [],
            sure=_section(sure, tw, skip="table"),
            sure_rows=[_row(tr, tw)[0] for tr in sure.find_all("tr")] if sure else [],
            more=_section(more, tw),
            other=[_block(n, tw) for n in _others(body, known)],
        )

    def fit(self, size: float, paper: str) -> Fit:
        """The columns that need the fewest lines at `size`, and the page's height."""
        width_mm, height_mm = PAPERS[paper]
        width = (width_mm - MARGINS[1] - MARGINS[3]) * MM
        room = (height_mm - MARGINS[0] - MARGINS[2]) * MM * (1 - SAFETY)
        rest = (
            self._masthead(size, width)
            + (self.caption.height(size, width) if self.caption else 0.0)
            + self._bottom(size, width)
            + sum(b.height(size, width) for b in self.other)
        )
        # A column's cells depend on its own width only: measured once per width.
        columns: dict[tuple[int, float], list[float]] = {}

        def column(k: int, share: float) -> list[float]:
            key = (k, share)
            if key not in columns:
                inner = _inner(_column(width, share), size)
                columns[key] = [row[k].height(size, inner) if k < len(row) else 0.0
                                for row in self.grid]  # fmt: skip
            return columns[key]

        best: tuple[float, float, tuple[float, ...]] | None = None
        for widths in _splits(len(self.grid[0]) - 1 if self.grid else 0):
            cells = [column(k, share) for k, share in enumerate(widths)]
            grid = sum(max(row) for row in zip(*cells, strict=True))
            # Fewest lines first, then the widths nearest the usual ones.
            key = (round(grid, 1), _unevenness(widths))
            if best is None or key < best[:2]:
                best = (*key, widths)
        if best is None:
            return Fit(size, (), rest, room)
        widths = best[2]
        grid = len(self.grid) * (2 * CELL_PAD * size + RULE_PT) + RULE_PT + best[0]
        rows = tuple(zip(*(column(k, w) for k, w in enumerate(widths) if k), strict=True))
        return Fit(size, widths, rest + grid, room, rows[1:])

    def _masthead(self, size: float, width: float) -> float:
        if not self.masthead:
            return 0.0
        total, logo_left = 0.0, LOGO_MM[1] * MM if self.logo else 0.0
        for block in self.masthead:
            beside = logo_left > 0 and total < logo_left
            total += block.height(size, width - (LOGO_MM[0] * MM + size) * beside)
        total = max(total, logo_left)
        return total + size * (MAST_PAD + MAST_GAP) + MAST_RULE_PT

    def _bottom(self, size: float, width: float) -> float:
        if not (self.sure or self.sure_rows or self.more):
            return 0.0
        share = width - COLUMN_GAP * size
        sure_width, more_width = share * SURE_SHARE, share * (1 - SURE_SHARE)
        question = sure_width - RULE_PT - 2 * ((TICK_COLUMN + 2 * CELL_INSET) * size + RULE_PT)
        table = RULE_PT + sum(
            max(cell.height(size, _inner(question, size)), LINE * size)
            + 2 * CELL_PAD * size
            + RULE_PT
            for cell in self.sure_rows
        )
        sure = table + sum(b.height(size, sure_width) for b in self.sure)
        more = sum(b.height(size, more_width) for b in self.more)
        return BOTTOM_GAP * size + max(sure, more)


def _column(table_pt: float, share: float) -> float:
    """A column's width: its share of the table, whose collapsed outer rules take
    half their width on either side."""
    return (table_pt - RULE_PT) * share / 100


def _inner(column_pt: float, size: float) -> float:
    """A cell's text width: its column less the padding and the (shared) rule."""
    return column_pt - 2 * CELL_INSET * size - RULE_PT


def _splits(options: int) -> list[tuple[float, ...]]:
    """Candidate widths (%): the questions' column, then each option's."""
    if options <= 0:
        return []
    found = []
    step = 2.5 if options <= 2 else 5.0
    for question in QUESTION_COLUMN:
        rest = 100 - question
        grid = [MIN_OPTION + step * k for k in range(int((rest - MIN_OPTION) / step) + 1)]
        for head in itertools.product(grid, repeat=options - 1):
            last = rest - sum(head)
            if last >= MIN_OPTION - 1e-9:
                found.append((question, *head, round(last, 2)))
    return found


def _unevenness(widths: tuple[float, ...]) -> float:
    options = widths[1:]
    even = sum(options) / len(options)
    return abs(widths[0] - QUESTION_COLUMN[0]) + sum(abs(w - even) for w in options)


def _block(node: Node, tw: TextWidth) -> Block:
    """A block element as the stylesheet sets it."""
    para = Para(runs(node), tw, url="url" in node.classes)
    if node.tag == "h1":
        return Block(para, H1, HEADING_LINE, HEADING_GAP)
    if node.tag in ("h2", "h3"):
        return Block(para, H2, HEADING_LINE, HEADING_GAP)
    if "draft-banner" in node.classes:
        return Block(para, gap=BANNER_GAP, pad=2 * BANNER_PAD, inset=2 * BANNER_INSET,
                     rule_pt=2 * BANNER_RULE_PT)  # fmt: skip
    if "decision" in node.classes:
        return Block(para, DECISION)
    if node.tag == "caption":
        return Block(para, gap=CAPTION_PAD)
    if node.find("img", "qr") is not None:
        return Block(para, fixed_pt=QR_MM * MM)
    return Block(para)


def _row(tr: Node, tw: TextWidth) -> list[Cell]:
    cells = []
    for cell in tr.elements():
        items = cell.find_all("li")
        if items:
            cells.append(Cell([Para(runs(li, cell.tag == "th"), tw) for li in items], True))
        else:
            cells.append(Cell([Para(runs(cell), tw)], False))
    return cells


def _section(node: Node | None, tw: TextWidth, skip: str = "") -> list[Block]:
    if node is None:
        return []
    return [_block(n, tw) for n in node.elements() if n.tag != skip]


def _others(node: Node, known: set[int]) -> list[Node]:
    """Blocks of an overridden template that the model does not know, taken as
    paragraphs the full width of the page."""
    found = []
    for child in node.elements():
        if id(child) in known:
            continue
        if _holds(child, known):
            found += _others(child, known)
        else:
            found.append(child)
    return found


def _holds(node: Node, known: set[int]) -> bool:
    return any(id(c) in known or _holds(c, known) for c in node.elements())
