"""Which links a Markdown field may hold: `https:`, `http:`, `mailto:` and `tel:` only.

A relative link (`[x](.)`, `/etc/passwd`, `//host/share`) has no meaning on paper and,
resolved against the build folder, becomes a `file://` link in the PDF that leaks the
build path or points readers at a network share; `file:` and `javascript:` are worse.
Validation reports every other link at its line (content/validate.py), and rendering
drops it (handout/markup.py), so a handout never holds one.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

SCHEMES = frozenset({"https", "http", "mailto", "tel"})
# Schemes that name a place on the web: they need a host ("https:/x" has none).
_WEB = frozenset({"https", "http"})


def allowed_link(href: str) -> bool:
    """Whether a link target (entities decoded) may be linked in a handout."""
    target = href.strip()
    try:
        parts = urlsplit(target)
    except ValueError:  # "http://[" and other broken hosts
        return False
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return False
    if scheme in _WEB:
        return bool(parts.netloc) and target.lower().startswith(f"{scheme}://")
    return bool(parts.path)


def refused_links(text: str) -> list[str]:
    """The link targets of a Markdown field (Markdown links and raw `<a href>`) that may
    not be linked, in order."""
    try:
        rendered = markdown.markdown(text, extensions=["sane_lists"])
    except RecursionError:  # nesting the model's limits did not foresee: not linked
        return []
    finder = _Hrefs()
    finder.feed(rendered)
    finder.close()
    return [href for href in finder.hrefs if not allowed_link(href)]


class _Hrefs(HTMLParser):
    """Collects the `href` of every `<a>` (attribute values come entity-decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [html.unescape(v or "") for k, v in attrs if k == "href"]

    handle_startendtag = handle_starttag


def keep_allowed(element: str, attribute: str, value: str) -> str | None:
    """An nh3 attribute filter: drops an `href` that is not an allowed link (the last
    guard: raw HTML links never reach the Markdown tree)."""
    if attribute == "href" and not allowed_link(html.unescape(value)):
        return None
    return value


class _TextOnly(Treeprocessor):
    """Turns a Markdown link that may not be linked into its words (a `<span>`, which
    the sanitiser then unwraps)."""

    def run(self, root: Any) -> None:  # Python-Markdown's ElementTree
        for element in root.iter("a"):
            href = html.unescape(element.get("href", "").replace(AMP_SUBSTITUTE, "&"))
            if not allowed_link(href):
                element.tag = "span"
                element.attrib.clear()


class SafeLinks(Extension):
    """Python-Markdown extension: links other than SCHEMES are text only."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - its API
        md.treeprocessors.register(_TextOnly(md), "safe_links", 0)
