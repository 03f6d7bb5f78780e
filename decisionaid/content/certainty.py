"""How sure the evidence is of one figure: GRADE's four levels of certainty, and why.

A chance, and a group's figure under `for:`, may say `certainty: high | moderate | low
| very_low` and `certainty_why:` (a short reason a patient can read: "Few people were
studied."). The words a patient reads for each level are template text
(`templates/strings.html`), so they translate; this module only knows the levels and
their order. The rules across fields are in certainty_rules.py, the checks that the
words of an outcome agree with it in quality/certainty.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator

# Surest first (GRADE: high, moderate, low, very low).
LEVELS: tuple[str, ...] = ("high", "moderate", "low", "very_low")
# Levels at which a benefit may not be promised ("will", "always").
UNSURE = frozenset({"low", "very_low"})

Level = Literal["high", "moderate", "low", "very_low"]


def _level(value: object) -> object:
    """`very low`, `Very-Low` and `very_low` are one level (authors write it all ways)."""
    if isinstance(value, str):
        key = re.sub(r"[\s\-]+", "_", value.strip().lower())
        if key in LEVELS:
            return key
    return value


Certainty = Annotated[Level, BeforeValidator(_level)]


def rank(level: str) -> int:
    """0 for high, 3 for very low: a larger rank is less sure."""
    return LEVELS.index(level)
