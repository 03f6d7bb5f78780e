"""The words a patient reads on the printed handout, taken from its rendered HTML: the
aid's own text and the template's (headings, labels, the key to the chances, the
worksheets), which the reading level is measured over.

The printed page is what the patient keeps, so what only the screen shows (the
interactive quiz answers, the print panel, the link to the PDF: class `screen-only`)
is left out and what only print shows (the quiz answers at the end) is kept; so is
what no one sees (the `<head>`, scripts, styles, `hidden` elements, text only a screen
reader reads, and the pictures' `<svg>`, whose titles repeat the caption beside them).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose text (and whose children's) no reader of the page sees.
_UNSEEN = frozenset({"head", "script", "style", "template", "svg", "noscript", "textarea"})
# Left out as well: the list of sources, citations written for checking the evidence,
# not sentences written for the patient (as the aid's `sources` are not in its own text).
_UNSEEN_CLASSES = frozenset({"screen-only", "visually-hidden", "sources"})
# Elements that end a block of text: a heading, a paragraph and a table cell are read
# apart, as the sentences they are (a heading with no full stop is one).
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details",
        "div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "label", "li", "main", "nav", "ol", "p", "section",
        "summary", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Lines of a picture's caption, each shown on a line of its own (handout.css): the chance,
# its scale word, each group's figure, each key of the legend.
_BLOCK_CLASSES = frozenset({"chance-words", "scale-line", "everyone", "group-line", "key"})
# Elements with no end tag: they never hold text, so they never open a hidden run.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, hides its content, a block)

    def _hidden(self) -> bool:
        return any(hides for _, hides, _ in self._open)

    def _end_block(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        classes = set((named.get("class") or "").split())
        block = tag in _BLOCKS or bool(classes & _BLOCK_CLASSES)
        if block and not self._hidden():
            self._end_block()
        if tag in _VOID:
            return
        hides = tag in _UNSEEN or "hidden" in named or bool(classes & _UNSEEN_CLASSES)
        self._open.append((tag, hides, block))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching tag: HTML lets some end tags be left out.
        block = tag in _BLOCKS
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                block = block or self._open[i][2]
                del self._open[i:]
                break
        if block and not self._hidden():
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self._current.append(data)


def page_text(html: str) -> list[str]:
    """The printed handout's text, one string per block (heading, paragraph, item, cell)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader._end_block()
    return reader.blocks
