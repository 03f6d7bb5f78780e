"""How wide a text prints, in ems, from the fonts the pages use: so that the one-page
summary's size can be chosen from its words before WeasyPrint lays it out.

The widths are the fonts' own advance widths (fontTools reads them from the files
fontconfig names), in the order of the stylesheets' font list: Noto Sans, then
DejaVu Sans (which Pango falls back to for the Arabic letters Noto Sans lacks). A
character neither has counts as a wide one. Arabic letters are measured in the form
they take in the word (initial, medial, final or alone: a joined letter is a third
narrower), read from Unicode's presentation forms. Kerning and ligatures only make
real text narrower than this, so the estimate errs on the long side.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

FAMILIES = ("Noto Sans", "DejaVu Sans")  # templates/handout.css, summary.css
UNKNOWN_EM = 0.65  # a character no font here has (wider than most letters)
SPACE_EM = 0.26  # a space, without a font to ask


@dataclass
class _Face:
    advances: dict[int, float]  # code point → advance width in ems
    shift: float  # ascent less descent, in ems: where its text sits on a line


@dataclass(frozen=True)
class TextWidth:
    """Widths of regular and bold text in ems of the font size. It keeps nothing of
    the text it measures (a patient's name passes through it): no cache of words."""

    faces: dict[bool, tuple[_Face, ...]]  # bold → the faces, in fallback order

    def em(self, text: str, bold: bool = False) -> float:
        return self.measure(text, bold)[0]

    def measure(self, text: str, bold: bool = False) -> tuple[float, float]:
        """The width of `text`, and how much taller (in ems) a line holding it grows:
        text in a fallback font sits on its own baseline, and the line makes room for
        both (half the difference of the fonts' ascent less descent)."""
        width = extra = 0.0
        faces = self.faces[bold]
        for char in _joined(text) if _arabic(text) else text:
            face = self._face(char, bold)
            width += face.advances[ord(char)] if face else _unknown(char)
            if face is not None and face is not faces[0]:
                extra = max(extra, abs(face.shift - faces[0].shift) / 2)
        return width, extra

    def space(self, after: str, bold: bool = False) -> float:
        """A space's width after `after`: Pango draws it in the font of the character
        before it (an Arabic word's space is DejaVu's, not Noto's)."""
        last = (_joined(after) if _arabic(after) else after).rstrip()[-1:] or " "
        face = self._face(last, bold) or self._face(" ", bold)
        return face.advances.get(32, SPACE_EM) if face else SPACE_EM

    def _face(self, char: str, bold: bool) -> _Face | None:
        code = ord(char)
        for face in self.faces[bold]:
            if code in face.advances:
                return face
        return None


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _unknown(char: str) -> float:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0  # marks and invisible controls (the bidi isolates) take no room
    return UNKNOWN_EM


@lru_cache(maxsize=1)
def text_width() -> TextWidth:
    """The measurer for this machine's fonts (read once per process)."""
    faces: dict[bool, tuple[_Face, ...]] = {}
    for bold in (False, True):
        found = [_face(family, bold) for family in FAMILIES]
        faces[bold] = tuple(face for face in found if face is not None)
    return TextWidth(faces)


def _face(family: str, bold: bool) -> _Face | None:
    path = _font_file(family, bold)
    if path is None:
        return None
    try:
        from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

        font = TTFont(path, lazy=True, fontNumber=0)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap() or {}
        shift = (font["hhea"].ascent + font["hhea"].descent) / units  # descent is negative
        return _Face({code: metrics[glyph][0] / units for code, glyph in cmap.items()}, shift)
    except Exception:  # noqa: BLE001 - an unreadable font: fall back to the next
        return None


def _font_file(family: str, bold: bool) -> str | None:
    """The file fontconfig would give WeasyPrint for this family, if it is that family."""
    pattern = f"{family}:weight={'bold' if bold else 'regular'}"
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    names, _, path = found.stdout.partition("\t")
    return path if path and family in names.split(",") else None


def _presentation_forms() -> dict[str, dict[str, str]]:
    """Arabic letter → {"initial": form, "medial": ..., "final": ..., "isolated": ...},
    from the decompositions of Unicode's presentation forms (U+FE70 … U+FEFF)."""
    forms: dict[str, dict[str, str]] = {}
    for code in range(0xFE70, 0xFF00):
        kind, _, base = unicodedata.decomposition(chr(code)).partition(" ")
        if kind.startswith("<") and base and " " not in base:
            forms.setdefault(chr(int(base, 16)), {})[kind.strip("<>")] = chr(code)
    return forms


_FORMS = _presentation_forms()


def _joined(word: str) -> str:
    """`word` with each Arabic letter in its joining form: a letter joins the one before
    when that one joins on both sides (has a medial form) and it has a final form."""
    letters = [i for i, c in enumerate(word) if unicodedata.category(c) != "Mn"]
    out = list(word)
    for k, i in enumerate(letters):
        forms = _FORMS.get(word[i])
        if not forms:
            continue
        before = word[letters[k - 1]] if k else ""
        after = word[letters[k + 1]] if k + 1 < len(letters) else ""
        joins_before = "medial" in _FORMS.get(before, {}) and "final" in forms
        joins_after = "medial" in forms and "final" in _FORMS.get(after, {})
        kind = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
            (False, False): "isolated",
        }[(joins_before, joins_after)]
        out[i] = forms.get(kind, word[i])
    return "".join(out)
