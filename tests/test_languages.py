"""Translated aids: template text from the catalogs, dates and numbers for the language,
right-to-left direction, and translations that keep the figures."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from helpers import (
    REPO,
    aid_text,
    build,
    check,
    line_of,
    pdf_pages,
    pdf_text,
    run_cli,
    soup,
    text_of,
)

from decisionaid.handout.render import Renderer
from decisionaid.settings import ContentLayout

CATALOG = REPO / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
DRAFT = "Draft — not reviewed for patient use"
TRANSLATED = [("es", "upper-eyelid-surgery", "ltr"), ("ar", "carpal-tunnel-release", "rtl")]


def catalog_of(language: str) -> dict[str, str]:
    path = REPO / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {
            m.id if isinstance(m.id, str) else m.id[0]: (
                m.string if isinstance(m.string, str) else m.string[-1]
            )
            for m in read_po(handle)
            if m.id
        }


@pytest.mark.parametrize(("language", "aid_id", "direction"), TRANSLATED)
def test_translated_examples_are_in_their_language(
    examples: Path, language: str, aid_id: str, direction: str
):
    catalog = catalog_of(language)
    html = soup(examples / language / f"{aid_id}.html")
    assert html.html["lang"] == language and html.html["dir"] == direction
    headings = [h.get_text(" ", strip=True) for h in html.find_all(["h2", "h3"])]
    for english in ("Who this is for", "About the problem", "Your options at a glance"):
        assert catalog[english] in headings
    import datetime as dt

    from babel.dates import format_date

    text = html.get_text(" ")  # in reading order (a PDF gives right-to-left text reversed)
    assert format_date(dt.date(2026, 11, 20), "long", locale=language) in " ".join(text.split())
    pages = pdf_pages(examples / language / f"{aid_id}.pdf")
    page_one = catalog["Page %(page)s of %(pages)s"] % {"page": 1, "pages": len(pages)}
    # Shaped Arabic comes back from a PDF imperfectly: its words are looked for one by one.
    draft_word = catalog[DRAFT].split()[0]  # "Borrador", "مسودة": on every page
    assert all(_bare(draft_word) in _bare(page) for page in pages)
    assert all(_bare(word) in _bare(pages[0]) for word in page_one.split()), page_one
    assert html.select_one(".draft-mark").get_text(strip=True) == catalog[DRAFT]
    # No English template sentence is left (words that are the same in both excepted).
    leftovers = [
        english
        for english, translated in catalog.items()
        if "%" not in english and len(english.split()) >= 3 and translated != english
        if english in text
    ]
    assert leftovers == []


def test_spanish_is_grouped_beside_english_in_the_index(examples: Path):
    links = {a["href"] for a in soup(examples / "index.html").select("table.catalog a")}
    assert {"en/upper-eyelid-surgery.pdf", "es/upper-eyelid-surgery.pdf"} <= links


def test_dates_and_numbers_as_the_language_writes_them(tmp_path: Path):
    layout = ContentLayout(REPO)
    english, spanish_ = Renderer(layout, "en").language, Renderer(layout, "es").language
    assert english.number(10000) == "10,000" and spanish_.number(10000) == "10.000"
    import datetime as dt

    day = dt.date(2027, 2, 1)
    assert english.date(day) == "1 February 2027"
    assert spanish_.date(day) == "1 de febrero de 2027"


def test_right_to_left_and_a_language_without_a_catalog(root: Path, write_aid):
    text = aid_text().replace("id: test-aid", "id: test-aid\nlanguage: fa")
    write_aid("test-aid", text)
    (root / "aids" / "test-aid.yaml").rename(root / "aids" / "test-aid.fa.yaml")
    report = build(root, root / "out", formats=["html"])
    assert report.ok, report.problems
    page = soup(root / "out" / "fa" / "test-aid.html")
    assert page.html["lang"] == "fa" and page.html["dir"] == "rtl"
    assert any("no template translations for 'fa'" in w for w in report.warnings)


def test_a_translation_must_keep_the_figures(tmp_path: Path):
    root = tmp_path
    for folder in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / folder, root / folder)
    for path in (root / "aids").glob("*.yaml"):
        if not path.stem.startswith("upper-eyelid-surgery"):
            path.unlink()
    translated = root / "aids" / "upper-eyelid-surgery.es.yaml"
    text = translated.read_text(encoding="utf-8")
    changed = re.sub(r"count: 15, per: 100", "count: 12, per: 100", text, count=1)
    assert changed != text
    translated.write_text(changed, encoding="utf-8")
    report = check(root)
    errors = [f for a in report.aids for f in a.findings if f.code == "translation-mismatch"]
    assert len(errors) == 1
    assert errors[0].line == line_of(changed, "count: 12, per: 100")
    source_line = line_of((root / "aids" / "upper-eyelid-surgery.yaml").read_text(), "count: 15")
    assert f"upper-eyelid-surgery.yaml:{source_line}" in errors[0].message
    built = build(root, root / "out")
    assert not (root / "out" / "es" / "upper-eyelid-surgery.pdf").exists()  # blocked, even a draft
    assert (root / "out" / "en" / "upper-eyelid-surgery.pdf").exists() and not built.ok


def test_a_translation_of_an_older_text_is_stale(tmp_path: Path):
    root = tmp_path
    for folder in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / folder, root / folder)
    source = root / "aids" / "upper-eyelid-surgery.yaml"
    source.write_text(source.read_text().replace("updated: 2026-11-20", "updated: 2026-11-22"))
    findings = [f for a in check(root).aids for f in a.findings if f.code == "translation-stale"]
    assert len(findings) == 1 and "2026-11-22" in findings[0].message


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_file_name_and_the_language_agree(root: Path, write_aid, language):
    text = aid_text().replace("id: test-aid", "id: test-aid\nlanguage: en")
    (root / "aids" / f"test-aid.{language}.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert f"test-aid.{language}.yaml:{line_of(text, 'language: en')}:" in result.output
    assert f"must match the file name's '.{language}'" in result.output


def test_the_template_catalog_holds_what_the_templates_say_and_nothing_else(tmp_path: Path):
    """messages.pot is what `pybabel extract` (README: "Translating the templates")
    finds: no phrase a template no longer says is left for translators to translate,
    and every entry is well formed."""
    from babel.messages.frontend import CommandLineInterface

    extracted = tmp_path / "messages.pot"
    argv = ["pybabel", "-q", "extract", "-F", str(REPO / "babel.cfg"), "-o", str(extracted)]
    CommandLineInterface().run([*argv, str(REPO)])

    def ids(path: Path) -> set[str]:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}

    shipped = REPO / "templates" / "locale" / "messages.pot"
    assert ids(shipped) == ids(extracted)
    text = shipped.read_text(encoding="utf-8")
    assert text.count("\nmsgid ") == text.count("\nmsgstr") - text.count("\nmsgstr[1]")


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_catalogs_are_complete_and_keep_every_placeholder(language: str):
    with (REPO / "templates" / "locale" / "messages.pot").open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    path = REPO / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(handle) if m.id}
    assert wanted <= set(messages), sorted(wanted - set(messages))[:5]
    for key in wanted:
        message = messages[key]
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), key
        holes = set(re.findall(r"%\(\w+\)s", " ".join(ids)))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) <= holes, (key, string)


def test_right_to_left_mirrors_the_pictures_and_the_page(root: Path, write_aid):
    text = aid_text().replace("id: test-aid", "id: test-aid\nlanguage: he")
    write_aid("test-aid", text)
    (root / "aids" / "test-aid.yaml").rename(root / "aids" / "test-aid.he.yaml")
    assert build(root, root / "out").ok
    page = soup(root / "out" / "he" / "test-aid.html")
    assert page.html["dir"] == "rtl"
    # The affected people stand at the bottom right, placed there (no SVG transform:
    # WeasyPrint drew mirrored pattern fills with the wrong tiles).
    arrays = page.select("svg.icon-array")
    assert arrays and not page.select("svg [transform]")
    for svg in arrays:
        width = float(svg["viewbox"].split()[2]) - 2
        bottom = max(float(r["y"]) for r in svg.select("rect.people"))
        affected = [r for r in svg.select("rect.people.affected") if float(r["y"]) == bottom]
        assert affected, svg["aria-label"]
        right = max(float(r["x"]) + float(r["width"]) for r in affected)
        assert right == width, svg["aria-label"]
    assert "direction: rtl" in page.style.get_text()
    first = pdf_pages(root / "out" / "he" / "test-aid.pdf")[0]
    assert "Page 1 of" in first  # the footer is still there, on the other side


def test_every_script_prints_and_a_missing_font_is_named(root: Path, write_aid):
    scripts = "Ελληνικά Русский العربية עברית हिन्दी ภาษาไทย 中文 日本語 한국어"
    write_aid("test-aid", aid_text().replace("Adults thinking", f"{scripts} Adults thinking"))
    report = build(root, root / "out", formats=["pdf"])
    assert report.ok and not [w for w in report.warnings if "no installed font" in w]
    text = pdf_text(root / "out" / "en" / "test-aid.pdf")
    for word in ("Ελληνικά", "Русский", "中文", "日本語", "한국어"):
        assert word in text
    # What no font has: an unassigned code point, and a private-use one (a font's own
    # picture there is not the character written).
    write_aid("test-aid", aid_text().replace("Adults thinking", "\u0378 \ue000 Adults thinking"))
    report = build(root, root / "out", formats=["pdf"])
    found = [w for w in report.warnings if "no installed font has" in w]
    assert found and "U+0378, U+E000" in found[0]


def _bare(text: str) -> str:
    """Text without combining marks (Arabic vowel signs come back apart from a PDF)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def test_translation_of_names_the_source_language(tmp_path: Path):
    root = tmp_path
    for folder in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / folder, root / folder)
    spanish = (root / "aids" / "upper-eyelid-surgery.es.yaml").read_text(encoding="utf-8")
    # A Catalan translation made from the Spanish one, with one figure changed.
    catalan = spanish.replace("language: es", "language: ca\ntranslation_of: es")
    catalan = catalan.replace("count: 15, per: 100", "count: 16, per: 100", 1)
    (root / "aids" / "upper-eyelid-surgery.ca.yaml").write_text(catalan, encoding="utf-8")
    report = check(root)
    found = [
        f for a in report.aids if a.language == "ca" for f in a.findings
        if f.code == "translation-mismatch"
    ]  # fmt: skip
    assert len(found) == 1 and "upper-eyelid-surgery.es.yaml:" in found[0].message


