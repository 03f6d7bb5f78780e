"""HTML → tagged, print-ready PDF with WeasyPrint, fetching nothing it should not."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError

from ..handout.render import builtin_templates


class ContentFetcher(URLFetcher):
    """Serves `data:` URLs and files inside the allowed folders; refuses everything else.

    No network, and no `file://` URL that leads outside the content root or the
    built-in templates (a content file must not be able to pull /etc/passwd into a PDF).
    """

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.allowed = [p.resolve() for p in allowed]

    def fetch(self, url: str, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise URLFetchingError(f"refused (no network access): {url}")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            raise URLFetchingError(f"refused (outside the content root): {url}")
        return super().fetch(url, headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def html_to_pdf(html: str, root: Path) -> tuple[bytes, list[str]]:
    """Render `html` as a tagged PDF (PDF/UA-1). Returns the bytes and WeasyPrint's
    warnings (a missing alt text is only logged by WeasyPrint, so we collect them)."""
    root = root.resolve()
    fetcher = ContentFetcher([root, builtin_templates()])
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
        data = document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        logger.removeHandler(collect)
    return data, collect.messages
