"""The plain-language glossary: which terms a handout uses, and linking their first use."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
        if self._glossary._pattern is None or not self._pending:
            return Markup(html)  # noqa: S704 - escaped or already safe
        return Markup(_TextNodes(self._link_text).rewrite(html))  # noqa: S704 - see _TextNodes

    def _link_text(self, text: str) -> str:
        """One text node (entities decoded) as HTML, with the first use of terms linked."""
        pattern = self._glossary._pattern
        out: list[str] = []
        last = 0
        for match in pattern.finditer(text) if pattern else ():
            term = self._glossary._by_word[match.group(1).casefold()]
            if term not in self._pending:
                continue
            self._pending.discard(term)
            out.append(str(escape(text[last : match.start()])))
            # The macro gets the words escaped and marked safe.
            out.append(str(self._markup(term.anchor, escape(match.group(0)))))
            last = match.end()
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


def _slug(text: str) -> str:
    """An anchor from a term in any script ("blefaroplastia", "جبيرة")."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-") or "term"
