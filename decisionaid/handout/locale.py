"""The template text and formats of one language: gettext catalogs read from the
templates' `locale/<language>/LC_MESSAGES/messages.po` (a content root's own first),
and dates and numbers written as the language writes them (Babel).

The .po files are under version control and compiled in memory when a renderer is
made, so there is no build step to forget; `pybabel extract -F babel.cfg` refreshes
`templates/locale/messages.pot` for translators.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

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

    def language_name(self, tag: str) -> str:
        """ "es" → "Spanish" (in this language's words); the tag itself if Babel has no name."""
        try:
            name = Locale.parse(tag.replace("-", "_")).get_display_name(self.locale)
        except (UnknownLocaleError, ValueError):
            return tag
        return name[:1].upper() + name[1:] if name else tag

    @staticmethod
    def own_name(tag: str) -> str:
        """ "es" → "Español": a language's name in its own words (for a link to it)."""
        try:
            name = Locale.parse(tag.replace("-", "_")).display_name or tag
        except (UnknownLocaleError, ValueError):
            return tag
        return name[:1].upper() + name[1:]

    def date(self, day: dt.date) -> str:
        """A date no reader can misread: 10 February 2026; 10 de febrero de 2026."""
        if self.locale.language == "en":
            return format_date(day, "d MMMM y", locale=self.locale)
        return format_date(day, "long", locale=self.locale)


def language(tag: str, template_dirs: tuple[Path, ...]) -> Language:
    """The catalog and locale for a BCP 47 tag like `es` or `pt-BR`."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(SOURCE_LANGUAGE)
    if locale.language == SOURCE_LANGUAGE:
        return Language(tag, NullTranslations(), locale, missing=False)
    catalog = _catalog(tag, locale, template_dirs)
    if catalog is None:
        return Language(tag, NullTranslations(), locale, missing=True)
    return Language(tag, catalog, locale, missing=False)


def _catalog(tag: str, locale: Locale, template_dirs: tuple[Path, ...]) -> Translations | None:
    names = dict.fromkeys([tag, str(locale), locale.language])
    for folder in template_dirs:
        for name in names:
            path = folder / "locale" / name / "LC_MESSAGES" / "messages.po"
            if path.is_file():
                with path.open("rb") as handle:
                    po = read_po(handle, locale=locale)
                compiled = io.BytesIO()
                write_mo(compiled, po)
                compiled.seek(0)
                return Translations(compiled)
    return None