def test_a_phone_number_reads_left_to_right_in_a_right_to_left_handout(examples: Path):
    """Without isolation the bidi algorithm prints 555-0100 as 0100-555 in Arabic."""
    page = soup(examples / "ar" / "carpal-tunnel-release.html")
    isolated = [b.get_text() for b in page.select('bdi[dir="ltr"]')]
    # The isolate marks too: the page footer copies the clinic line's text only.
    assert "\u2066555-0100\u2069" in isolated
    assert "\u2066https://clinic.example.org\u2069" in isolated
    staff = soup(examples / "index.html")
    arabic = [t for t in staff.select('.title[lang="ar"]')]
    assert arabic and all(t.get("dir") == "auto" for t in arabic)


def test_numbers_and_plurals_follow_the_language(examples: Path, root: Path, write_aid):
    """Babel writes every number ("1.000" in Spanish), and a phrase agrees with its
    number: "alrededor de 1 de cada 100", never "unas 1"; Arabic counts 10 أشخاص but
    100 شخص."""
    page = soup(examples / "es" / "upper-eyelid-surgery.html")
    scale = text_of(page.select_one("ul.scale"))
    assert "de 1 a 9 de cada 1.000 personas" in scale, scale
    assert "de 1 a 9 de cada 10.000 personas" in scale and "menos de 1 de cada 10.000" in scale
    for path in ("upper-eyelid-surgery.pdf", "upper-eyelid-surgery.summary.pdf"):
        printed = pdf_text(examples / "es" / path)
        assert "alrededor de 1 de cada 100" in printed, path
        assert not re.search(r"\b[Uu]nas 1 ", printed), path
        assert not re.search(r"\d,\d{3}", printed), path  # an English thousands comma
    assert "1.000 personas" in pdf_text(examples / "es" / "upper-eyelid-surgery.pdf")
    assert "Unas 15 de cada 100 personas" in text_of(page)  # the plural keeps its words
    english = text_of(soup(examples / "en" / "upper-eyelid-surgery.html").select_one("ul.scale"))
    assert "1 to 9 in 1,000 people" in english and "fewer than 1 in 10,000 people" in english
    # Out of 10 in Arabic: ten takes the plural noun, a hundred the singular.
    tens = aid_text().replace("id: test-aid", "id: test-aid\nlanguage: ar")
    tens = tens.replace("count: 6, per: 100, range: [3, 10]", "count: 1, per: 10, range: [0, 2]")
    tens = tens.replace("count: 20, per: 100, range: [15, 25]", "count: 2, per: 10, range: [1, 3]")
    write_aid("test-aid", tens)
    (root / "aids" / "test-aid.yaml").rename(root / "aids" / "test-aid.ar.yaml")
    assert build(root, root / "out", formats=["html"]).ok
    arabic = text_of(soup(root / "out" / "ar" / "test-aid.html"))
    assert "نحو 2 من كل 10 أشخاص" in arabic and "من كل 10 شخص" not in arabic


