"""The words agree with the numbers: a frequency word in an outcome's own text must not
contradict the fixed scale word that the handout prints beside its chance.

"This is very rare" next to a chance the scale calls "uncommon" tells the patient two
things at once; the number is the one backed by evidence, so the word must go.
"""

from __future__ import annotations

import re

from ..content.models import Aid, Benefit, Chance
from ..content.texts import patient_texts
from ..handout.figures import REFERENCE
from ..handout.risk import SCALE, scale_word
from .findings import Collector
from .language import sentence_line
from .readability import sentences

BANDS = tuple(key for key, _ in SCALE)  # very_common, common, uncommon, rare, very_rare


def _from(first: str, last: str = "") -> frozenset[str]:
    """The scale bands from `first` to `last` (to the end of the scale by default)."""
    start = BANDS.index(first)
    return frozenset(BANDS[start : BANDS.index(last) + 1 if last else None])


VERY_COMMON = _from("very_common", "very_common")
COMMON_OR_MORE = _from("very_common", "common")
# Each word allows its own band and those beyond it in the same direction: "common"
# next to "very common" does not contradict, "common" next to "rare" does.
FREQUENCY_WORDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("very common", "extremely common", "most people", "most patients", "almost always",
         "nearly always", "usually", "in most cases", "the majority"),
        VERY_COMMON,
    ),
    **dict.fromkeys(
        ("common", "commonly", "often", "frequently", "many people", "many patients"),
        COMMON_OR_MORE,
    ),
    **dict.fromkeys(("few people", "few patients"), _from("common")),
    **dict.fromkeys(("uncommon", "uncommonly", "seldom", "infrequently"), _from("uncommon")),
    **dict.fromkeys(("rare", "rarely", "almost never", "hardly ever"), _from("rare")),
    **dict.fromkeys(("very rare", "very rarely", "extremely rare"), _from("very_rare")),
}  # fmt: skip
_WORD = re.compile(
    r"\b(?:"
    + "|".join(
        r"\s+".join(map(re.escape, phrase.split()))
        for phrase in sorted(FREQUENCY_WORDS, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)
# Adjectives that say how often a symptom comes ("frequent headaches") or what it is
# like ("an unusual shape") are not in the list.
# "not common" means the other bands.
_NEGATED = re.compile(r"\b(?:not|\w+n['’]t)\s+(?:an?\s+)?$", re.IGNORECASE)
# Skipped rather than guessed at: words that compare or hedge ("more common", "as common
# as", "fairly rare"), and a negation a few words back ("does not happen often"), which
# may or may not reach the word.
_HEDGED = re.compile(
    r"\b(?:more|less|most|least|as|so|too|how|fairly|quite|rather|relatively)\s+$",
    re.IGNORECASE,
)
_NEGATION_NEAR = re.compile(r"\b(?:not|never|no|\w+n['’]t)\s+(?:[\w'’]+\s+){1,2}$", re.IGNORECASE)


def scale_words(aid: Aid, c: Collector) -> None:
    """Warn where an outcome's name or text uses a frequency word that its chance's
    scale word contradicts, and where any sentence that names a figure (`{id}`) does so
    for that figure. English only: the word list is English."""
    if not aid.language.lower().startswith("en"):
        return
    for ref in aid.outcomes():
        if ref.item.chance is not None:
            _outcome(ref.item, ref.loc, c)
    figures = aid.figures()
    for item in patient_texts(aid):
        for sentence in sentences(item.text):
            for key in dict.fromkeys(REFERENCE.findall(sentence)):
                named = figures.get(key)
                if named is not None and named.item.chance is not None:
                    _said(named.item.chance, sentence, item.text, item.loc, c)


def _outcome(item: Benefit, loc: tuple, c: Collector) -> None:
    assert item.chance is not None  # scale_words passes only outcomes with a chance
    for field in ("name", "text"):
        text: str = getattr(item, field, None) or ""
        for sentence in sentences(text):
            if not REFERENCE.search(sentence):  # a named figure is judged by its own
                _said(item.chance, sentence, text, (*loc, field), c)


def _said(chance: Chance, sentence: str, text: str, loc: tuple, c: Collector) -> None:
    """Warn for each frequency word of `sentence` that `chance`'s band contradicts."""
    band = scale_word(chance.count, chance.per)
    for phrase in contradictions(sentence, band):
        c.add(
            "warning",
            "word-contradicts-scale",
            f"'{phrase}' does not agree with the chance ({chance.count} in "
            f"{chance.per:,}), which the handout calls '{band.replace('_', ' ')}'; "
            "use a word that agrees, or leave the word out",
            loc,
            sentence_line(c.data, loc, text, sentence),
        )


_LOOK_BACK = 60  # characters


def _neighbour(bands: frozenset[str]) -> str:
    """The band next to a "very" word's own: below "very common", above "very rare"."""
    ends = sorted(BANDS.index(band) for band in bands)
    return BANDS[ends[-1] + 1] if ends[-1] + 1 < len(BANDS) else BANDS[ends[0] - 1]


def contradictions(sentence: str, band: str) -> list[str]:
    """The frequency words of a sentence that do not fit the scale band `band`."""
    found = []
    for match in _WORD.finditer(sentence):
        # A negation or hedge stands a few words back: looking further would make a
        # sentence full of frequency words take quadratic time.
        before = sentence[max(0, match.start() - _LOOK_BACK) : match.start()]
        phrase = " ".join(match.group(0).split())
        allowed = own = FREQUENCY_WORDS[phrase.lower()]
        negation = _NEGATED.search(before)
        if negation:  # "not common": the other bands
            phrase = f"{before[negation.start() :]}{phrase}"
            allowed = frozenset(BANDS) - allowed
            if "very" in match.group(0).lower().split():
                # "Not very common" above the scale's "Common.": a patient reads it as
                # rarer than the word printed beside it, so the next band is out too.
                allowed -= {_neighbour(own)}
        elif _HEDGED.search(before) or _NEGATION_NEAR.search(before):
            continue
        if band not in allowed:
            found.append(phrase)
    return found
