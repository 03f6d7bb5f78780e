"""How sure each figure is, as the check sees it: every figure has a certainty (IPDAS's
item on the quality of the evidence), and a benefit is not promised ("will", "always")
beside a figure the evidence is unsure of.

GRADE's plain-language convention ties the verb to the certainty: high "does",
moderate "probably does", low "may", very low "we do not know whether". The handout
prints the certainty in words beside the figure; the words of the outcome itself must
not say more.
"""

from __future__ import annotations

import re

from ..content.certainty import UNSURE
from ..content.certainty_rules import FigureRef, figures
from ..content.models import Aid
from .findings import Collector
from .language import sentence_line
from .readability import sentences

# Words that state an outcome as certain (English aids only).
_CERTAIN = re.compile(
    r"\b(?:will|won['’]t|always|definitely|certainly|surely|for sure|guaranteed?|guarantees|"
    r"without (?:a )?doubt|never fails?)\b",
    re.IGNORECASE,
)


def missing_certainty(aid: Aid) -> list[tuple[tuple, str]]:
    """(where, message) of each figure without a certainty."""
    return [
        (
            figure.loc,
            f"{figure.label}: the figure does not say how sure it is; add certainty: high, "
            "moderate, low or very_low (and certainty_why: the reason, in a patient's words)",
        )
        for figure in figures(aid)
        if figure.chance.certainty is None
    ]


def certain_words(aid: Aid, c: Collector) -> None:
    """Warn where a benefit's own words promise it ("will", "always") beside a figure of
    low or very low certainty. English only: the word list is English."""
    if not aid.language.lower().startswith("en"):
        return
    unsure: dict[tuple, FigureRef] = {}
    for figure in figures(aid):
        if figure.outcome.kind == "benefits" and figure.chance.certainty in UNSURE:
            unsure.setdefault(figure.outcome.loc, figure)
    for loc, figure in unsure.items():
        text = figure.outcome.item.text
        for sentence in sentences(text):
            found = sorted({" ".join(m[0].lower().split()) for m in _CERTAIN.finditer(sentence)})
            if not found:
                continue
            words = ", ".join(f"'{word}'" for word in found)
            level = (figure.chance.certainty or "").replace("_", " ")
            c.add(
                "warning",
                "certain-words",
                f"{words} states this benefit as certain, but the evidence for its figure "
                f"is of {level} certainty: say what may happen ('may', 'can'), as sure as "
                "the evidence is",
                (*loc, "text"),
                sentence_line(c.data, (*loc, "text"), text, sentence),
            )
