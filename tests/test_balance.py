"""Balance: a warning when every hope favours one option, and when "Time to decide" steers
towards one option; planted in a real aid file and found at its line, and none in the
examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import REPO, aid_text, check, line_of

TODAY = dt.date(2026, 11, 24)
CODES = ("hopes-favour-one-option", "time-to-decide-steers", "steering-not-checked")
# The test aid's one hope is `may` for surgery and `cannot` for waiting.
ANOTHER_HOPE = """  - id: look
    hope: Look better
    answers:
      surgery: {answer: {surgery}, why: Some people like how they look.}
      wait: {answer: {wait}, why: Nothing changes.}
"""


def found(root: Path, language: str = "en") -> list[tuple[int, str, str]]:
    report = check(root, today=TODAY)
    aid = next(a for a in report.aids if a.language == language)
    return [(f.line, f.code, f.level) for f in aid.findings if f.code in CODES]


def with_hope(surgery: str, wait: str) -> str:
    hope = ANOTHER_HOPE.replace("{surgery}", surgery).replace("{wait}", wait)
    return aid_text().replace("quiz:\n", hope + "quiz:\n", 1)


def test_every_hope_favouring_one_option_warns_at_goals(root: Path, write_aid):
    text = write_aid("test-aid", with_hope("can", "cannot")).read_text(encoding="utf-8")
    assert found(root) == [(line_of(text, "goals:"), "hopes-favour-one-option", "warning")]
    message = next(
        f.message for f in check(root, today=TODAY).aids[0].findings if f.code == CODES[0]
    )
    assert "'Have surgery' over 'Wait and see'" in message


@pytest.mark.parametrize(
    ("surgery", "wait"),
    [
        ("cannot", "can"),  # one hope each way
        ("may", "may"),  # a hope both options may meet
    ],
)
def test_hopes_that_do_not_all_lean_one_way_are_fine(
    root: Path, write_aid, surgery: str, wait: str
):
    write_aid("test-aid", with_hope(surgery, wait))
    assert found(root) == []


def test_a_hope_both_options_get_the_same_answer_for_favours_neither(root: Path, write_aid):
    # "Look ten years younger": cannot for both. One hope each way, or one the same:
    # not every hope favours surgery.
    write_aid("test-aid", with_hope("cannot", "cannot"))
    assert found(root) == []
    third = ANOTHER_HOPE.replace("id: look", "id: sleep").replace("Look better", "Sleep well")
    third = third.replace("{surgery}", "may").replace("{wait}", "cannot")
    write_aid("test-aid", with_hope("cannot", "cannot").replace("quiz:\n", third + "quiz:\n", 1))
    assert found(root) == []
    write_aid("test-aid", with_hope("can", "cannot").replace("quiz:\n", third + "quiz:\n", 1))
    assert [code for _, code, _ in found(root)] == ["hopes-favour-one-option"]


STEERING = [
    "Trying a splint first is a safe choice for many people.",  # the example as it was
    "Surgery is the best choice for most people.",
    "It is safest to wait and see.",
    "We recommend surgery.",
]


@pytest.mark.parametrize("sentence", STEERING)
def test_time_to_decide_that_steers_warns_at_its_sentences_line(
    root: Path, write_aid, sentence: str
):
    steering = aid_text().replace(
        "time_to_decide: You do not have to decide today.",
        f"time_to_decide: |\n  You do not have to decide today.\n  {sentence}",
    )
    if "splint" in sentence:  # the carpal tunnel example's option
        steering = steering.replace("name: Wait and see", "name: Night splint and wait")
    text = write_aid("test-aid", steering).read_text(encoding="utf-8")
    assert found(root) == [(line_of(text, sentence), "time-to-decide-steers", "warning")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Take the time you need to think it over and talk with your family.",
        "We suggest you wait at least 2 weeks before surgery.",  # time, and both options
        "There is no right or wrong choice.",  # no option named
        "Both options are safe choices.",
    ],
)
def test_time_to_decide_about_time_is_fine(root: Path, write_aid, sentence: str):
    write_aid(
        "test-aid",
        aid_text().replace(
            "time_to_decide: You do not have to decide today.",
            f"time_to_decide: You do not have to decide today. {sentence}",
        ),
    )
    assert found(root) == []


SPANISH = """id: test-aid
language: {language}
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
    living_with: Descansa una semana.
  - id: wait
    name: Férula y esperar
    no_action: true
    description: No se hace nada.
    living_with: El problema sigue.
next_steps: Hable con su familia.
time_to_decide: >-
  No tiene que decidir hoy.

  Probar primero la férula es lo más seguro.
"""


def test_spanish_time_to_decide_that_steers_warns_at_its_line(root: Path, write_aid):
    text = SPANISH.replace("{language}", "es")
    path = root / "aids" / "test-aid.es.yaml"
    path.write_text(text, encoding="utf-8")
    assert found(root, "es") == [
        (line_of(text, "Probar primero"), "time-to-decide-steers", "warning")
    ]
    path.write_text(
        text.replace(
            "Probar primero la férula es lo más seguro.", "Tómese el tiempo que necesite."
        ),
        encoding="utf-8",
    )
    assert found(root, "es") == []


def test_a_language_without_rules_says_time_to_decide_is_not_checked(root: Path, write_aid):
    text = SPANISH.replace("{language}", "fr")
    (root / "aids" / "test-aid.fr.yaml").write_text(text, encoding="utf-8")
    assert found(root, "fr") == [(line_of(text, "time_to_decide:"), "steering-not-checked", "info")]


def test_the_examples_are_balanced():
    report = check(REPO, today=TODAY)
    assert [str(f) for f in report.findings if f.code in CODES] == []