def test_web_addresses_and_the_street_address_keep_their_order_right_to_left(examples: Path):
    """In an Arabic page the bidi algorithm once moved the slash of the summary's web
    address to its other end, and the street number after the street: both are now
    isolated, left to right, in the HTML and in the PDF."""
    url = "https://clinic.example.org/handouts/ar/carpal-tunnel-release.html"
    summary = soup(examples / "ar" / "carpal-tunnel-release.summary.html")
    link = summary.select_one(".url a")
    assert link.select_one('bdi[dir="ltr"]').get_text() == f"\u2066{url}\u2069"
    assert f"\u2066{url}\u2069" in summary.select_one("img.qr")["alt"]
    printed = re.sub(r"\s+", "", pdf_text(examples / "ar" / "carpal-tunnel-release.summary.pdf"))
    assert url in printed  # the lines under the QR code, read in order
    handout = soup(examples / "ar" / "carpal-tunnel-release.html")
    contact = handout.select_one("#next-steps .contact")
    assert "\u20681 Example Street, Example City\u2069" in [b.get_text() for b in contact("bdi")]
    printed = pdf_text(examples / "ar" / "carpal-tunnel-release.pdf")
    assert "1 Example Street, Example City" in printed  # not "Example Street, Example City 1"
    assert "https://clinic.example.org" in printed


