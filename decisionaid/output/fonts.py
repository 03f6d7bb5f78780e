"""Which characters the installed fonts can print, so that no handout prints an empty
box where a letter should be: a patient's or clinician's name with such a character is
refused (the form, `handout`), and an aid's own text gets a build warning.

WeasyPrint lays text out with Pango, which falls back through fontconfig to any
installed TrueType or OpenType font that has a character. So a character prints when
some such font has it in its character map, and the union of those maps is read once
(`fc-list --format '%{fontformat}\\t%{charset}'`: one process, a few hundredths of a
second) and then looked up in memory. The reading is kept, for a long-running server,
until the font folders change: their modification times and file names (fontconfig
itself looks at the times) say when a font was added or removed (a package
installed, a file copied into ~/.fonts), so a font installed while the server runs
counts from the next name on, as it does for WeasyPrint, which loads fontconfig afresh
for every document. Looking costs well under a millisecond a name.

Some characters need no glyph of their own: white space (HarfBuzz makes any space from
the font's own), and the default-ignorable code points (zero-width joiners, bidi
marks, variation selectors, soft hyphen), which Pango draws as nothing. A precomposed
letter no font has still prints when its canonical parts do (HarfBuzz decomposes it).
Combining marks (Arabic vowels, Devanagari vowel signs, Thai tone marks) are looked
up like letters: every Noto font has the marks of its script (Pango draws a mark with
its base letter's font, so a mark put on a letter of another script is not caught).
Private-use characters are refused whatever the fonts: a glyph there is a font's own
picture, not the character typed. Control characters and lone surrogates
(undecodable bytes on a command line) never print.

The reading mirrors the machine's fonts, so it is shared by the whole process, behind
a lock. Nothing here logs or keeps the text it is asked about.
"""

from __future__ import annotations

import bisect
import os
import re
import subprocess
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<(style|script)\b.*?</\1>|<[^>]*>", re.S)
# The formats Pango (1.44 and later) can draw with; it skips Type 1 and bitmap fonts.
_DRAWN_FORMATS = {"TrueType", "CFF"}
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15):
# HarfBuzz and Pango draw these as nothing, so they need no font.
_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
_NEVER = {"Cc", "Co", "Cs"}  # control, private use, surrogate


@dataclass(frozen=True)
class Coverage:
    """The code points some installed font has, as sorted, disjoint ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def parse(cls, listing: str) -> Coverage:
        """From fc-list lines `FORMAT<tab>RANGES`, RANGES as fontconfig writes a
        charset: hexadecimal `20-7e a0 ...`."""
        spans: list[tuple[int, int]] = []
        for line in set(listing.splitlines()):  # a font's styles share one charset
            font_format, _, charset = line.partition("\t")
            if font_format not in _DRAWN_FORMATS:
                continue
            for span in charset.split():
                start, _, end = span.partition("-")
                spans.append((int(start, 16), int(end or start, 16)))
        merged: list[list[int]] = []
        for first, last in sorted(spans):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return cls(tuple(s for s, _ in merged), tuple(e for _, e in merged))

    def __contains__(self, code: int) -> bool:
        at = bisect.bisect_right(self.starts, code) - 1
        return at >= 0 and code <= self.ends[at]


def _font_folders() -> list[Path]:
    """Where fontconfig finds fonts on Debian (/etc/fonts/fonts.conf) and its own
    configuration, read now: HOME may differ between calls (a service, a test)."""
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        data / "fonts",
        home / ".fonts",
        Path("/etc/fonts"),
    ]


FontsKey = tuple[tuple[str, int, tuple[str, ...]], ...]


def _fingerprint() -> FontsKey:
    """Every font folder, its modification time and its files' names: a font added or
    removed changes them (fontconfig decides that its cache is stale by the time)."""
    seen = []
    for top in _font_folders():
        for folder, _, files in os.walk(top):
            try:
                seen.append((folder, os.stat(folder).st_mtime_ns, tuple(sorted(files))))
            except OSError:  # removed while we looked: the next call sees it
                continue
    return tuple(seen)


class _Installed:
    """The coverage of the installed fonts, read again when the font folders change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: FontsKey | None = None
        self._coverage: Coverage | None = None

    def coverage(self) -> Coverage | None:
        """None when there is no fontconfig to ask (then nothing is refused)."""
        key = _fingerprint()
        with self._lock:
            if key != self._key:
                self._coverage = _read()
                self._key = key
            return self._coverage


def _read() -> Coverage | None:
    try:
        found = subprocess.run(
            ["fc-list", "--format", "%{fontformat}\t%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no fontconfig tools: say nothing rather than guess
    return Coverage.parse(found.stdout)


_INSTALLED = _Installed()


def unprintable(text: str) -> list[str]:
    """The characters of `text` that no installed font can print (they would come
    out as empty boxes), each once, in code point order: never the text's own order,
    so that a message naming them does not spell out a name."""
    coverage = _INSTALLED.coverage()
    if coverage is None:
        return []
    return sorted(c for c in set(text) if not _prints(c, coverage))


def _prints(char: str, coverage: Coverage) -> bool:
    code = ord(char)
    category = unicodedata.category(char)
    if category in _NEVER:
        return char.isspace()  # tab and newline are white space to HTML
    if category[0] == "Z" or _ignorable(code) or code in coverage:
        return True
    parts = unicodedata.decomposition(char)
    if not parts or parts.startswith("<"):  # none, or only a compatibility one
        return False
    return all(_prints(chr(int(part, 16)), coverage) for part in parts.split())


def _ignorable(code: int) -> bool:
    return any(first <= code <= last for first, last in _IGNORABLE)


def missing_characters(html: str) -> list[str]:
    """The characters of `html`'s text that no installed font has, in code point order."""
    return unprintable(_TAG.sub(" ", html))


def in_a_name(chars: list[str]) -> str:
    """The characters of a name that cannot print, for a message: at most three (in
    code point order), so that the message never spells out the name."""
    return describe(chars, limit=3)


def describe(chars: list[str], limit: int = 8) -> str:
    """`😀 (U+1F600), ...`: the character itself where it can be shown (a combining
    mark on a dotted circle), its code point always."""
    shown = ", ".join(_shown(c) for c in chars[:limit])
    more = f" and {len(chars) - limit} more" if len(chars) > limit else ""
    return shown + more


def _shown(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if not char.isprintable():  # controls, format characters, private use, unassigned
        return code
    mark = "\u25cc" if unicodedata.category(char)[0] == "M" else ""
    return f"{mark}{char} ({code})"
