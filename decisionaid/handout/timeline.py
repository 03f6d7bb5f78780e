"""A recovery timeline's geometry: points on a log-like scale of time, so that near
times read as near and far as far (a day and a week apart, a month and a year too).

The words ("After 2 weeks") and the drawing are in the templates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..content.models import RecoveryStep

WIDTH, HEIGHT = 640, 64  # SVG units
MARGIN = 48  # room for the first and last labels
LINE_Y = 32


@dataclass(frozen=True)
class Point:
    amount: float
    unit: str  # hour | day | week | month | year
    what: str
    x: float
    above: bool  # labels alternate above and below the line, so close ones never collide

    @property
    def number(self) -> int | float:
        return int(self.amount) if self.amount == int(self.amount) else self.amount


@dataclass(frozen=True)
class Timeline:
    points: tuple[Point, ...]
    width: int = WIDTH
    height: int = HEIGHT
    line_y: int = LINE_Y


def timeline(steps: list[RecoveryStep]) -> Timeline | None:
    """The timeline of an option's recovery steps (already checked to be in time order)."""
    if not steps:
        return None
    scale = [math.log1p(step.days * 24) for step in steps]  # hours, so an hour still counts
    low, high = scale[0], scale[-1]
    span = WIDTH - 2 * MARGIN
    points = []
    for k, (step, t) in enumerate(zip(steps, scale, strict=True)):
        x = MARGIN + (span * (t - low) / (high - low) if high > low else span / 2)
        points.append(Point(step.amount, step.unit, step.what, round(x, 1), k % 2 == 0))
    return Timeline(tuple(points))
