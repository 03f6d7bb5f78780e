"""Names in any script. The fonts `make build` installs draw every letter of a name in
the scripts a clinic's patients write in, read back from the PDF glyph by glyph; a
name with a character no installed font has is refused by `handout`, naming the
character and never the name (the web form: test_web.py), and a font installed while
a server runs counts from the next name on."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from helpers import made_up_name, run_cli

from decisionaid.output import fonts

# One name per script, each with what makes its script hard: marks that combine
# (Arabic vowels, Devanagari and Thai vowel signs and tone marks), letters that join
# or reorder, a decomposed Latin letter (e + U+0308), kana and hangul.
NAMES = {
    "Latin": "José Nguyễn Zoe\u0308",
    "Greek": "Ελένη",
    "Cyrillic": "Анна",
    "Arabic": "فَاطِمَة",
    "Hebrew": "דנה",
    "Devanagari": "अनीता",
    "Thai": "สมศักดิ์",
    "Chinese": "王小明",
    "Japanese": "山田花子 さくら",
    "Korean": "김민지",
}
# Characters that need no glyph: joiners, bidi marks, a soft hyphen, a variation
# selector; a Persian name is written with a zero-width non-joiner.
INVISIBLE = [
    "Ana\u200dLee",
    "\u200fدنا\u200f",
    "نیلو\u200cفر",
    "José\u00adMaría",
    "\u2066Lee\u2069",
    "क्\u200dष",
    "Lee\ufe0e",
]
# A private-use character, an unassigned code point, a control character, a
# noncharacter and a lone surrogate (an undecodable byte on a command line).
NEVER = ["\ue000", "\u0378", "\u0007", "\ufffe", "\udcff"]


@dataclass
class Glyph:
    """One glyph a PDF page draws: its font, its glyph id, the text it stands for
    (ToUnicode) and whether the embedded font program has an outline for it."""

    font: str
    gid: int
    text: str
    drawn: bool


class _Font:
    """A Type 0 font as WeasyPrint writes it: two-byte codes, mapped to character ids
    by Identity-H or, when a glyph was missing, by an embedded CMap; the character id
    is the glyph id (CIDToGIDMap /Identity) in the embedded TrueType or CFF program."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        assert font.Subtype == "/Type0", font.BaseFont
        self.name = str(font.BaseFont).lstrip("/")
        encoding = font.Encoding
        self.cids = None if encoding == "/Identity-H" else _cmap(encoding, "cidchar")
        self.text = {code: bytes.fromhex(t).decode("utf-16-be") for code, t in _cmap(
            font.ToUnicode, "bfchar").items()}  # fmt: skip
        descendant = font.DescendantFonts[0]
        assert descendant.CIDToGIDMap == "/Identity", self.name
        descriptor = descendant.FontDescriptor
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        self.program = TTFont(io.BytesIO(program.read_bytes()))

    def glyph(self, code: int) -> Glyph:
        gid = code if self.cids is None else int(self.cids.get(code, "0"))
        return Glyph(self.name, gid, self.text.get(code, ""), self._outlined(gid))

    def _outlined(self, gid: int) -> bool:
        order = self.program.getGlyphOrder()
        if gid == 0 or gid >= len(order):  # .notdef, or past the font's last glyph
            return False
        pen = BoundsPen(self.program.getGlyphSet())
        self.program.getGlyphSet()[order[gid]].draw(pen)
        return pen.bounds is not None


