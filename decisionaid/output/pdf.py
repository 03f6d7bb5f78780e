"""HTML → tagged, print-ready PDF with WeasyPrint, fetching nothing it should not.

WeasyPrint reports some PDF/UA problems (a missing alt text) only to its global
logger. One fixed handler routes each record to the render that is running in the
same thread or task (a context variable), so renders at once never hear each other.

The same content gives the same bytes, whenever and wherever it is built. The PDF's
dates (Info ModDate, XMP ModifyDate) are the aid's `updated` date, taken by WeasyPrint
from the page's `dcterms.modified` meta (templates/parts.html): the version date a
clinic sees printed on the handout, never the time of the build. WeasyPrint writes no
document ID and no creation date for a page without `dcterms.created`. The one clock
left is fontTools, WeasyPrint's fallback subsetter where HarfBuzz-Subset is missing: it
stamps each embedded font with the time of saving unless `SOURCE_DATE_EPOCH` is set, so
it is set to 0 (1970-01-01) when the environment has not set it.
"""

from __future__ import annotations

import logging
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from ..content.reading import Unreadable, read_bytes
from ..content.shared_rules import IMAGE_LIMIT, media_type
from ..settings import ContentLayout

_WARNINGS: ContextVar[list[str] | None] = ContextVar("weasyprint_warnings", default=None)


class ContentFetcher(URLFetcher):
    """Serves `data:` URLs and files inside the allowed folders; refuses everything else.

    No network, and no `file://` URL that leads outside the content root or the
    built-in templates (a content file must not be able to pull /etc/passwd into a PDF).
    The file is the one urllib would open: the URL's path without its query and
    fragment, percent-decoded, with `..` and links resolved (`inner.jpg#/../../etc/passwd`
    is `inner.jpg`). It is read by the one reader (content/reading.py), and the response
    carries its bytes and no file path: WeasyPrint would otherwise open the path of the
    URL it asked for again when it writes a JPEG or PNG (fragment and all, through a
    folder named `inner.jpg#`), a file this fetcher never saw.
    """

    def __init__(self, allowed: tuple[Path, ...] | list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.allowed = [p.resolve() for p in allowed]

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise URLFetchingError(f"refused (no network access): {url}")
        path = file_url_path(url)
        inside = [folder for folder in self.allowed if path and path.is_relative_to(folder)]
        if path is None or not inside:
            raise URLFetchingError(f"refused (outside the content root): {url}")
        try:
            data = read_bytes(path, inside[0], IMAGE_LIMIT)
        except Unreadable as exc:
            raise URLFetchingError(f"refused ({exc.message}): {url}") from None
        kind = media_type(data[:1024]) or _TYPES.get(
            path.suffix.lower(), "application/octet-stream"
        )
        # The URL of the file read (the base of a stylesheet's own relative URLs).
        return _Fetched(path.as_uri(), data, {"Content-Type": kind})


class _Fetched(URLFetcherResponse):
    """A response that names no file, so WeasyPrint embeds the bytes read here."""

    @property
    def path(self) -> None:
        return None


def file_url_path(url: str) -> Path | None:
    """The file a `file:` URL leads to, links and `..` resolved, as urllib reads it (the
    path alone: no query, no fragment; percent-decoded); None for a URL that names
    another host or holds a NUL byte."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.netloc.lower() not in ("", "localhost") or "\0" in path or not path:
        return None
    return Path(os.path.realpath(path))


_TYPES = {".css": "text/css", ".html": "text/html"}  # pictures are typed by their bytes


class _RouteToRender(logging.Handler):
    """Hands each WeasyPrint warning to the render of the current context, if any."""

    def emit(self, record: logging.LogRecord) -> None:
        sink = _WARNINGS.get()
        message = record.getMessage()
        if sink is not None and not message.startswith(_FOR_BROWSERS):
            sink.append(without_data_urls(message))


# The handout's running lines for a browser's print (templates/parts.html) sit in an
# `@supports` block, which WeasyPrint skips on purpose: that is not a problem to report.
_FOR_BROWSERS = "Unknown rule <AtRule @supports"


# A picture is embedded as a `data:` URL of up to megabytes; a warning about it names
# its type and length, not every byte.
_DATA_URL = re.compile(r"data:([\w.+-]+/[\w.+-]+)?[^,\s'\"]*,[^\s'\")]{40,}")


def without_data_urls(message: str) -> str:
    """`data:image/png;base64,iVBORw0...` → `data:image/png,... (1,234 characters)`."""
    return _DATA_URL.sub(
        lambda m: f"data:{m[1] or 'text/plain'},... ({len(m[0]):,} characters)", message
    )


def _install_router() -> None:
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(h, _RouteToRender) for h in logger.handlers):
        logger.addHandler(_RouteToRender(logging.WARNING))


_install_router()


def _pin_font_timestamps() -> None:
    # Set once for the whole process, always to the same value, so renders in threads
    # cannot race on it; a value the environment set (a reproducible-builds setup) wins.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


_pin_font_timestamps()


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...]  # what WeasyPrint logged during this render only


def render_pdf(html: str, layout: ContentLayout) -> Pdf:
    """Render `html` as a tagged PDF (PDF/UA-1), fetching only inside the content root."""
    messages: list[str] = []
    token = _WARNINGS.set(messages)
    try:
        fetcher = ContentFetcher(layout.readable)
        document = HTML(
            string=html, base_url=layout.root.as_uri() + "/", url_fetcher=fetcher
        ).render(pdf_variant="pdf/ua-1")
        data = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        _WARNINGS.reset(token)
    return Pdf(data, len(document.pages), tuple(messages))
