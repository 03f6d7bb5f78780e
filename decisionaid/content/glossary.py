"""The plain-language glossary: which terms a handout uses, and linking their first use."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .models import GlossaryEntry

_TAG = re.compile(r"(<[^>]*>)")


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
        # Longest first, so "dry eye syndrome" wins over "dry eye".
        alternatives = sorted(self._by_word, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(w) for w in alternatives) + r")(?![\w-])",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    def find(self, text: str) -> list[Term]:
        """The terms used in `text`, in order of first appearance."""
        if self._pattern is None:
            return []
        found = (self._by_word[m.group(1).casefold()] for m in self._pattern.finditer(text))
        return list(dict.fromkeys(found))

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
    "first" means first on the page. Text inside existing links is left alone.
    """

    def __init__(
        self, glossary: Glossary, terms: set[Term], markup: Callable[[str, str], str]
    ) -> None:
        self._glossary = glossary
        self._pending = terms
        self._markup = markup

    def __call__(self, text: str) -> Markup:
        html = str(text) if isinstance(text, Markup) else str(escape(text))
        pattern = self._glossary._pattern
        if pattern is None or not self._pending:
            return Markup(html)  # noqa: S704 - escaped or already safe
        out: list[str] = []
        in_link = 0
        for part in _TAG.split(html):
            if part.startswith("<"):
                if part.startswith("<a"):
                    in_link += 1
                elif part.startswith("</a"):
                    in_link -= 1
                out.append(part)
            elif in_link:
                out.append(part)
            else:
                out.append(pattern.sub(self._link, part))
        return Markup("".join(out))  # noqa: S704 - only our own tags were added

    def _link(self, match: re.Match[str]) -> str:
        term = self._glossary._by_word[match.group(1).casefold()]
        if term not in self._pending:
            return match.group(0)
        self._pending.discard(term)
        # The words matched are already escaped HTML: mark them safe for the macro.
        return str(self._markup(term.anchor, Markup(match.group(0))))  # noqa: S704


def _slug(text: str) -> str:
    """An anchor from a term in any script ("blefaroplastia", "جبيرة")."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-") or "term"
