"""One place to call in an emergency: text that sends an emergency sign to the clinic, or
tells the patient to wait with it, is an error at its line (en, es, ar); the emergency
box of every example, in every language, names the emergency number and no clinic.
Real YAML in, the check's findings and the built HTML read back."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, check, line_of, soup, text_of

from decisionaid.quality.stems import word_rules

TODAY = dt.date(2026, 11, 24)
CODES = ("emergency-sent-to-clinic", "emergency-sign-in-call-us", "emergency-not-checked")
EYE_SIGNS = """warning_signs:
  call_us: [A fever over 38 °C, Eyes that stay very dry or sore]
  emergency: [Bad pain in or behind an eye, "Sudden trouble seeing, or loss of sight"]
"""
# The eyelid example as it was: the risk's text (a block, the sentence on its second
# line) and a quiz statement answered true both say "call us" for an emergency sign.
RISK = """      - name: Bleeding behind the eye
        text: >-
          This is uncommon, but it can harm your sight.

          Call us at once if you have bad pain or cannot see well.
        severity: serious
"""
QUIZ = """  - statement: If it hurts a lot or you cannot see well afterwards, call us at once.
    answer: true
    explain: It can be a sign of bleeding behind the eye.
    see: warning_signs
"""


def planted(risk: str = RISK, quiz: str = QUIZ, signs: str = EYE_SIGNS) -> str:
    text = aid_text().replace(
        "    risks:\n      - name: Bruising\n", f"    risks:\n{risk}      - name: Bruising\n", 1
    )
    text = text.replace("quiz:\n", f"quiz:\n{quiz}", 1)
    return text + signs


def found(root: Path, language: str = "en") -> list[tuple[int, str, str]]:
    """(line, code, where) of the emergency findings of the aid in `language`."""
    report = check(root, today=TODAY)
    aid = next(a for a in report.aids if a.language == language)
    return [(f.line, f.code, f.where) for f in aid.findings if f.code in CODES]


def test_call_us_about_an_emergency_sign_is_an_error_at_its_line(root: Path, write_aid):
    text = write_aid("test-aid", planted()).read_text(encoding="utf-8")
    assert found(root) == [
        (
            line_of(text, "Call us at once if you have bad"),
            "emergency-sent-to-clinic",
            "options[0].risks[0].text",
        ),
        (line_of(text, "If it hurts a lot"), "emergency-sent-to-clinic", "quiz[0].statement"),
    ]
    message = next(
        f.message
        for f in check(root, today=TODAY).aids[0].findings
        if f.where == "quiz[0].statement"
    )
    assert "'call us'" in message and "Sudden trouble seeing" in message
    assert "call the emergency number at once" in message


def test_the_same_text_sending_the_patient_to_the_emergency_number_is_clean(root: Path, write_aid):
    risk = RISK.replace(
        "Call us at once if you have bad pain or cannot see well.",
        "If you have bad pain or suddenly cannot see well, call the emergency number at once.",
    )
    quiz = QUIZ.replace("call us at once", "call the emergency number at once")
    write_aid("test-aid", planted(risk, quiz))
    assert found(root) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "If the pain behind your eye is bad, wait and see if it gets better.",
        "Tell us about trouble seeing at your next visit.",
        "If you have trouble seeing, phone us in the morning.",
        "Let us know if you lose your sight.",
    ],
)
def test_waiting_or_the_clinic_for_an_emergency_sign_is_an_error(
    root: Path, write_aid, sentence: str
):
    text = write_aid(
        "test-aid",
        planted(
            RISK.replace("Call us at once if you have bad pain or cannot see well.", sentence),
            quiz="",
        ),
    ).read_text(encoding="utf-8")
    assert found(root) == [
        (line_of(text, sentence[:30]), "emergency-sent-to-clinic", "options[0].risks[0].text")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Do not wait: if you suddenly cannot see, call the emergency number.",
        "Call us if your eyes stay dry.",  # a call_us sign, not an emergency one
        "We suggest you wait at least 2 weeks before surgery.",
        "Do not call us about trouble seeing: call the emergency number.",
    ],
)
def test_no_error_where_nothing_sends_an_emergency_sign_to_the_clinic(
    root: Path, write_aid, sentence: str
):
    write_aid(
        "test-aid",
        planted(
            RISK.replace("Call us at once if you have bad pain or cannot see well.", sentence),
            quiz="",
        ),
    )
    assert found(root) == []


def test_a_quiz_statement_answered_false_is_not_read_but_its_explanation_is(root: Path, write_aid):
    quiz = """  - statement: If you cannot see well afterwards, wait for your next visit.
    answer: false
    explain: Sudden trouble seeing is an emergency. Never call us for it, call the emergency number.
    see: warning_signs
  - statement: Trouble seeing can wait.
    answer: false
    explain: If you have trouble seeing, call us at once.
    see: warning_signs
"""
    text = write_aid(
        "test-aid",
        planted(RISK.replace("Call us at once", "Call the emergency number at once"), quiz),
    ).read_text(encoding="utf-8")
    # "bad pain or cannot see well" no longer goes to "call us"; the second
    # explanation's sentence does.
    assert found(root) == [
        (
            line_of(text, "explain: If you have trouble seeing"),
            "emergency-sent-to-clinic",
            "quiz[1].explain",
        )
    ]


def test_a_call_us_sign_that_is_an_emergency_sign_is_an_error(root: Path, write_aid):
    signs = """warning_signs:
  call_us:
    - A fever over 38 °C
    - Bleeding from the nose that does not stop after 10 minutes of pressure
  emergency:
    - Bleeding that will not stop
