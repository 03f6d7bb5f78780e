"""Finding an aid by what staff say: its title, other names, decision, id or language,
in any of its versions and in any language its author gave search words in.

Words are matched as words, never as parts of other words ("es" finds the Spanish
aids, not "release"), whatever their case or accents ("parpado" finds "párpado"). A
word of three letters or more also finds the words it begins ("eyel" finds
"eyelid"). A language is found by its code and by its name in its own words and in
every language the app knows ("ar", "Arabic", "árabe", "العربية"). When nothing
matches, the aids whose words are within one or two letters of what was typed are
offered instead ("rhinoplsty" finds "rhinoplasty"): one letter for words of four to
six letters, two for longer ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..handout.locale import babel_locale

PREFIX_FROM = 3  # letters typed before a word also finds the words it begins
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case and accents folded away: "Párpado" → "parpado"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def language_names(tag: str, readers: Iterable[str]) -> list[str]:
    """A language tag's names: in its own words and in each of `readers`' languages
    ("ar" → "العربية", "Arabic", "árabe")."""
    locale = babel_locale(tag)
    if locale is None:
        return []
    names = [locale.display_name or ""]
    for reader in dict.fromkeys(readers):
        found = babel_locale(reader)
        if found is not None:
            names.append(locale.get_display_name(found) or "")
    return [name for name in names if name]


@dataclass(frozen=True)
class Searchable:
    """One aid as search sees it: the key it is found under, and its words."""

    key: str
    words: frozenset[str]

    @classmethod
    def of(cls, key: str, texts: Iterable[str]) -> Searchable:
        return cls(key, frozenset(w for text in texts for w in words_of(text)))

    def has(self, word: str) -> bool:
        if word in self.words:
            return True
        return len(word) >= PREFIX_FROM and any(w.startswith(word) for w in self.words)

    def distance(self, word: str) -> int | None:
        """How many letters `word` is from the closest of this aid's words, within the
        allowance for its length; None when none is that close."""
        allowed = allowance(word)
        if allowed == 0:
            return 0 if word in self.words else None
        found = [
            Levenshtein.distance(word, w, score_cutoff=allowed)
            for w in self.words
            if abs(len(w) - len(word)) <= allowed
        ]
        best = min(found, default=allowed + 1)
        return best if best <= allowed else None


def allowance(word: str) -> int:
    """Letters a word may be off by and still be found: none below four letters."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 6 else 2


@dataclass(frozen=True)
class Found:
    """What a search found: the keys in order, and whether they are only close matches."""

    keys: tuple[str, ...]
    close: bool = False


def search(items: Iterable[Searchable], query: str) -> Found:
    """Every item holding every word of the query; else the items close to every word."""
    items = list(items)
    wanted = words_of(query)
    if not wanted:
        return Found(tuple(item.key for item in items))
    exact = [item.key for item in items if all(item.has(word) for word in wanted)]
    if exact:
        return Found(tuple(exact))
    scored = []
    for item in items:
        distances = [d for word in wanted if (d := item.distance(word)) is not None]
        if len(distances) == len(wanted):
            scored.append((sum(distances), item.key))
    return Found(tuple(key for _, key in sorted(scored)), close=bool(scored))
