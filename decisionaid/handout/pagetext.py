"""A printed page's text, read from its HTML: the elements, each one's words as
(text, bold) runs, and a paragraph's words measured once with the fonts' widths
(textwidth.py), so that its lines can be counted at any width the way the page wraps
them. What the one-page summary's model (onepage.py) is made of.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .textwidth import TextWidth

SLACK = 0.02  # em: a line that fits by less than this is taken as full


def parse(html: str) -> Node:
    """The page's elements (its <head> left out)."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


@dataclass
class Node:
    tag: str
    classes: frozenset[str]
    children: list[Node | str] = field(default_factory=list)

    def elements(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def find(self, tag: str, cls: str | None = None) -> Node | None:
        for child in self.elements():
            if child.tag == tag and (cls is None or cls in child.classes):
                return child
            found = child.find(tag, cls)
            if found is not None:
                return found
        return None

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.elements():
            found += [child] if child.tag == tag else child.find_all(tag)
        return found


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
_SKIP = {"head", "style", "script", "title"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", frozenset())
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in _SKIP:
            self.skipping += tag not in _VOID
            return
        node = Node(tag, frozenset((dict(attrs).get("class") or "").split()))
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag not in _VOID
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


_BOLD_TAGS = {"strong", "b", "th", "h1", "h2", "h3", "caption"}
_BOLD_CLASSES = {"label", "draft-mark", "clinic-line", "prepared"}
BREAK = ("\n", False)


def runs(node: Node, bold: bool = False) -> list[tuple[str, bool]]:
    """The node's text as (text, bold) runs; a <br> as a forced line break."""
    bold = bold or node.tag in _BOLD_TAGS or bool(node.classes & _BOLD_CLASSES)
    found: list[tuple[str, bool]] = []
    for child in node.children:
        if isinstance(child, str):
            found.append((child.replace("\n", " "), bold))
        elif child.tag == "br":
            found.append(BREAK)
        elif child.tag != "img":
            found += runs(child, bold)
    return found


class Para:
    """One paragraph's words, measured once: (width, width of the space after) in ems,
    None for a forced line break; `extra`: how much taller than the line height its
    lines grow where a fallback font sits on another baseline."""

    def __init__(self, words: list[tuple[str, bool]], tw: TextWidth, url: bool = False) -> None:
        self.pieces: list[tuple[float, float] | None] = []
        self.extra = 0.0
        word, last, open_word = 0.0, "", False
        for text, bold in words:
            if (text, bold) == BREAK:
                if open_word:
                    self.pieces.append((word, 0.0))
                self.pieces.append(None)
                word, open_word = 0.0, False
                continue
            for token in re.findall(r"\s+|\S+", text):
                if token.isspace():
                    if open_word:
                        self.pieces.append((word, tw.space(last, bold)))
                        word, open_word = 0.0, False
                    continue
                # A web address may break after a slash or a hyphen.
                parts = re.findall(r"[^/-]+[/-]*|[/-]+", token) if url else [token]
                for k, part in enumerate(parts):
                    width, extra = tw.measure(part, bold)
                    word, last, open_word = word + width, part, True
                    self.extra = max(self.extra, extra)
                    if k < len(parts) - 1:
                        self.pieces.append((word, 0.0))
                        word, open_word = 0.0, False
        if open_word:
            self.pieces.append((word, 0.0))
        self._lines: dict[float, int] = {}

    def lines(self, width: float) -> int:
        """Lines it takes in a box `width` ems wide: greedy, as the page wraps (a word
        wider than the box breaks anywhere)."""
        width = round(max(width, 0.5), 2)
        found = self._lines.get(width)
        if found is None:
            found = self._lines[width] = self._count(width)
        return found

    def _count(self, width: float) -> int:
        lines, x, pending, started = 0, 0.0, 0.0, False
        for piece in self.pieces:
            if piece is None:  # <br>: what follows starts a line (a leading one is empty)
                lines += not started
                x, pending, started = 0.0, 0.0, False
                continue
            word, space = piece
            if started and x + pending + word <= width - SLACK:
                x += pending + word
            else:
                extra = max(0, math.ceil(word / width - 1e-9) - 1)  # a word wider than the box
                lines += 1 + extra
                x, started = word - extra * width, True
            pending = space
        return lines
