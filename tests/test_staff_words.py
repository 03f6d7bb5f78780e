"""Staff read staff text: a Madrid desk (clinic.yaml `language: es`) with an Arabic aid
whose only other version is the English one it translates. The form and the chart note
give the English words (the source's), the patient's Arabic beside them; factor
questions come from the Spanish factors file. The app runs for real on a copy of the
repository's examples, driven in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import aid_text, line_of, run_cli
from playwright.sync_api import Page, expect
from test_front_desk import Desk, content_copy, desk_at
from test_web import no_violations

from decisionaid.handout.consult import Consult
from decisionaid.pipeline.notes import make_note
from decisionaid.pipeline.result import Context
from decisionaid.settings import BuildOptions
from decisionaid.web.site import Site


def spanish_desk_content(folder: Path) -> Path:
    root = content_copy(folder)
    clinic = root / "clinic.yaml"
    clinic.write_text("language: es\n" + clinic.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture
def madrid(tmp_path: Path, serve) -> Desk:
    return desk_at(spanish_desk_content(tmp_path / "content"), serve)


def test_an_arabic_aid_speaks_to_spanish_staff_in_its_source_words(madrid: Desk, page: Page):
    page.goto(madrid.url + "/ar/carpal-tunnel-release")
    expect(page.locator(".staff-title")).to_contain_text("Surgery for carpal tunnel syndrome")
    expect(page.locator(".staff-decision")).to_have_text(
        "Should I have surgery to take the pressure off the nerve in my wrist?"
    )
    options = page.locator("#options label").all_inner_texts()
    assert options == ["Surgery (الجراحة)", "Night splint and wait (جبيرة ليلية والانتظار)"]
    words = page.locator("#options .patient-words").first
    assert words.get_attribute("lang") == "ar" and words.get_attribute("dir") == "auto"
    questions = page.locator("#factors label").all_inner_texts()
    # the Spanish factors file has the staff's own words
    assert any(q.startswith("¿El paciente tiene diabetes? (") for q in questions), questions
    hopes = page.locator("#goals label").all_inner_texts()
    assert hopes[0] == "Sleep through the night without tingling (أن أنام طوال الليل بدون تنميل)"
    no_violations(page)
    page.get_by_label("¿El paciente tiene diabetes?").check()
    page.get_by_label("Do heavy work with my hand within a week").check()
    page.get_by_role("button", name="Crear nota para el expediente").click()
    note = page.get_by_label("Nota").input_value()
    assert "Toma de decisiones compartida: Should I have surgery" in note
    assert "Ayuda para decidir: Surgery for carpal tunnel syndrome" in note
    assert "- Surgery — الجراحة" in note
    assert "Tiene diabetes" in note
    assert "Do heavy work with my hand within a week — " in note
    assert "Copia entregada: en árabe" in note


def _note(root: Path, path: str, **consult) -> str:
    ctx = Context.open(root, BuildOptions(formats=("html",)))
    loaded = ctx.content.load(root / "aids" / path)
    result = make_note(loaded, ctx, Consult(date=dt.date(2027, 3, 1), **consult))
    assert result.ok, result.problems
    return result.note


def test_a_note_for_spanish_staff_takes_the_source_words_and_the_patients_beside(
    tmp_path: Path,
):
    root = spanish_desk_content(tmp_path / "content")
    note = _note(
        root,
        "carpal-tunnel-release.ar.yaml",
        factors=("diabetes",),
        goals=("sleep", "quick-work"),
    )
    lines = note.splitlines()
    assert lines[0] == (
        "Toma de decisiones compartida: "
        "Should I have surgery to take the pressure off the nerve in my wrist?"
    )
    assert lines[1].startswith("Ayuda para decidir: Surgery for carpal tunnel syndrome")
    options = lines[lines.index("Opciones comentadas:") + 1 :][:2]
    assert options == [
        "- Surgery — الجراحة",
        "- Night splint and wait (sin tratamiento / esperar) — جبيرة ليلية والانتظار",
    ]
    assert "(probabilidades para personas como él o ella): Tiene diabetes\n" in note
    assert "Sleep through the night without tingling — أن أنام طوال الليل بدون تنميل" in note
    assert "- Do heavy work with my hand within a week (Surgery)" in note
    assert "Copia entregada: en árabe, letra normal." in note


def test_a_note_in_the_staffs_own_language_version_has_no_patient_words_beside(tmp_path: Path):
    """Spanish staff, the English eyelid aid: its Spanish version has the staff's words,
    which need nothing beside them; English staff and the Arabic aid likewise."""
    root = spanish_desk_content(tmp_path / "content")
    note = _note(root, "upper-eyelid-surgery.yaml")
    assert "Ayuda para decidir: Cirugía del párpado superior (blefaroplastia)" in note
    assert "Opciones comentadas:\n- Cirugía de párpados\n- Sin cirugía por ahora" in note
    english = _note(Path(__file__).resolve().parent.parent, "carpal-tunnel-release.ar.yaml")
    assert "- Surgery\n" in english and not any("\u0600" <= c <= "\u06ff" for c in english)


# The catalog: each aid once, its languages under it


def test_the_catalog_shows_each_aid_once_with_its_languages(madrid: Desk, page: Page):
    page.goto(madrid.url + "/")
    titles = page.locator(".card-title a")
    # One card per aid, titled in the staff's words: the Spanish eyelid aid's own
    # title, the English carpal tunnel aid's (there is no Spanish one), never Arabic.
    assert titles.all_inner_texts() == [
        "Breast enlargement with implants (breast augmentation)",
        "Cirugía del párpado superior (blefaroplastia)",
        "Nose surgery (rhinoplasty)",
        "Surgery for carpal tunnel syndrome (carpal tunnel release)",
    ]
    carpal = page.locator(".card", has_text="Surgery for carpal tunnel syndrome")
    expect(carpal).to_have_count(1)
    links = carpal.locator(".card-languages a")
    expect(carpal.locator(".card-languages")).to_contain_text("Idiomas:")
    assert links.all_inner_texts() == ["Inglés", "Árabe"]
    assert links.evaluate_all("a => a.map(x => x.pathname)") == [
        "/en/carpal-tunnel-release",
        "/ar/carpal-tunnel-release",
    ]
    eyelid = page.locator(".card", has_text="Cirugía del párpado superior")
    expect(eyelid.locator(".card-title a")).to_have_attribute("href", "/es/upper-eyelid-surgery")
    assert eyelid.locator(".card-languages a").all_inner_texts() == ["Español", "Inglés"]
    # A language named inside a sentence is written as the language writes it there.
    expect(eyelid).to_contain_text("no comprobadas en español")
    expect(page.get_by_role("status")).to_contain_text("4")
    no_violations(page)
    carpal.get_by_role("link", name="Árabe").click()
    expect(page.locator("h1")).to_have_attribute("lang", "ar")


# Search in the staff's words, whatever language the aid is in


def _found(desk: Desk, query: str) -> list[str]:
    """The addresses of the cards a search finds (each card's main version)."""
    html = desk.served.get("/?q=" + urllib.parse.quote(query))
    return [a["href"] for a in BeautifulSoup(html, "html.parser").select(".card-title a")]


def test_spanish_staff_find_english_aids_by_their_spanish_words(madrid: Desk):
    assert _found(madrid, "rinoplastia") == _found(madrid, "nariz") == ["/en/rhinoplasty"]
    assert _found(madrid, "pecho") == ["/en/breast-augmentation"]
    assert _found(madrid, "túnel carpiano") == ["/en/carpal-tunnel-release"]
    assert _found(madrid, "tunel carpiano") == ["/en/carpal-tunnel-release"]
    # A translation's title and other names find the aid, in every language's words.
    assert _found(madrid, "الرسغي") == ["/en/carpal-tunnel-release"]
    assert _found(madrid, "eyelid") == ["/es/upper-eyelid-surgery"]


@pytest.mark.parametrize("staff", ["en", "es"])
@pytest.mark.parametrize("name", ["árabe", "Arabic", "العربية"])
def test_a_language_is_found_by_its_name_in_any_shipped_language(
    tmp_path: Path, staff: str, name: str
):
    root = spanish_desk_content(tmp_path) if staff == "es" else content_copy(tmp_path)
    site = Site(root, now=dt.date(2027, 3, 1))
    found, close = site.search(name)
    assert [a.id for a in found] == ["carpal-tunnel-release"] and not close
    found, _ = site.search("Spanish" if staff == "es" else "español")
    assert [a.id for a in found] == ["upper-eyelid-surgery"]


def test_keywords_in_another_language_need_a_language_tag(root: Path, write_aid):
    text = aid_text().replace("title:", "keywords_in:\n  not a tag: [nariz]\ntitle:", 1)
    write_aid("test-aid", text)
    result = run_cli("check", "--root", str(root))
    assert result.exit_code != 0
    assert f"test-aid.yaml:{line_of(text, 'not a tag')}:" in result.output, result.output
    assert "Traceback" not in result.output
