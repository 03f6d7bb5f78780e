"""Will the one-page summary fit? An estimate, so that `check` can say what to shorten
without rendering (the build renders it and never writes a summary of two pages).

The summary (templates/summary.html) is a grid: a row per compare question, a row of
benefits and a row of risks, a column per option, at 10 pt at the smallest. The model
counts lines the way the page wraps them, with a little to spare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..content.models import Aid, Benefit
from .findings import Collector

MAX_OPTIONS = 4
# Letter or A4 at 10 pt, after the masthead, the grid's caption and header, and the
# SURE questions and the link to the full handout: lines left for the grid's rows.
GRID_LINES = 30
TEXT_WIDTH_EM = 52  # the page's text width in ems of 10 pt type (A4, the narrower)
ROW_HEADER = 0.21  # share of the width taken by the questions' column
CHAR_EM = 0.5  # average width of a character, in ems
CHANCE_CHARS = 38  # ": about 850 in 1,000 (780 to 900), ; very common" without the time frame


@dataclass(frozen=True)
class Row:
    loc: tuple[str | int, ...]
    label: str
    lines: int


def summary_fit(aid: Aid, c: Collector) -> None:
    """Warn (`summary-too-long`) when the summary cannot fit on one page, naming the row
    that takes the most room."""
    options = len(aid.options)
    if options > MAX_OPTIONS:
        c.add(
            "warning",
            "summary-too-long",
            f"{options} options: the one-page summary has room for {MAX_OPTIONS} columns; "
            "combine options or leave the summary out of the consult",
            ("options",),
        )
        return
    rows = _rows(aid)
    total = sum(row.lines for row in rows)
    if total > GRID_LINES:
        worst = max(rows, key=lambda row: row.lines)
        c.add(
            "warning",
            "summary-too-long",
            f"the one-page summary needs about {total} lines for its table, more than the "
            f"{GRID_LINES} a page holds at 10 pt; shorten {worst.label} (about "
            f"{worst.lines} lines) or the other long answers",
            worst.loc,
        )


def _rows(aid: Aid) -> list[Row]:
    width = TEXT_WIDTH_EM * (1 - ROW_HEADER) / len(aid.options) - 1  # minus cell padding
    per_line = max(int(width / CHAR_EM), 8)
    header_per_line = int((TEXT_WIDTH_EM * ROW_HEADER - 1) / CHAR_EM)
    rows = []
    for i, row in enumerate(aid.compare):
        lines = max(
            _lines(row.question, header_per_line),
            *(_lines(answer, per_line) for answer in row.answers.values()),
        )
        rows.append(Row(("compare", i), f"the answers to '{row.question}'", lines))
    if any(option.recovery for option in aid.options):
        cells = [" ".join(f"{s.at}: {s.what}" for s in o.recovery) for o in aid.options]
        longest = max(range(len(cells)), key=lambda k: len(cells[k]))
        rows.append(
            Row(
                ("options", longest, "recovery"),
                f"the recovery of '{aid.options[longest].id}'",
                max(_lines(cell, per_line) for cell in cells),
            )
        )
    for kind, label in (("benefits", "the benefits"), ("risks", "the risks")):
        cells = [getattr(option, kind) for option in aid.options]
        lines = max(sum(_item_lines(item, per_line) for item in cell) or 1 for cell in cells)
        longest = max(
            range(len(cells)), key=lambda k: sum(_item_lines(i, per_line) for i in cells[k])
        )
        rows.append(
            Row(("options", longest, kind), f"{label} of '{aid.options[longest].id}'", lines)
        )
    return rows


def _item_lines(item: Benefit, per_line: int) -> int:
    label = getattr(item, "name", None) or item.text
    extra = CHANCE_CHARS + len(item.chance.timeframe) if item.chance else 20
    return _lines("xx" + label, per_line, extra)


def _lines(text: str, per_line: int, extra: int = 0) -> int:
    return max(1, math.ceil((len(text) + extra) / per_line))
