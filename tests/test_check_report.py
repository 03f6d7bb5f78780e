"""The check says what it checked (issue 26, part 5): IPDAS certification beside the
criteria the check requires, the reading level over the handout the patient gets with
each formula named, a correct Spanish formula, the rules not run in a language named,
and Arabic counts in Babel's plural forms. Real YAML in, real HTML out (no PDF)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from gettext import c2py
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from helpers import REPO, build, check, run_cli, soup, text_of
from hypothesis import given, settings
from hypothesis import strategies as st

from decisionaid.handout.render import Renderer
from decisionaid.pipeline.core import make_aid
from decisionaid.pipeline.result import Context
from decisionaid.quality.language import ENGLISH_ONLY_AID_RULES, ENGLISH_ONLY_RULES
from decisionaid.quality.page_text import page_text
from decisionaid.quality.readability import count_words, spanish_ease
from decisionaid.settings import BuildOptions

TODAY = dt.date(2026, 11, 24)
ENGLISH_ONLY = {*ENGLISH_ONLY_RULES, *ENGLISH_ONLY_AID_RULES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's examples, built as web pages only (the check reads no PDF)."""
    out = tmp_path_factory.mktemp("check-report-out")
    report = build(REPO, out, formats=["html"], today=TODAY)
    assert report.ok, report.problems
    return out


@pytest.fixture(scope="module")
def checked():
    return {(a.id, a.language): a for a in check(REPO, today=TODAY).aids}


# 1. IPDAS certification stands beside the criteria the check requires.


def test_the_catalog_shows_certification_beside_the_required_criteria(built: Path, checked):
    eyelid = checked["upper-eyelid-surgery", "en"]
    met, total = eyelid.certification_met, len(eyelid.certification)
    assert total == 10 and met < total  # the example does not meet them all
    rows = {
        text_of(row.find("th").find(class_="title")): text_of(row)
        for row in soup(built / "index.html").find("table", class_="catalog").tbody("tr")
    }
    row = rows["Upper eyelid surgery (blepharoplasty)"]
    assert f"IPDAS 17 of 17; certification {met} of {total}" in row
    rhinoplasty = checked["rhinoplasty", "en"]
    assert rhinoplasty.certification_met == 10
    assert "IPDAS 17 of 17; certification 10 of 10" in rows["Nose surgery (rhinoplasty)"]


def test_the_report_and_the_build_line_count_certification(built: Path, checked):
    eyelid = checked["upper-eyelid-surgery", "en"]
    summary = eyelid.ipdas_summary
    assert summary.startswith("IPDAS: 17 of 17 machine-checkable criteria met; certification: ")
    assert f"certification: {eyelid.certification_met} of 10 met" in summary
    page = soup(built / "en" / "upper-eyelid-surgery.check.html")
    assert f"certification: {eyelid.certification_met} of 10 met" in text_of(page.header)
    result = run_cli("check", "upper-eyelid-surgery", "--root", str(REPO), "--json")
    aid = json.loads(result.output)["aids"][0]
    assert aid["certification"] == {"met": eyelid.certification_met, "total": 10}
    line = build(REPO, built.parent / "again", ("rhinoplasty",), formats=["html"]).check_summary()
    assert "IPDAS 17 of 17 criteria met, certification 10 of 10" in line


# 2. The reading level is measured over the handout the patient gets.


def test_the_grade_is_measured_over_the_handout_as_written(built: Path, checked):
    """The words counted are those of the handout page the build wrote: the template's
    headings and key included, what only the screen shows left out."""
    reading = checked["upper-eyelid-surgery", "en"].reading
    html = (built / "en" / "upper-eyelid-surgery.html").read_text(encoding="utf-8")
    blocks = page_text(html)
    assert reading["over"] == "handout"
    assert reading["words"] == count_words(blocks)["words"]
    assert reading["words"] > reading["aid_text"]["words"] + 300
    # the template's own words are read ...
    assert "How to read the chances in this handout" in blocks
    assert any(b.startswith("Answers to") for b in blocks)  # printed quiz answers
    # ... and what no printed page shows is not
    text = " ".join(blocks)
    assert "Show the answer" not in text and "Open the printable version" not in text
    assert "function" not in text and "@page" not in text  # no script, no style


