"""What an SVG picture refers to: the files its `<image href>`, `<use href>`, `url(...)`
and `@import` name, each with its line.

A browser shows an SVG through `<img>` and fetches nothing it names, but the PDF
renderer does: an SVG can pull a file into the PDF. So a picture may refer only to a
file inside the content root, named plainly (a `file:` URL with no query and no
fragment, which different readers take apart differently: `inner.jpg#/../../etc/passwd`
is `inner.jpg` to urllib and a path through a folder `inner.jpg#` to the kernel), and
what it refers to is part of what the handout is made from (output/inputs.py).
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

# Attribute values and text that may carry a URL a renderer fetches.
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LOCAL = ("#", "data:")  # a part of this picture, or bytes carried inline


@dataclass(frozen=True)
class Reference:
    """One URL an SVG names, at its line, and the file it leads to (None: not a file
    inside the root, or not named plainly: then `problem` says why)."""

    line: int
    url: str
    file: Path | None
    problem: str | None


def references(data: bytes, root: Path) -> list[Reference]:
    """Every URL the SVG `data` names that a renderer could fetch, in order. An SVG that
    does not parse names nothing here (the renderer cannot read it either)."""
    found: list[tuple[int, str]] = []
    parser = expat.ParserCreate()
    parser.buffer_text = True  # one call for a whole text, not one a line

    def start(_name: str, attributes: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        for key, value in attributes.items():
            if key.rsplit(" ", 1)[-1].rsplit(":", 1)[-1] == "href":
                found.append((line, value.strip()))
            found.extend((line, url) for url in _urls(value))

    def text(value: str) -> None:
        found.extend((parser.CurrentLineNumber, url) for url in _urls(value))

    def instruction(_target: str, value: str) -> None:  # <?xml-stylesheet href="..."?>
        for match in re.finditer(r"""href\s*=\s*["']([^"']*)""", value):
            found.append((parser.CurrentLineNumber, match[1]))

    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    # What was read before a fault is still listed.
    with contextlib.suppress(expat.ExpatError, ValueError, RecursionError):
        parser.Parse(data, True)
    return [_reference(line, url, root) for line, url in found if _fetched(url)]


def _urls(value: str) -> list[str]:
    if "url(" not in value.lower() and "@import" not in value.lower():
        return []
    found = [next(g for g in m.groups() if g is not None) for m in _URL.finditer(value)]
    found += [next(g for g in m.groups() if g is not None) for m in _IMPORT.finditer(value)]
    return [u.strip() for u in found]


def _fetched(url: str) -> bool:
    return bool(url) and not url.lower().startswith(_LOCAL)


def _reference(line: int, url: str, root: Path) -> Reference:
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        # Not followed: a relative URL has no base in an embedded picture, and the
        # renderer fetches nothing from the network.
        return Reference(line, url, None, None)
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return Reference(line, url, None, PLAIN)
    path = unquote(parts.path)
    if parts.netloc.lower() not in ("", "localhost") or "\0" in path or not path:
        return Reference(line, url, None, OUTSIDE)
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(root.resolve()):
        return Reference(line, url, None, OUTSIDE)
    return Reference(line, url, real, None)


OUTSIDE = (
    "refers to a file outside the content root: a picture may use only pictures "
    "inside the content root (copy the file in, or draw it into this picture)"
)
PLAIN = (
    "refers to a file with '?' or '#' in its address, which programs read as different "
    "files: name the file plainly (file:///path/to/picture.png)"
)
