"""Rendering handouts and pages through Jinja templates.

Autoescape is on and undefined names are errors. A content root's `templates/`
folder overrides the built-in templates file by file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from ..problems import Problem
from .enrich import Handout

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_templates() -> Path:
    """The built-in templates: inside the package when installed from a wheel,
    else the repository's top-level `templates/` (an editable install)."""
    packaged = _PACKAGE / "templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "templates"


@cache
def environment(root: Path) -> Environment:
    """The Jinja environment for one content root."""
    loader = ChoiceLoader(
        [FileSystemLoader(root / "templates"), FileSystemLoader(builtin_templates())]
    )
    env = Environment(
        loader=loader,
        # HTML and SVG are escaped; the YAML skeleton of `new` is plain text.
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    return env


def number(value: int) -> str:
    """1000 → "1,000": whole numbers with thousands separators."""
    return f"{value:,}"


def render_handout(handout: Handout, root: Path, pdf_name: str | None) -> str:
    """The handout as one self-contained HTML page (the PDF is made from the same page)."""
    return render_page(root, "handout.html", h=handout, link=handout.linker(), pdf_name=pdf_name)


def render_page(root: Path, template: str, **context: Any) -> str:
    return environment(root.resolve()).get_template(template).render(**context)


def template_problem(exc: TemplateError) -> Problem:
    """A broken (usually overridden) template, reported like any content problem."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", None) or 1
    return Problem(Path(name), line, "", f"template error: {exc.message or exc}")
