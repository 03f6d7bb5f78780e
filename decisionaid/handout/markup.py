"""Markdown fields → safe HTML fragments.

Python-Markdown passes raw HTML through untouched, so its output goes through an
allow-list sanitiser (nh3): no script, style, iframe, event handler, image or
`javascript:` URL survives. A link other than `https:`, `http:`, `mailto:` or `tel:`
(content/links.py) is turned into its words, and the sanitiser drops any such `href` left.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup, escape

from ..content.links import SCHEMES, SafeLinks, keep_allowed

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = set(SCHEMES)

# A heading inside a field would break the handout's heading order: keep its words
# as a bold paragraph instead.
_HEADING_OPEN = re.compile(r"<h[1-6](\s[^>]*)?>")
_HEADING_CLOSE = re.compile(r"</h[1-6]>")


def to_html(text: str) -> Markup:
    """Render one Markdown field and sanitise the result."""
    try:
        html = markdown.markdown(text, extensions=["sane_lists", SafeLinks()])
    except RecursionError:  # nesting the model's limits did not foresee: plain text
        html = f"<p>{escape(text)}</p>"
    html = _HEADING_CLOSE.sub("</strong></p>", _HEADING_OPEN.sub("<p><strong>", html))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=keep_allowed,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised just above