_PAIRS = {"cidchar": r"<([0-9a-fA-F]+)>\s*(\d+)", "bfchar": r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>"}


def _cmap(stream: pikepdf.Stream, kind: str) -> dict[int, str]:
    """The pairs of a CMap's begin`kind` blocks (WeasyPrint writes no ranges): code →
    character id (cidchar), or code → its text as UTF-16 in hexadecimal (bfchar)."""
    text = stream.read_bytes().decode("latin-1")
    pairs = {}
    for block in re.findall(rf"begin{kind}(.*?)end{kind}", text, re.S):
        for code, value in re.findall(_PAIRS[kind], block):
            pairs[int(code, 16)] = value
    return pairs


def glyphs_on_first_page(path: Path) -> list[Glyph]:
    """Every glyph page 1 draws, in the order drawn, read from the PDF itself.

    The page's content stream is walked operator by operator (pikepdf): `Tf` chooses
    a font, `Tj`/`TJ` show two-byte codes in it (q/Q save and restore the font, a form
    XObject is walked with its own resources). A code's text comes from the font's
    ToUnicode map, which WeasyPrint writes from the text Pango shaped into that glyph,
    so a shaped or reordered glyph (an Arabic joining form, a Devanagari vowel sign)
    still names its character. The code's glyph is looked up in the embedded font
    program with fontTools and drawn: a real glyph has an outline. A character no font
    has is shown by WeasyPrint as .notdef (the box): its code is mapped to glyph 0 by
    an embedded CMap, or lies past the font's last glyph. Either way no outline."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        return _walk(page.obj, page.Resources)


def _walk(owner: pikepdf.Object, resources: pikepdf.Dictionary) -> list[Glyph]:
    glyphs: list[Glyph] = []
    fonts: dict[str, _Font] = {}
    font, saved = None, []
    for operands, operator in pikepdf.parse_content_stream(owner):
        op = str(operator)
        if op == "q":
            saved.append(font)
        elif op == "Q":
            font = saved.pop()
        elif op == "Tf":
            name = str(operands[0])
            font = fonts.setdefault(name, _Font(resources.Font[name]))
        elif op == "Do" and resources.XObject[str(operands[0])].Subtype == "/Form":
            form = resources.XObject[str(operands[0])]
            glyphs += _walk(form, form.get("/Resources", resources))
        elif op in ("Tj", "TJ", "'", '"'):
            shown = operands[0] if op == "TJ" else [operands[-1]]
            for string in (s for s in shown if isinstance(s, pikepdf.String)):
                data = bytes(string)
                assert font is not None
                glyphs += [
                    font.glyph(int.from_bytes(data[i : i + 2])) for i in range(0, len(data), 2)
                ]
    return glyphs


def boxes(name: str, glyphs: list[Glyph]) -> dict[str, list[str]]:
    """The characters of `name` that no glyph with an outline draws, with the fonts
    and glyph ids that drew them (none: the character was not drawn at all)."""
    found = {}
    for char in sorted(set(name)):
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        drawing = [g for g in glyphs if char in g.text]
        if not drawing or not all(g.drawn for g in drawing):
            found[char] = [f"{g.font} glyph {g.gid}" for g in drawing]
    return found


def test_a_name_in_every_script_prints_with_real_glyphs(root: Path, tmp_path: Path):
    everyone = " · ".join(NAMES.values())
    out = tmp_path / "copy.pdf"
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--patient", everyone,
        "--clinician", "Dr. 李", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    glyphs = glyphs_on_first_page(out)
    fonts_used = {g.font.partition("+")[2] for g in glyphs}
    for script, name in NAMES.items():
        assert boxes(name, glyphs) == {}, (script, fonts_used)
    assert boxes("李", glyphs) == {}
    # Each script's letters come from a font made for it, not one fallback for all.
    by_char = {g.text: g.font.partition("+")[2] for g in glyphs if g.text}
    assert "Devanagari" in by_char["अ"] and "Thai" in by_char["ส"]
    assert "CJK" in by_char["王"] and "CJK" in by_char["김"] and "CJK" in by_char["さ"]


def test_the_glyph_reader_sees_a_box(root: Path):
    """The reader above can fail: a character no font has, put into a copy behind the
    refusal's back (the pipeline prints what it is given), is found without a glyph."""
    from decisionaid.handout.consult import Consult
    from decisionaid.pipeline.core import make_copy
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions

    ctx = Context.open(root, BuildOptions(formats=("pdf",)))
    loaded = ctx.content.load(root / "aids" / "test-aid.yaml")
    result = make_copy(loaded, ctx, Consult(patient="Ana \u0378 王"))
    out = root / "boxed.pdf"
    out.write_bytes(result.files["copy"])
    glyphs = glyphs_on_first_page(out)
    assert list(boxes("Ana \u0378 王", glyphs)) == ["\u0378"]


@pytest.mark.parametrize("name", list(NAMES.values()) + INVISIBLE)
def test_names_in_every_script_are_printable(name: str):
    assert fonts.unprintable(name) == []


@pytest.mark.parametrize("char", NEVER)
def test_a_character_no_font_has_is_named_by_its_code_point(char: str):
    assert fonts.unprintable(f"Ana {char} Lee") == [char]
    assert fonts.in_a_name([char]) == f"U+{ord(char):04X}"


def test_a_message_never_spells_out_the_name():
    """A name all in characters no font has: at most three of them are named, in code
    point order, not the name's."""
    name = "\ue005\ue001\ue004\ue002\ue003"
    named = fonts.in_a_name(fonts.unprintable(name))
    assert named == "U+E001, U+E002, U+E003 and 2 more"
    assert fonts.describe(["\u0301"]) == "\u25cc\u0301 (U+0301)"


def _font_with(char: str, path: Path) -> None:
    """A one-glyph TrueType font (a square) for `char`, written to `path`."""
    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (600, 700), (600, 0)):
        (pen.lineTo if pen.points else pen.moveTo)(point)
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "square"])
    builder.setupCharacterMap({ord(char): "square"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "square": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "square": (700, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test Square", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(path)


def test_a_font_installed_while_the_server_runs_counts(tmp_path: Path, monkeypatch):
    """The coverage is read once and kept (one fc-list per change of the font folders,
    not per name), and read again when a font is added to or removed from a folder
    fontconfig scans: here ~/.fonts of a made-up home, with a font made for the test
    for U+0378 (unassigned, so that no real font has it)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    reads = []
    read = fonts._read
    monkeypatch.setattr(fonts, "_read", lambda: reads.append(1) or read())
    assert fonts.unprintable("Ana \u0378") == ["\u0378"]
    reads.clear()
    assert fonts.unprintable("Ana \u0378 Lee") == ["\u0378"] and fonts.unprintable("王") == []
    assert len(reads) == 0
    (tmp_path / ".fonts").mkdir()
    _font_with("\u0378", tmp_path / ".fonts" / "square.ttf")
    assert fonts.unprintable("Ana \u0378") == []
    (tmp_path / ".fonts" / "square.ttf").unlink()
    assert fonts.unprintable("Ana \u0378") == ["\u0378"]
    assert len(reads) == 2


def test_handout_refuses_a_name_it_cannot_print(root: Path, tmp_path: Path):
    patient = made_up_name("Quenby", "Ardwick\ue000")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "copy.pdf"
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--patient", patient, "-o", str(out)
    )
    assert result.exit_code == 2
    assert "--patient" in result.output and "no installed font can print U+E000" in result.output
    assert "Quenby" not in result.output and "Ardwick" not in result.output
    assert list(out.parent.iterdir()) == []
    result = run_cli(
        "handout", "test-aid", "--root", str(root), "--clinician", "Dr. \u0378\U0001f9ff\u0007",
        "-o", str(out),
    )  # fmt: skip
    # 🧿 (U+1F9FF, Unicode 11) is in no font that make build installs.
    assert result.exit_code == 2 and "--clinician" in result.output
    assert "U+0007, U+0378, 🧿 (U+1F9FF): leave them out" in result.output
    assert not out.exists()
