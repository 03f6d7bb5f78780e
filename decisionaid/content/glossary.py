"""The plain-language glossary: which terms a handout uses, and linking their first use.

A glossary may hold 1,000 entries of 21 words each, and every text of a handout is
searched for all of them. One regular expression of 21,000 alternatives tries each of
them at every place in the text; here the words are a tree of their parts (cut where a
word such as "dry eye syndrome" could end: "dry", " eye", " syndrome"), so each
place in the text costs one look-up per part, however many words there are.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser

from markupsafe import Markup, escape

from .models import GlossaryEntry


@dataclass(frozen=True)
class Term:
    """A glossary entry as the handout shows it."""

    term: str
    definition: str
    anchor: str
    words: tuple[str, ...]


class Glossary:
    """Finds glossary terms and aliases as whole words, whatever their case."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self._by_word: dict[str, Term] = {}
        for entry in entries:
            words = (entry.term, *entry.aliases)
            term = Term(entry.term, entry.definition, "term-" + _slug(entry.term), words)
            for word in words:
                self._by_word.setdefault(word.casefold(), term)
        self.terms = list(dict.fromkeys(self._by_word.values()))
        self._words = _Words(self._by_word)

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Every term and alias, casefolded, and each word of them: what `check` counts
        as defined (made once per glossary, not once per aid)."""
        known = {word.casefold() for term in self.terms for word in term.words}
        return frozenset(known | {part for word in known for part in _WORD.findall(word)})

    def matches(self, text: str) -> Iterator[tuple[int, int, Term]]:
        """Where terms and aliases are used in `text`, as whole words whatever their case,
        the longest where several start at one place ("dry eye syndrome" over "dry eye"):
        (start, end, term), left to right, never overlapping."""
        for start, end, word in self._words.scan(text):
            yield start, end, self._by_word[word]

    def find(self, text: str) -> list[Term]:
        """The terms used in `text`, in order of first appearance."""
        return list(dict.fromkeys(term for _, _, term in self.matches(text)))

    def used_in(self, texts: Iterable[str]) -> list[Term]:
        """The terms used anywhere in `texts`, each once, in alphabetical order."""
        found = {term for text in texts for term in self.find(text)}
        return sorted(found, key=lambda t: t.term.casefold())

    def linker(self, terms: Iterable[Term], markup: Callable[[str, str], str]) -> Linker:
        """A fresh linker for one rendering of one handout; `markup(anchor, words)` writes
        the link (a template macro: the markup stays in the templates)."""
        return Linker(self, set(terms), markup)


class Linker:
    """Links the first use of each term in a handout to its definition.

    Called on each piece of text in document order (from the templates), so
    "first" means first on the page. Only text nodes are looked at, never tags,
    attributes or entities; text inside existing links is left alone.
    """

    def __init__(
        self, glossary: Glossary, terms: set[Term], markup: Callable[[str, str], str]
    ) -> None:
        self._glossary = glossary
        self._pending = terms
        self._markup = markup

    def __call__(self, text: str) -> Markup:
        html = str(text) if isinstance(text, Markup) else str(escape(text))
        if not self._glossary.terms or not self._pending:
            return Markup(html)  # noqa: S704 - escaped or already safe
        return Markup(_TextNodes(self._link_text).rewrite(html))  # noqa: S704 - see _TextNodes

    def _link_text(self, text: str) -> str:
        """One text node (entities decoded) as HTML, with the first use of terms linked."""
        out: list[str] = []
        last = 0
        for start, end, term in self._glossary.matches(text):
            if term not in self._pending:
                continue
            self._pending.discard(term)
            out.append(str(escape(text[last:start])))
            # The macro gets the words escaped and marked safe.
            out.append(str(self._markup(term.anchor, escape(text[start:end]))))
            last = end
        out.append(str(escape(text[last:])))
        return "".join(out)


class _TextNodes(HTMLParser):
    """Rewrites the text nodes of sanitised HTML, outside links, and keeps every tag as
    it was written: a term such as "lt" or "href" is never found inside an entity
    (`&lt;`), a tag or an attribute."""

    def __init__(self, rewrite_text: Callable[[str], str]) -> None:
        super().__init__(convert_charrefs=True)
        self._rewrite_text = rewrite_text
        self._out: list[str] = []
        self._in_link = 0

    def rewrite(self, html: str) -> str:
        self.feed(html)
        self.close()
        return "".join(self._out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_link += tag == "a"
        self._out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_link -= tag == "a" and self._in_link > 0
        self._out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self._out.append(str(escape(data)) if self._in_link else self._rewrite_text(data))

    def handle_comment(self, data: str) -> None:
        self._out.append(f"<!--{data}-->")


# A word ends where the next character is not a letter, digit, `_` or `-` (or at the
# end of the text), and starts where the one before is not.
_NOT_WORD = re.compile(r"[^\w-]")
_WORD = re.compile(r"[\w-]+")


class _Words:
    """A tree of the glossary's words (casefolded), by their parts: a part runs from
    one place where a word could end to the next. `scan` walks it from each place a
    word could start, one part at a time, so its work grows with the text, not with
    the number of words."""

    def __init__(self, words: Iterable[str]) -> None:
        self._next: dict[tuple[int, str], int] = {}  # (node, part) → node
        self._word: dict[int, str] = {}  # node → the word that ends there
        for word in words:
            node, start = 0, 0
            for end in _ends(word):
                part = word[start:end]
                node = self._next.setdefault((node, part), len(self._next) + 1)
                start = end
            self._word[node] = word

    def scan(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, word) of each leftmost-longest use, left to right."""
        if not self._word:
            return
        breaks = [match.start() for match in _NOT_WORD.finditer(text)]
        ends = [*(b for b in breaks if b > 0), len(text)]
        done = 0
        for start in (0, *(b + 1 for b in breaks)):
            if start < done or start >= len(text):
                continue
            found = self._longest(text, start, ends, bisect_right(ends, start))
            if found is not None:
                yield start, found[0], found[1]
                done = found[0]

    def _longest(self, text: str, start: int, ends: list[int], k: int) -> tuple[int, str] | None:
        """The longest word that starts at `start`, walking the tree part by part along
        the places a word may end (`ends[k:]`), and where it ends."""
        node, at, found = 0, start, None
        for index in range(k, len(ends)):
            node = self._next.get((node, text[at : ends[index]].casefold()), 0)
            if not node:
                break
            if node in self._word:
                found = (ends[index], self._word[node])
            at = ends[index]
        return found


def _ends(word: str) -> list[int]:
    """The places in a word where it may end: before each character that is not a
    word character (never before the first), and at its end."""
    return [m.start() for m in _NOT_WORD.finditer(word, 1)] + [len(word)]


def _slug(text: str) -> str:
    """An anchor from a term in any script ("blefaroplastia", "جبيرة")."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-") or "term"