def test_each_formula_is_named_with_what_it_measured(checked):
    result = run_cli("check", "upper-eyelid-surgery", "--root", str(REPO))
    reading = checked["upper-eyelid-surgery", "en"].reading
    line = next(x for x in result.output.splitlines() if "Reading grade" in x)
    assert f"Flesch-Kincaid grade {reading['flesch_kincaid_grade']}" in line
    assert f"SMOG {reading['smog_grade']}" in line
    assert f"over the whole handout ({reading['words']:,} words)" in line
    assert f"the aid's own text: grade {reading['aid_text']['grade']}" in line


def test_the_check_renders_each_handout_once_and_the_build_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    calls = []
    original = Renderer.handout

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Renderer, "handout", counted)
    ctx = Context.open(REPO, BuildOptions(out=tmp_path, formats=("html",), today=TODAY))
    result = make_aid(ctx.content.load(REPO / "aids" / "rhinoplasty.yaml"), ctx)
    assert result.ok and len(calls) == 1
    written = result.files["en/rhinoplasty.html"].decode("utf-8")
    assert result.check.reading["words"] == count_words(page_text(written))["words"]


def test_a_handout_that_cannot_be_rendered_is_measured_on_its_own_text(tmp_path: Path):
    root = tmp_path
    shutil.copytree(REPO / "aids", root / "aids")
    shutil.copytree(REPO / "glossary", root / "glossary")
    shutil.copytree(REPO / "factors", root / "factors")
    shutil.copytree(REPO / "images", root / "images")
    shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_text("{{ h.no_such_thing.x }}\n", "utf-8")
    aid = check(root, ("rhinoplasty",), today=TODAY).aids[0]
    assert aid.reading["over"] == "aid"
    assert aid.reading["words"] == aid.reading["aid_text"]["words"]
    message = next(f.message for f in aid.findings if f.code == "reading-grade")
    assert "over the aid's own text only (the handout could not be rendered)" in message


# 3. Spanish reading ease: Szigriszt-Pazos on the INFLESZ scale.


def test_spanish_ease_by_hand():
    # El(1) pa-cien-te(3) ne-ce-si-ta(4) u-na(2) o-pe-ra-ción(4) com-pli-ca-da(4):
    # 18 syllables, 6 words, 1 sentence.
    one = spanish_ease(["El paciente necesita una operación complicada."])
    assert (one.syllables, one.words, one.sentences) == (18, 6, 1)
    assert one.ease == pytest.approx(206.835 - 62.3 * 18 / 6 - 6, abs=0.05) == 13.9
    assert one.fernandez_huerta == pytest.approx(206.84 - 60 * 3 - 1.02 * 6, abs=0.05)
    assert one.band == "very_hard"
    # La(1) o-pe-ra-ción(4) es(1) com-pli-ca-da(4) after it: 24 syllables, 9 words, 2 sentences.
    two = spanish_ease(["El paciente necesita una operación. La operación es complicada."])
    assert (two.syllables, two.words, two.sentences) == (24, 9, 2)
    assert two.ease == pytest.approx(206.835 - 62.3 * 24 / 9 - 4.5, abs=0.05)  # 36.2
    assert two.band == "very_hard" and two.ease < 40


def test_spanish_ease_stays_on_its_scale():
    easy = spanish_ease(["La piel cae. Ve mal. Se va."])
    assert easy.ease == 100.0 and easy.band == "very_easy"  # the formula gives more
    hard = spanish_ease(["Electroencefalografía otorrinolaringológica interdisciplinaria."])
    assert hard.ease == 0.0 and hard.band == "very_hard"


WORDS = [
    "la",
    "piel",
    "del",
    "párpado",
    "cae",
    "con",
    "los",
    "años",
    "puede",
    "tapar",
    "vista",
    "cirugía",
    "quita",
    "que",
    "sobra",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=40),
    st.sets(st.integers(min_value=1, max_value=39)),
)
def test_more_sentences_for_the_same_words_never_read_harder(words: list[str], cuts: set[int]):
    joined = " ".join(words).capitalize() + "."
    pieces, start = [], 0
    for cut in sorted(c for c in cuts if c < len(words)):
        pieces.append(words[start:cut])
        start = cut
    pieces.append(words[start:])
    split = " ".join(" ".join(p).capitalize() + "." for p in pieces if p)
    one, many = spanish_ease([joined]), spanish_ease([split])
    assert one.words == many.words and one.syllables == many.syllables
    assert many.ease >= one.ease and many.fernandez_huerta >= one.fernandez_huerta