def test_a_name_keeps_its_own_order_in_a_right_to_left_copy(tmp_path: Path):
    """A Latin name in an Arabic "Prepared for" sentence is isolated, as typed."""
    import datetime as dt

    from decisionaid.handout.consult import Consult
    from decisionaid.pipeline.core import make_copy
    from decisionaid.pipeline.result import Context
    from decisionaid.settings import BuildOptions

    ctx = Context.open(REPO, BuildOptions(formats=("html",)))
    loaded = ctx.content.load(REPO / "aids" / "carpal-tunnel-release.ar.yaml")
    consult = Consult("Ana-Maria Example 2nd", "Dr. Lee", dt.date(2027, 3, 1), summary=True)
    page = BeautifulSoup(make_copy(loaded, ctx, consult).files["copy"], "html.parser")
    names = sorted(b.get_text() for b in page.select(".prepared bdi"))
    assert names == ["\u2068Ana-Maria Example 2nd\u2069", "\u2068Dr. Lee\u2069"]


def test_a_chance_is_punctuated_as_its_language_writes(examples: Path):
    """Arabic joins a chance and its time with "،" and adds a fact after "؛", in the
    handout and in the summary; Spanish keeps "," and ";"."""
    arabic = soup(examples / "ar" / "carpal-tunnel-release.html")
    chances = [text_of(c) for c in arabic.select(".chance-words")]
    assert chances and all("،" in c and "," not in c for c in chances), chances
    summary = text_of(soup(examples / "ar" / "carpal-tunnel-release.summary.html"))
    assert "؛" in summary and ";" not in summary
    spanish = soup(examples / "es" / "upper-eyelid-surgery.html")
    assert all("," in text_of(c) for c in spanish.select(".chance-words"))
