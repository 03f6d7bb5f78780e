"""Rendering handouts and pages through Jinja templates.

Autoescape is on and undefined names are errors. A content root's `templates/`
folder overrides the built-in templates file by file. Every word a reader sees is in
the templates, marked for translation (`_()`, `ngettext`, `{% trans %}`); until a
language has a catalog the marked text is shown as written.
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    select_autoescape,
)
from markupsafe import Markup

from ..problems import Problem
from ..settings import ContentLayout
from .enrich import Handout
from .locale import SOURCE_LANGUAGE, language


class Renderer:
    """The Jinja environment of one content root. Rendering keeps no state between
    calls, so one Renderer may serve several threads."""

    def __init__(self, layout: ContentLayout, tag: str = SOURCE_LANGUAGE) -> None:
        self.layout = layout
        self.language = language(tag, layout.template_dirs)
        self.env = Environment(
            loader=ChoiceLoader([_Loader(d) for d in layout.template_dirs]),
            # HTML and SVG are escaped; the YAML skeleton of `new` is plain text.
            autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        )
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            self.language.translations, newstyle=True
        )
        self.env.filters["num"] = self.language.number
        self.env.filters["long_date"] = self.language.date
        self.env.filters["language_name"] = self.language.language_name
        self.env.filters["own_language_name"] = self.language.own_name
        self.env.filters["css_counters"] = css_counters
        self.env.globals["direction"] = self.language.direction
        self.env.globals["staff_language"] = tag

    def page(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def handout(self, handout: Handout, pdf_name: str | None) -> str:
        """The handout as one self-contained HTML page (the PDF is made from the same page)."""
        return self.page("handout.html", h=handout, pdf_name=pdf_name)


class TemplateUnreadable(TemplateError):
    """A template file that exists but cannot be read (permissions, not UTF-8)."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"cannot read the template: {reason}")
        self.filename = filename
        self.lineno = 0


class _Loader(FileSystemLoader):
    """Jinja's file loader, reporting an unreadable template as a template problem
    (not as an internal error, nor as a failure to write the output)."""

    def get_source(self, environment: Environment, template: str):  # type: ignore[override]
        try:
            return super().get_source(environment, template)
        except TemplateNotFound:  # an OSError too: the next folder is asked
            raise
        except UnicodeDecodeError:
            raise TemplateUnreadable(self._path(template), "save it as UTF-8 text") from None
        except OSError as exc:
            raise TemplateUnreadable(self._path(template), exc.strerror or str(exc)) from None

    def _path(self, template: str) -> str:
        return str(Path(self.searchpath[0]) / template)


def css_counters(text: str) -> Markup:
    """A translated "Page %(page)s of %(pages)s" as a CSS `content` value:
    `"Page " counter(page) " of " counter(pages)` (for the page footer)."""
    plain = Markup(text).unescape() if isinstance(text, Markup) else str(text)
    parts = re.split(r"%\((pages?)\)s", plain)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"counter({part})")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
            out.append(f'"{escaped}"')
    return Markup(" ".join(out))  # noqa: S704 - quoted and escaped for CSS above


def template_problem(exc: TemplateError) -> Problem:
    """A broken (usually overridden) template, reported like any content problem, at
    its file and line: a syntax error carries them; an error while rendering (an
    undefined name) is found in the traceback, where Jinja puts the template's lines."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not name or line is None:
        name, line = _rendering_at(exc) or (name or "templates", 1)
    return Problem(Path(name), line, "", f"template error: {exc.message or exc}")


def _rendering_at(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template frame of an error raised while rendering."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).suffix in _TEMPLATE_SUFFIXES and frame.lineno
    ]
    return (frames[-1].filename, frames[-1].lineno) if frames else None


_TEMPLATE_SUFFIXES = {".html", ".txt", ".css", ".svg", ".yaml", ".xml"}