def test_the_spanish_example_is_read_by_inflesz(built: Path, checked):
    reading = checked["upper-eyelid-surgery", "es"].reading
    assert reading["formula"] == "szigriszt-pazos" and reading["scale"] == "inflesz"
    assert 0 <= reading["ease"] <= 100 and reading["over"] == "handout"
    for section in reading["sections"].values():
        assert 0 <= section["ease"] <= 100
    page = text_of(soup(built / "es" / "upper-eyelid-surgery.check.html"))
    assert "Szigriszt-Pazos perspicuity on the INFLESZ scale" in page
    assert "Fernández-Huerta" not in page


# 4. What did not run in a language is said, rule by rule.


@pytest.mark.parametrize(
    ("key", "name"),
    [(("upper-eyelid-surgery", "es"), "Spanish"), (("carpal-tunnel-release", "ar"), "Arabic")],
)
def test_rules_not_run_in_a_language_are_listed(built: Path, checked, key, name):
    aid = checked[key]
    notes = [f for f in aid.findings if f.code == "not-checked-in-language"]
    assert {re.search(r"\(([\w-]+)\)", f.message).group(1) for f in notes} == ENGLISH_ONLY
    assert all(f.message.startswith(f"not checked in {name}: ") for f in notes)
    assert set(aid.unchecked) == ENGLISH_ONLY
    result = run_cli("check", str(REPO / "aids" / f"{key[0]}.{key[1]}.yaml"), "--root", str(REPO))
    assert f"Not checked in {name} (English-only rules): " in result.output
    row = next(
        text_of(tr)
        for tr in soup(built / "index.html").find("table", class_="catalog").tbody("tr")
        if tr.find("td") and text_of(tr.find("td")) == name
    )
    assert f"{len(ENGLISH_ONLY)} plain-language rules not checked in {name}" in row
    page = soup(built / key[1] / f"{key[0]}.check.html")
    listed = [text_of(li) for li in page.find("ul", class_="not-checked")("li")]
    assert set(listed) == ENGLISH_ONLY


def test_english_has_every_rule_run(checked):
    aid = checked["upper-eyelid-surgery", "en"]
    assert aid.unchecked == []
    assert not [f for f in aid.findings if f.code == "not-checked-in-language"]


def test_arabic_reading_level_is_not_measured(built: Path, checked):
    aid = checked["carpal-tunnel-release", "ar"]
    assert aid.reading["formula"] is None and "grade" not in aid.reading
    note = next(f for f in aid.findings if f.code == "reading-formula")
    assert note.message.startswith("reading level: not measured in Arabic")
    row = text_of(soup(built / "index.html").find("table", class_="catalog"))
    assert "Reading level: not measured in Arabic" in row


# 5. Arabic counts take Babel's plural forms.


def test_the_arabic_catalog_has_babels_plural_rule():
    path = REPO / "templates" / "locale" / "ar" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        po = read_po(f)
    babel = get_plural("ar")
    assert po.num_plurals == babel.num_plurals == 6
    ours, babels = c2py(po.plural_expr), c2py(babel.plural_expr)
    assert [ours(n) for n in range(1200)] == [babels(n) for n in range(1200)]
    assert [ours(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)] == [
        0, 1, 2, 3, 3, 4, 4, 5, 5, 3, 4,
    ]  # fmt: skip


def test_two_options_take_the_dual_in_arabic(built: Path):
    page = soup(built / "ar" / "carpal-tunnel-release.html")
    lead = text_of(page.find(class_="lead-in"))
    assert lead.startswith("لديك خياران.") and "أحدهما" in lead
    assert not re.search(r"\d", lead)  # the dual needs no numeral


def test_arabic_counts_by_form():
    """11 to 99 take the accusative singular, 100 the genitive: the forms follow the
    catalog's Plural-Forms, not the older order where they were swapped."""
    ctx = Context.open(REPO)
    renderer = ctx.renderer_for("ar")
    people = renderer.env.from_string(
        '{% import "strings.html" as s %}{{ s.people(n) }}', globals={}
    )
    assert people.render(n=2).strip() == "شخصان"
    assert people.render(n=11).strip() == "11 شخصاً"
    assert people.render(n=100).strip() == "100 شخص"
