"""Markdown fields → safe HTML fragments.

Python-Markdown passes raw HTML through untouched, so its output goes through an
allow-list sanitiser (nh3): no script, style, iframe, event handler, image or
`javascript:` URL survives.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# A heading inside a field would break the handout's heading order: keep its words
# as a bold paragraph instead.
_HEADING_OPEN = re.compile(r"<h[1-6](\s[^>]*)?>")
_HEADING_CLOSE = re.compile(r"</h[1-6]>")


def to_html(text: str) -> Markup:
    """Render one Markdown field and sanitise the result."""
    html = markdown.markdown(text, extensions=["sane_lists"])
    html = _HEADING_CLOSE.sub("</strong></p>", _HEADING_OPEN.sub("<p><strong>", html))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised just above
