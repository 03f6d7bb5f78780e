"""A fact said once: every chance a patient reads is printed from a figure.

A chance written by hand ("8 in 10", "20%", "one in five") is a second copy of a
figure, which drifts from it and never follows the patient's group in a personal copy.
So, in every text a patient reads:
- a `{id}` must name a benefit or risk that has a chance (`unknown-figure`, error);
- a chance written by hand that no figure of the aid has is an error
  (`chance-not-a-figure`); one a figure has is a warning that names the figure to refer
  to, said differently when it is written out of another denominator than the
  handout's (`chance-other-denominator`) than when it is the same
  (`chance-written-by-hand`);
- a hope's hand-written answer may not state a chance at all (`why-states-a-chance`):
  a hope a figure measures names it and its answer is derived.
Other numbers (days, weeks, degrees, doses) are not chances and stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..content.models import Aid, OutcomeRef
from ..content.texts import TextItem, patient_texts
from ..handout.figures import REFERENCE
from ..handout.risk import denominator
from .findings import Collector
from .language import clip, sentence_line

# `(?<!...)`: a number starts where its first digit is, never inside it (else a 30,000-
# digit number takes quadratic time: every digit starts a new attempt).
_DIGITS = r"(?<![\d.,\u066c\u00a0\u202f])(\d[\d.,\u066c\u00a0\u202f]*)"
_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a hundred": 100, "one hundred": 100,
    "a thousand": 1000, "one thousand": 1000,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "cien": 100, "mil": 1000,
}  # fmt: skip
_WORDS = "|".join(sorted((re.escape(w) for w in _SMALL), key=len, reverse=True))
_NUMBER = rf"(?:{_DIGITS}|\b({_WORDS})\b)"
_BETWEEN = r"(?:in(?:\s+every)?|out\s+of|de\s+cada|de\s+un\s+total\s+de|من\s+كل|من\s+أصل)"
_TIME = r"(?:hours?|days?|weeks?|months?|years?|minutes?|horas?|días?|semanas?|meses|mes|años?)"
# "8 in 10", "one in five", "8 de cada 10", "٨ من كل ١٠"; not "1 in 2 weeks".
_IN = re.compile(rf"{_NUMBER}\s+{_BETWEEN}\s+{_NUMBER}(?!\s+{_TIME}\b)", re.IGNORECASE)
# "20%", "20 %", "20 per cent", "20 por ciento", "٢٠٪".
_PERCENT = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:%|٪|per\s?cent\b|percent\b|por\s+ciento\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Written:
    """A chance written by hand in a text."""

    words: str  # as written
    share: Fraction
    per: int  # the denominator it is written out of (100 for a percentage)


def written_chances(text: str) -> list[Written]:
    """The chances written by hand in `text` (a `{id}` is no chance written by hand)."""
    text = REFERENCE.sub(" ", text)
    found = []
    for m in _IN.finditer(text):
        count, per = _value(m[1], m[2]), _value(m[3], m[4])
        if count is not None and per and count <= per:
            found.append(Written(m[0], Fraction(count, per), per))
    for m in _PERCENT.finditer(text):
        number = m[1].replace(",", ".")
        share = Fraction(number) / 100
        if share <= 1:
            found.append(Written(m[0], share, 100))
    return found


def _value(digits: str | None, word: str | None) -> int | None:
    if word:
        return _SMALL[" ".join(word.lower().split())]
    return _whole(digits or "")


def _whole(number: str) -> int | None:
    """ "1,000", "1.000", "1 000" and Arabic "١٠" are whole numbers; "7.5" is not."""
    digits = re.sub(r"[.,\u066c\u00a0\u202f](?=\d{3}(?:\D|$))", "", number.rstrip(".,"))
    return int(digits) if digits.isdigit() else None


def chances(aid: Aid, c: Collector) -> None:
    """References to figures, and chances written by hand, in every patient text."""
    figures = aid.figures()
    per = denominator(aid.chances())
    shares = _shares(aid)
    for item in patient_texts(aid):
        _references(item, figures, c)
        for written in written_chances(item.text):
            _written(item, written, shares.get(written.share), per, c)


def _shares(aid: Aid) -> dict[Fraction, OutcomeRef]:
    """Each chance the aid's figures give (the groups' too), with the outcome that gives
    it; the first outcome in handout order wins. A range's ends are not figures of their
    own: "15 in 100" for a figure of 20 (15 to 25) is a second, different number."""
    found: dict[Fraction, OutcomeRef] = {}
    for ref in aid.outcomes():
        for chance in (ref.item.chance, *(g.chance for g in ref.item.groups)):
            if chance is None:
                continue
            found.setdefault(Fraction(chance.count, chance.per), ref)
    return found


def _references(item: TextItem, figures: dict[str, OutcomeRef], c: Collector) -> None:
    for m in REFERENCE.finditer(item.text):
        ref = figures.get(m[1])
        if ref is not None and ref.item.chance is not None:
            continue
        if ref is None:
            known = ", ".join(figures) or "none yet: give a benefit or risk an id"
            message = f"'{{{m[1]}}}' names no figure: use the id of a benefit or risk ({known})"
        else:
            message = f"'{{{m[1]}}}' names '{clip(ref.label, 40)}', which has no chance"
        c.add("error", "unknown-figure", message, item.loc, _line(c, item, m[0]))


def _written(
    item: TextItem, written: Written, ref: OutcomeRef | None, per: int, c: Collector
) -> None:
    line = _line(c, item, written.words)
    if item.loc[:1] == ("goals",) and item.loc[-1] == "why":
        key = ref.item.id if ref and ref.item.id else "ID"
        c.add(
            "error",
            "why-states-a-chance",
            f"'{written.words}' is a chance written in a hope's answer: name the figure "
            f"(figure: {key}, without answer) so the answer and its number are derived "
            f"from it, or refer to it as {{{key}}}; the patient's group's figure is then "
            "printed in a personal copy",
            item.loc,
            line,
        )
        return
    if ref is None:
        c.add(
            "error",
            "chance-not-a-figure",
            f"'{written.words}' is a chance no figure of this aid has: give it as a benefit's "
            "or risk's chance (with its source), then refer to it by id, like {its-id}",
            item.loc,
            line,
        )
        return
    refer = f"{{{ref.item.id}}}" if ref.item.id else "{ID} (give it an id first)"
    what = f"'{clip(ref.label, 40)}'"
    if written.per != per:
        code = "chance-other-denominator"
        message = (
            f"'{written.words}' is written out of {written.per:,}, but this handout shows "
            f"every chance out of {per:,}: refer to the figure of {what} as {refer}"
        )
    else:
        code = "chance-written-by-hand"
        message = (
            f"'{written.words}' repeats the figure of {what} by hand: refer to it as "
            f"{refer}, so the number is printed from the figure (the patient's group's in "
            "a personal copy)"
        )
    c.add("warning", code, message, item.loc, line)


def _line(c: Collector, item: TextItem, words: str) -> int:
    return sentence_line(c.data, item.loc, item.text, words)
