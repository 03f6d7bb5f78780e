"""Icon-array geometry: where each person stands and how it is drawn.

The SVG itself is written by `templates/icon_array.html` from this geometry.
People are filled row by row from the bottom left (bottom right in a right-to-left
language: `IconArray.for_direction`), affected ones grouped first,
so that a chance is never shown scattered (scattered icons read as larger risks).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .risk import Figure

CELL_W, CELL_H = 12, 19  # one person, in SVG units, with room around it
BLOCK = 10  # people per row of a block; a block holds BLOCK x BLOCK
BLOCKS_ACROSS = 10  # 1,000 people: one row of ten blocks of 100, the width of the page
BLOCK_GAP_X, BLOCK_GAP_Y = CELL_W, CELL_H  # whole cells, so the pattern tiles line up
BAR_W, BAR_H = 400, 28  # 10,000 people are shown as a bar, not as icons


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    affected: bool
    band: bool  # between the low and high ends of the range


@dataclass(frozen=True)
class Run:
    """Neighbouring people in one row drawn alike: one rectangle tiled with a person
    pattern (few elements keep WeasyPrint fast and the PDF small with 1,000 people)."""

    x: int
    y: int
    people: int
    affected: bool
    band: bool

    @property
    def width(self) -> int:
        return self.people * CELL_W


@dataclass(frozen=True)
class IconArray:
    """What the template needs to draw one chance."""

    kind: str  # "icons" or "bar"
    width: int
    height: int
    runs: tuple[Run, ...] = ()
    bar_count: float = 0  # bar: how wide the affected part is
    bar_low: float = 0  # bar: where the range band starts and ends
    bar_high: float = 0
    bar_start: float = 0  # bar: x where the affected part starts

    def for_direction(self, direction: str) -> IconArray:
        """Right to left, the people fill from the bottom right, as the page reads.

        The geometry is mirrored here rather than with an SVG transform: WeasyPrint
        draws pattern-filled shapes under `scale(-1 1)` with the wrong tiles (the PDF
        showed two side-by-side arrays swapped), and the page needs no transform."""
        if direction != "rtl":
            return self
        runs = tuple(replace(r, x=self.width - r.x - r.width) for r in self.runs)
        return replace(
            self,
            runs=runs,
            bar_low=round(self.width - self.bar_high, 2),
            bar_high=round(self.width - self.bar_low, 2),
            bar_start=round(self.width - self.bar_count, 2),
        )


def layout(fig: Figure) -> IconArray:
    """Place `fig.per` people (10, 100 or 1,000), or a bar for 10,000."""
    if fig.per >= 10000:
        return _bar(fig)
    low = fig.low if fig.has_range and fig.low is not None else fig.count
    high = fig.high if fig.has_range and fig.high is not None else fig.count
    blocks = max(1, fig.per // (BLOCK * BLOCK))
    rows_per_block = 1 if fig.per == 10 else BLOCK
    across = min(blocks, BLOCKS_ACROSS)
    block_rows = -(-blocks // across)
    block_w = BLOCK * CELL_W + BLOCK_GAP_X
    block_h = rows_per_block * CELL_H + BLOCK_GAP_Y
    width = across * block_w - BLOCK_GAP_X
    height = block_rows * block_h - BLOCK_GAP_Y
    cells = []
    for k in range(fig.per):
        block, within = divmod(k, BLOCK * rows_per_block)
        row, col = divmod(within, BLOCK)
        block_row, block_col = divmod(block, across)
        x = block_col * block_w + col * CELL_W
        # Count rows from the bottom so that the affected people sit at the bottom left.
        y = height - (block_row * block_h + (row + 1) * CELL_H)
        cells.append(Cell(x, y, affected=k < fig.count, band=low <= k < high))
    return IconArray("icons", width, height, _runs(cells))


def _runs(cells: list[Cell]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for cell in sorted(cells, key=lambda c: (c.y, c.x)):
        last = runs[-1] if runs else None
        if (
            last
            and last.y == cell.y
            and last.x + last.people * CELL_W == cell.x
            and (last.affected, last.band) == (cell.affected, cell.band)
        ):
            runs[-1] = Run(last.x, last.y, last.people + 1, last.affected, last.band)
        else:
            runs.append(Run(cell.x, cell.y, 1, cell.affected, cell.band))
    return tuple(runs)


def _bar(fig: Figure) -> IconArray:
    def at(count: int | None) -> float:
        return round(BAR_W * (count or 0) / fig.per, 2)

    low, high = (fig.low, fig.high) if fig.has_range else (fig.count, fig.count)
    # A thin sliver stays visible however small the chance is.
    count_x = max(at(fig.count), 2.0) if fig.count else 0
    return IconArray("bar", BAR_W, BAR_H, bar_count=count_x, bar_low=at(low), bar_high=at(high))