"""
    text = write_aid("test-aid", aid_text() + signs).read_text(encoding="utf-8")
    assert found(root) == [
        (
            line_of(text, "Bleeding from the nose"),
            "emergency-sign-in-call-us",
            "warning_signs.call_us[1]",
        )
    ]
    # Said apart ("heavy" for the emergency), each sign has one list.
    write_aid("test-aid", aid_text() + signs.replace("- Bleeding that", "- Heavy bleeding that"))
    assert found(root) == []


SPANISH = """id: test-aid
language: es
title: Procedimiento de prueba
decision: ¿Debo hacerme el procedimiento?
audience: Adultos.
condition: El problema, en palabras sencillas.
status: draft
updated: 2026-01-10
review_by: 2027-01-10
authors:
  - {name: Test Author}
options:
  - id: surgery
    name: Cirugía
    description: El cirujano lo arregla.
    living_with: |
      Descansa una semana.
      Llámenos enseguida si le duele mucho o no ve bien.
  - id: wait
    name: Esperar
    no_action: true
    description: No se hace nada.
    living_with: El problema sigue.
next_steps: Llámenos cuando quiera.
quiz:
  - statement: Si de repente no ve bien, puede esperar a su próxima cita.
    answer: true
    explain: Eso dice el folleto.
warning_signs:
  call_us: [Fiebre de más de 38 °C]
  emergency: [Mucho dolor en el ojo, Pérdida repentina de la vista]
"""


def test_spanish_call_us_or_wait_about_an_emergency_sign_is_found_at_its_line(
    root: Path, write_aid
):
    text = write_aid("test-aid.es", SPANISH).read_text(encoding="utf-8")
    assert found(root, "es") == [
        (
            line_of(text, "Llámenos enseguida si le duele"),
            "emergency-sent-to-clinic",
            "options[0].living_with",
        ),
        (
            line_of(text, "puede esperar a su próxima cita"),
            "emergency-sent-to-clinic",
            "quiz[0].statement",
        ),
    ]
    fixed = SPANISH.replace(
        "Llámenos enseguida si le duele mucho o no ve bien.",
        "Si le duele mucho o no ve bien, llame enseguida al número de emergencias.",
    ).replace("puede esperar a su próxima cita", "llame enseguida al número de emergencias")
    write_aid("test-aid.es", fixed)
    assert found(root, "es") == []


def test_arabic_call_us_about_an_emergency_sign_is_found(root: Path, write_aid):
    arabic = (
        SPANISH.replace("language: es", "language: ar")
        .replace(
            "Llámenos enseguida si le duele mucho o no ve bien.",
            "اتصل بنا فوراً إذا كان النزيف لا يتوقف.",
        )
        .replace(
            "  emergency: [Mucho dolor en el ojo, Pérdida repentina de la vista]",
            "  emergency: [نزيف لا يتوقف]",
        )
    )
    text = write_aid("test-aid.ar", arabic).read_text(encoding="utf-8")
    assert found(root, "ar") == [
        (line_of(text, "اتصل بنا فوراً"), "emergency-sent-to-clinic", "options[0].living_with")
    ]


def test_a_language_without_rules_is_not_checked_and_says_so(root: Path, write_aid):
    french = SPANISH.replace("language: es", "language: fr")
    text = write_aid("test-aid.fr", french).read_text(encoding="utf-8")
    report = check(root, today=TODAY)
    aid = next(a for a in report.aids if a.language == "fr")
    notes = [f for f in aid.findings if f.code == "emergency-not-checked"]
    assert [(f.level, f.line) for f in notes] == [("info", line_of(text, "  emergency:"))]
    assert "not checked in 'fr'" in notes[0].message


@pytest.mark.parametrize(
    ("language", "one", "other"),
    [
        ("en", "seeing", "see"),
        ("en", "bleeding", "bleeds"),
        ("en", "hurts", "pain"),
        ("es", "vista", "ve"),
        ("es", "duele", "dolor"),
        ("ar", "النزيف", "نزيف"),
    ],
)
def test_words_for_one_sign_share_a_stem(language: str, one: str, other: str):
    rules = word_rules(language)
    assert rules.stems(one) == rules.stems(other) != set()


def test_the_examples_send_no_emergency_sign_to_the_clinic():
    report = check(REPO, today=TODAY)
    assert {a.language for a in report.aids} == {"en", "es", "ar"}
    assert [str(f) for f in report.findings if f.code in CODES] == []


# What the patient reads: the built HTML of every example, in every language.

CALL_US_WORDS = {"en": "call us", "es": "llámenos", "ar": "اتصل بنا"}
WHATEVER = {"en": "Whatever you decide", "es": "Decida lo que decida", "ar": "أياً كان قرارك"}


@pytest.fixture(scope="module")
def html_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("emergency-html")
    report = build(REPO, out, formats=["html"])
    assert report.ok, report.problems
    return out


def test_every_examples_emergency_box_names_one_place_to_call(html_examples: Path):
    pages = sorted(
        p
        for p in html_examples.glob("*/*.html")
        if not p.name.endswith((".summary.html", ".check.html"))
    )
    assert {p.parent.name for p in pages} == {"en", "es", "ar"}
    assert len(pages) == len(list((REPO / "aids").glob("*.yaml")))
    for page in pages:
        language = page.parent.name
        section = soup(page).select_one("#when-to-call")
        box = section.select_one(".emergency")
        words = re.sub(r"[\u2066-\u2069]", "", text_of(box))
        assert "911" in words, page
        assert "555-0100" not in words and "555-0199" not in words, page
        assert CALL_US_WORDS[language] not in words.lower(), (page, words)
        assert len(box.select("li")) >= 1, page
        # The clinic's signs: for whatever the patient decides, not only after surgery.
        call_us = re.sub(r"[\u2066-\u2069]", "", text_of(section.select_one(".call-us p")))
        assert call_us.startswith(WHATEVER[language]) and "555-0100" in call_us, page
