"""Rendering handouts and pages through Jinja templates.

Autoescape is on and undefined names are errors. A content root's `templates/`
folder overrides the built-in templates file by file. Every word a reader sees is in
the templates, marked for translation (`_()`, `ngettext`, `{% trans %}`); until a
language has a catalog the marked text is shown as written.

Whoever can write to the content root (a shared drive) can write a template, and the
web app renders templates on the server, so templates are code we do not trust: they
run in Jinja's sandbox, which refuses Python's internals (`__globals__`, `__class__`)
and here also everything of a file path but its name, as a template problem at its
file and line. A template is read like any content file (content/reading.py): a
regular file of at most 1 MB inside the root's `templates/` (links followed) or the
package's. A translator's words are text, not markup: a catalog's strings are escaped
like any field (templates hold the markup).
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from pathlib import Path, PurePath
from types import ModuleType
from typing import Any

from babel.support import Translations
from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape
from pydantic import BaseModel

from ..content.reading import Unreadable, read_text
from ..problems import Problem, printable
from ..settings import ContentLayout, builtin_templates
from .enrich import Handout
from .figures import Stated
from .limits import (
    BoundedNamespace,
    bounded_filter,
    bounded_range,
    check_arguments,
    check_binop,
    check_format,
    limited,
    tick,
)
from .locale import SOURCE_LANGUAGE, language

# The handout web page's script (its quiz and print button), a built-in file of the
# tool's own: a content root's templates cannot replace it. The build writes it beside
# the catalog (OUT/handout.js); the web app serves it for the preview.
SCRIPT = "handout.js"
# Where a built page (OUT/<language>/<id>.html) finds it.
SCRIPT_FROM_PAGE = f"../{SCRIPT}"


def script_bytes() -> bytes:
    """The built-in script, as the build writes it and the app serves it."""

    return (builtin_templates() / SCRIPT).read_bytes()


class Renderer:
    """The Jinja environment of one content root. Rendering keeps no state between
    calls, so one Renderer may serve several threads."""

    def __init__(self, layout: ContentLayout, tag: str = SOURCE_LANGUAGE) -> None:
        self.layout = layout
        self.language = language(tag, layout)
        self.env = _Sandbox(
            loader=_Loader(layout),
            # HTML and SVG are escaped; the YAML skeleton of `new` is plain text.
            autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
            # No constant folding: `{{ 9**(9**8) }}` would be computed while compiling,
            # outside every limit; unfolded it is an operator the sandbox refuses.
            optimized=False,
        )
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            self.language.translations, newstyle=True
        )
        if isinstance(self.language.translations, Translations):  # not English, a catalog
            _translations_as_text(self.env, self.language.translations)
        self.env.filters["num"] = self.language.number
        self.env.filters["long_date"] = self.language.date
        self.env.filters["language_name"] = self.language.language_name
        self.env.filters["own_language_name"] = self.language.own_name
        self.env.filters["css_counters"] = css_counters
        self.env.filters["css_string"] = css_string
        self.env.filters["em_width"] = _em_width
        self.env.globals["direction"] = self.language.direction
        _bound(self.env)
        self.env.globals["staff_language"] = tag
        # Plain-text pages print every value safe (see `text`); compiled on their own.
        self._text_env = self.env.overlay(finalize=_printable, cache_size=50)

    def page(self, template: str, **context: Any) -> str:
        with limited():
            return self.env.get_template(template).render(**context)

    def text(self, template: str, **context: Any) -> str:
        """A plain-text page (the chart note): every value printed in it is made safe
        to print, so a name holding a control character or a right-to-left override
        cannot change how the record reads (`\\u202e` is shown, not obeyed)."""
        with limited():
            return self._text_env.get_template(template).render(**context)

    def figure_words(self, stated: Stated) -> str:
        """A figure the text names by its id (`{dry-eyes}`), in this language's words
        (strings.html's `figure_ref`), as plain text: the text it goes into is escaped
        when it is printed. The template's module is made once (Jinja keeps it)."""
        with limited():
            module = self.env.get_template("strings.html").module
            return Markup(module.figure_ref(stated)).unescape()  # type: ignore[attr-defined]

    def handout(self, handout: Handout, pdf_name: str | None, script: str | None = None) -> str:
        """The handout as one self-contained HTML page (the PDF is made from the same
        page). `script`: the address of the page's own script (SCRIPT), if it has one."""
        return self.page("handout.html", h=handout, pdf_name=pdf_name, script=script)


class TemplateUnreadable(TemplateError):
    """A template file that exists but may not or cannot be read (a pipe, a link out
    of the root, too big, not UTF-8, no permission), at its file (and line)."""

    def __init__(self, filename: str, reason: str, lineno: int = 1) -> None:
        super().__init__(f"cannot read the template: {reason}")
        self.filename = filename
        self.lineno = lineno


class _Loader(BaseLoader):
    """The root's `templates/` first, then the built-in templates, each file read by the
    one reader inside its own folder (a template linking out of the root is refused).
    An unreadable template is a template problem, never a fall back to another one."""

    def __init__(self, layout: ContentLayout) -> None:
        self.folders = [(folder, layout.template_inside(folder)) for folder in layout.template_dirs]

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses `..`
        for folder, inside in self.folders:
            path = folder.joinpath(*parts)
            if not os.path.lexists(path):
                continue
            try:
                source = read_text(path, inside)
                mtime = os.stat(path).st_mtime_ns
            except Unreadable as exc:
                raise TemplateUnreadable(str(path), exc.message, exc.line) from None
            except OSError as exc:
                raise TemplateUnreadable(str(path), exc.strerror or str(exc)) from None
            return source, str(path), lambda path=path, mtime=mtime: _mtime(path) == mtime
        raise TemplateNotFound(template)


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


# Of a file path, a template may show the name only (the app shows a broken aid's).
_PATH_PARTS = frozenset({"name", "stem", "suffix"})


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no `_` attributes, no function internals, bounded
    `range`, no list, dict or set changed: the loaded models are shared by every copy
    the process makes, so a template that could append the patient's name to an aid's
    keywords would print it on the next patient's copy), narrowed to what the templates
    need: of a path only its name, shown safe to print; of a model its fields, not
    pydantic's `model_*` methods; no module. Anything else is a SecurityError: a
    template problem at its line."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) and attr not in _PATH_PARTS:
            return False
        if isinstance(value, ModuleType):
            return False
        if isinstance(obj, BaseModel) and attr.startswith("model_"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    # Operators that can make a huge value: checked before they run (handout/limits.py).
    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        check_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            check_format(obj)  # `'{:>1000000000}'.format(1)`
        value = super().getattr(obj, attribute)
        if isinstance(obj, PurePath) and isinstance(value, str):
            return printable(value)
        return value


def _bound(env: Environment) -> None:
    """Every loop, filter and namespace of a template within the limits of one
    rendering (handout/limits.py)."""
    env.globals["range"] = bounded_range
    env.globals["namespace"] = BoundedNamespace
    lipsum: Callable[..., Any] = env.globals["lipsum"]  # type: ignore[assignment]
    env.globals["lipsum"] = bounded_filter(
        "lipsum", lambda n=5, *a, **k: lipsum(min(n, 20), *a, **k)
    )
    for name, function in list(env.filters.items()):
        env.filters[name] = bounded_filter(name, function)


def _printable(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


def _translations_as_text(env: Environment, translations: Any) -> None:
    """Install gettext functions that treat a catalog's strings as text: escaped where
    the page is escaped (a `msgstr` holding `<script>` prints as written), as they are
    in a plain-text page. The template's own words (an untranslated msgid) stay as the
    template wrote them. Otherwise as Jinja's new-style gettext: the result is always a
    format string, filled with the variables (escaped where the page is)."""
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        env.globals[name] = _as_text(getattr(translations, name), name)


def _as_text(func: Callable[..., str], name: str) -> Callable[..., Any]:
    counted, with_context = name.startswith("n"), name.startswith(("p", "np"))

    @pass_context
    def translate(context: Context, *args: Any, **variables: Any) -> Any:
        if counted:
            variables.setdefault("num", args[-1])
        if with_context:
            variables.setdefault("context", args[0])
        text: Any = func(*args)
        if context.eval_ctx.autoescape:
            own = text in [a for a in args if isinstance(a, str)]
            text = Markup(text) if own else escape(text)  # noqa: S704 - the template's own words
        return text % variables

    return translate


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


def css_string(text: str) -> Markup:
    """Text as one CSS string for a `content` value (a page footer): quotes, backslashes,
    `<` (no `</style>`) and line breaks or other control characters escaped."""
    plain = Markup(text).unescape() if isinstance(text, Markup) else str(text)
    plain = " ".join(plain.split())  # a name typed over two lines is one line here
    escaped = re.sub(r'[\\"<\x00-\x1f\x7f]', lambda m: f"\\{ord(m[0]):x} ", plain)
    return Markup(f'"{escaped}"')  # noqa: S704 - quoted and escaped for CSS above


def template_problem(exc: TemplateError) -> Problem:
    """A broken (usually overridden) template, reported like any content problem, at
    its file and line: a syntax error carries them; an error while rendering (an
    undefined name) is found in the traceback, where Jinja puts the template's lines."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not name or line is None:
        name, line = _rendering_at(exc) or (name or "templates", 1)
    message = f"template error: {exc.message or exc}"
    if isinstance(exc, SecurityError):
        message += (
            " (templates run in a sandbox: they may show the values they are given, "
            "not reach into Python, files or the system)"
        )
    return Problem(Path(name), line, "", message, "template")


def _rendering_at(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template frame of an error raised while rendering."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).suffix in _TEMPLATE_SUFFIXES and frame.lineno
    ]
    return (frames[-1].filename, frames[-1].lineno or 1) if frames else None


_TEMPLATE_SUFFIXES = {".html", ".txt", ".css", ".svg", ".yaml", ".xml"}


def _em_width(text: str, bold: bool = False) -> float:
    """How wide `text` prints, in ems (the fonts' own widths): a running line's template
    reserves the lines it will wrap to. It keeps nothing of the text (see TextWidth)."""
    from .textwidth import text_width  # reads the font files: only when a page needs it

    return text_width().em(str(text), bool(bold))
