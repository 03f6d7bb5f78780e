"""The template text and formats of one language: gettext catalogs read from the
templates' `locale/<language>/LC_MESSAGES/messages.po` (a content root's own first),
and dates and numbers written as the language writes them (Babel).

The .po files are under version control and compiled in memory when a renderer is
made, so there is no build step to forget; `pybabel extract -F babel.cfg` refreshes
`templates/locale/messages.pot` for translators.

A catalog is read like any template (content/reading.py), and checked before it is
used: a file that does not parse, is not UTF-8, or has a translation that does not
keep its msgid's placeholders (`%(name)s`) is a `CatalogProblem` at its line, which
the build reports as a template problem (the published handouts stay as they were).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import TemplateError, TemplateRuntimeError

from ..content.reading import Unreadable, read_bytes

if TYPE_CHECKING:
    from ..settings import ContentLayout

SOURCE_LANGUAGE = "en"  # the templates are written in English


@dataclass(frozen=True)
class Language:
    """What a handout in one language needs from its locale."""

    tag: str
    translations: NullTranslations
    locale: Locale
    missing: bool  # no catalog for this language: English template text is used

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def number(self, value: int) -> str:
        """1000 → "1,000" in English, as the language groups digits elsewhere."""
        return format_decimal(value, locale=self.locale)

    def language_name(self, tag: str, in_sentence: bool = False) -> str:
        """ "es" → "Spanish" (in this language's words); the tag itself if Babel has no name.
        Capitalised to stand alone (a list, a link); `in_sentence`: as the language writes
        it inside a sentence, which is Babel's own form ("en español", "in Spanish")."""
        found = babel_locale(tag)
        name = found.get_display_name(self.locale) if found else None
        if not name:
            return tag
        return name if in_sentence else name[:1].upper() + name[1:]

    @staticmethod
    def own_name(tag: str) -> str:
        """ "es" → "Español": a language's name in its own words (for a link to it)."""
        found = babel_locale(tag)
        name = (found.display_name if found else None) or tag
        return name[:1].upper() + name[1:]

    def date(self, day: dt.date | str) -> str:
        """A date no reader can misread: 10 February 2026; 10 de febrero de 2026. A
        template may pass one written as text (2026-02-10); anything else is a problem
        at the template's line, not an internal error."""
        if isinstance(day, str):
            try:
                day = dt.date.fromisoformat(day)
            except ValueError:
                raise TemplateRuntimeError(
                    f"long_date: {day!r} is not a date (YYYY-MM-DD)"
                ) from None
        if not isinstance(day, dt.date):
            raise TemplateRuntimeError(f"long_date: {type(day).__name__} is not a date")
        if self.locale.language == "en":
            return format_date(day, "d MMMM y", locale=self.locale)
        return format_date(day, "long", locale=self.locale)


def babel_locale(tag: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag (`pt-BR`), or None if Babel knows no such one."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


class CatalogProblem(TemplateError):
    """A translation catalog that cannot be used, at its file and line."""

    def __init__(self, filename: Path, lineno: int, message: str) -> None:
        super().__init__(message)
        self.filename = str(filename)
        self.lineno = lineno


def language(tag: str, layout: ContentLayout) -> Language:
    """The catalog and locale for a BCP 47 tag like `es` or `pt-BR` (CatalogProblem if
    its catalog cannot be used)."""
    locale = babel_locale(tag) or Locale.parse(SOURCE_LANGUAGE)
    if locale.language == SOURCE_LANGUAGE:
        return Language(tag, NullTranslations(), locale, missing=False)
    catalog = _catalog(tag, locale, layout)
    if catalog is None:
        return Language(tag, NullTranslations(), locale, missing=True)
    return Language(tag, catalog, locale, missing=False)


def _catalog(tag: str, locale: Locale, layout: ContentLayout) -> Translations | None:
    """The language's catalog: the content root's own, if it has one, over the tool's.
    A clinic may reword a few phrases in its own `messages.po`; every phrase it leaves
    out comes from the built-in catalog, not in English beside the patient's language."""
    chain: Translations | None = None
    for folder in layout.template_dirs:  # the root's folder first
        path = _catalog_path(folder, tag, locale)
        if path is None:
            continue
        po = _read_catalog(path, locale, layout.template_inside(folder))
        compiled = io.BytesIO()
        write_mo(compiled, po)
        compiled.seek(0)
        translations = Translations(compiled)
        if chain is None:
            chain = translations
        else:
            chain.add_fallback(translations)
    return chain


def _catalog_path(folder: Path, tag: str, locale: Locale) -> Path | None:
    """The most specific catalog in a templates folder (`pt-BR`, `pt_BR`, then `pt`)."""
    for name in dict.fromkeys([tag, str(locale), locale.language]):
        path = folder / "locale" / name / "LC_MESSAGES" / "messages.po"
        if os.path.lexists(path):
            return path
    return None


def _read_catalog(path: Path, locale: Locale, inside: tuple[Path, ...]) -> Catalog:
    try:
        raw = read_bytes(path, inside)
        raw.decode("utf-8")  # a bad byte is reported at its line, not deep in Babel
        po = read_po(io.BytesIO(raw), locale=locale, abort_invalid=True)
    except Unreadable as exc:
        raise CatalogProblem(path, exc.line, f"cannot read the catalog: {exc.message}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"the catalog is not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it as UTF-8"
        raise CatalogProblem(path, line, message) from None
    except PoFileError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise CatalogProblem(path, line, f"the catalog does not parse: {exc}") from None
    for entry in po:
        problem = _placeholders_kept(entry)
        if problem:
            raise CatalogProblem(path, _msgstr_line(raw, entry.lineno or 1), problem)
    return po


def _msgstr_line(raw: bytes, msgid_line: int) -> int:
    """The line of the first `msgstr` of the entry whose msgid is on `msgid_line`."""
    lines = raw.split(b"\n")
    for number in range(msgid_line - 1, len(lines)):
        if lines[number].startswith(b"msgstr"):
            return number + 1
    return msgid_line


_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _placeholders_kept(message: Any) -> str | None:
    """Why a translation cannot be filled in as the templates fill its msgid (None: it
    can). A translation may drop a placeholder, never add one or a stray `%`."""
    if not message.id or not message.string:
        return None
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    values = {name: 1 for text in ids for name in _PLACEHOLDER.findall(text)}
    values.update(num=1, context=1)
    for text in strings:
        try:
            text % values
        except (KeyError, ValueError, TypeError):
            known = ", ".join(f"%({name})s" for name in values if name not in ("num", "context"))
            return (
                f"the translation of '{ids[0][:60]}' cannot be filled in: keep its placeholders "
                f"({known or 'none'}) as written, and write a percent sign as %%"
            )
    return None
