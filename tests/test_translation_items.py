"""A translation matches its source item for item: an item missing from a list of the
translation, or one it adds, is an error at the translation's line, naming the source's
item with its file and line. And the Spanish handout says "esperar" only for what to
expect and for waiting, never for what a patient hopes for."""

from __future__ import annotations

import copy
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import REPO, build, check, soup, text_of
from ruamel.yaml import YAML

SOURCE, SPANISH = "upper-eyelid-surgery.yaml", "upper-eyelid-surgery.es.yaml"


def _yaml() -> YAML:
    yaml = YAML()  # round trip: the files keep their comments and their look
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


@pytest.fixture
def eyelid(tmp_path: Path) -> Path:
    """A content root with the eyelid aid and its Spanish translation."""
    for folder in ("glossary", "factors", "images"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    (tmp_path / "aids").mkdir()
    for name in (SOURCE, SPANISH):
        shutil.copy(REPO / "aids" / name, tmp_path / "aids" / name)
    return tmp_path


def _edit(path: Path, change: Callable) -> None:
    data = _yaml().load(path.read_text(encoding="utf-8"))
    change(data)
    out = io.StringIO()
    _yaml().dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def _load(path: Path):
    return _yaml().load(path.read_text(encoding="utf-8"))


def _node(data, loc: tuple):
    for key in loc:
        data = data[key]
    return data


def _key_line(data, loc: tuple) -> int:
    """The 1-based line of the key that holds the list at `loc`."""
    return _node(data, loc[:-1]).lc.key(loc[-1])[0] + 1


def _item_line(data, loc: tuple, index: int) -> int:
    return _node(data, loc).lc.item(index)[0] + 1


def _found(root: Path, code: str) -> list:
    return [
        f
        for a in check(root, ("upper-eyelid-surgery",)).aids
        for f in a.findings
        if f.code == code and f.file.name == SPANISH
    ]


def _translation_findings(report) -> list:
    return [f for a in report.aids for f in a.findings if f.code.startswith("translation-")]


# Each list, the item to drop from the translation (its index), and an item to add to
# it, unlike any of the source's (another figure, answer or `see`, or far longer), so
# that the check can tell it from the translated ones.
def _extra_outcome(item):
    planted = copy.deepcopy(item)
    planted["chance"]["count"] = 3
    planted["chance"]["range"][0] = 1
    planted["text"] = "Algo que el original no dice, en 4321 casos."
    if "name" in planted:
        planted["name"] = "Un riesgo de más"
    return planted


def _extra_quiz(item):
    return {**item, "statement": "Una frase de más, 4321.", "answer": True, "see": "goals"}


def _extra_row(item):
    planted = copy.deepcopy(item)
    planted["question"] = f"¿Una pregunta de más? {TEXT}"
    return planted


def _extra_goal(item):
    return {**copy.deepcopy(item), "id": "otro-deseo", "hope": "Un deseo de más"}


# Far longer than any item of the source: no translation of one of them.
TEXT = (
    "Un texto de más que el original no tiene, con muchas palabras que no traducen "
    "nada de lo que dice el folleto en inglés, escrito aquí solo para esta prueba, "
    "y que sigue y sigue un buen rato más, 4321 palabras después."
)
LISTS = [
    (("options", 0, "benefits"), 1, _extra_outcome, "You are pleased with how your eyes look."),
    (("options", 0, "risks"), 1, _extra_outcome, "Eyelids that do not match"),
    (
        ("options", 0, "recovery"),
        1,
        lambda item: {"at": "9 days", "what": "Un paso de más."},
        "1 week: The stitches come out.",
    ),
    (
        ("options", 0, "illustrations"),
        0,
        lambda item: {**item, "caption": "Un dibujo de más."},
        "The cut is made in the fold of the upper lid.",
    ),
    (("goals",), 1, _extra_goal, "Have eyes that look more rested"),
    (("quiz",), 2, _extra_quiz, "If it hurts a lot or you suddenly cannot"),
    (("compare",), 1, _extra_row, "Will it leave a scar?"),
    (("warning_signs", "call_us"), 1, lambda item: TEXT, "Redness or swelling that gets worse"),
    (("warning_signs", "emergency"), 1, lambda item: TEXT, "Sudden trouble seeing"),
    (("feelings",), 0, lambda item: TEXT, "Bruising can make you look worse"),
    (("questions",), 1, lambda item: TEXT, "What should I do if my eyes feel dry"),
    (("values",), 2, lambda item: TEXT, "How my eyes look matters to me."),
    (("uncertainties",), 1, lambda item: TEXT, "We cannot tell in advance who will get dry"),
    (("expectations",), 0, lambda item: TEXT, "Eyelid surgery does not fix a lid muscle"),
]
IDS = [".".join(str(k) for k in loc) for loc, *_ in LISTS]


@pytest.mark.parametrize(("loc", "index", "extra", "words"), LISTS, ids=IDS)
def test_an_item_missing_from_a_translation_is_named(eyelid: Path, loc, index, extra, words):
    spanish = eyelid / "aids" / SPANISH
    _edit(spanish, lambda data: _node(data, loc).pop(index))
    (found,) = _found(eyelid, "translation-missing-item")
    assert found.level == "error"
    assert found.line == _key_line(_load(spanish), loc)
    source_line = _item_line(_load(eyelid / "aids" / SOURCE), loc, index)
    assert f"{SOURCE}:{source_line})" in found.message
    assert words[:40] in found.message
    assert "here," in found.message  # "2 signs here, 3 in ..."


@pytest.mark.parametrize(("loc", "index", "extra", "words"), LISTS, ids=IDS)
def test_an_item_a_translation_adds_is_found_at_its_line(eyelid: Path, loc, index, extra, words):
    spanish = eyelid / "aids" / SPANISH

    def plant(data):
        items = _node(data, loc)
        items.insert(index + 1, extra(items[index]))

    _edit(spanish, plant)
    (found,) = _found(eyelid, "translation-extra-item")
    assert found.level == "error"
    assert found.line == _item_line(_load(spanish), loc, index + 1)
    planted = _node(_load(spanish), loc)[index + 1]
    keys = ("name", "hope", "statement", "question", "caption", "at", "text")
    label = planted if isinstance(planted, str) else next(planted[k] for k in keys if k in planted)
    assert str(label)[:20] in found.message
    assert f"{SOURCE}:{_key_line(_load(eyelid / 'aids' / SOURCE), loc)};" in found.message
    assert not _found(eyelid, "translation-missing-item")


def _option(data, option_id: str, name: str) -> None:
    """Add an option (a copy of the first), answered by every goal and compare row."""
    option = copy.deepcopy(data["options"][0])
    option.update({"id": option_id, "name": name})
    for key in ("recovery", "illustrations"):
        option.pop(key, None)
    data["options"].insert(1, option)
    for row in (*data["goals"], *data["compare"]):
        row["answers"][option_id] = copy.deepcopy(row["answers"]["surgery"])


def _list_of(key: str, value) -> Callable:
    return lambda data: data[key].append(value)


# Lists whose items cannot just be dropped from the translation (every aid needs an
# author, and an outcome its source): the source gains one instead.
KEYED = [
    (("options",), lambda data: _option(data, "laser", "Laser lid lift"), "Laser lid lift"),
    (
        ("sources",),
        _list_of("sources", {"id": "study-2", "citation": "A second study."}),
        "study-2",
    ),
    (("authors",), _list_of("authors", {"name": "Ana Lopez 2"}), "Ana Lopez 2"),
]


@pytest.mark.parametrize(("loc", "plant", "words"), KEYED, ids=[k[0][0] for k in KEYED])
def test_an_option_source_or_author_the_translation_lacks(eyelid: Path, loc, plant, words):
    source = eyelid / "aids" / SOURCE
    _edit(source, plant)
    missing = _found(eyelid, "translation-missing-item")
    assert [f.line for f in missing] == [_key_line(_load(eyelid / "aids" / SPANISH), loc)]
    planted = len(_node(_load(source), loc)) - 1 if loc != ("options",) else 1
    assert f"'{words}' (" in missing[0].message
    assert f"{SOURCE}:{_item_line(_load(source), loc, planted)})" in missing[0].message
    # The same item in the translation instead: an extra item, at its own line.
    shutil.copy(REPO / "aids" / SOURCE, source)
    _edit(eyelid / "aids" / SPANISH, plant)
    (extra,) = _found(eyelid, "translation-extra-item")
    spanish = _load(eyelid / "aids" / SPANISH)
    planted = len(_node(spanish, loc)) - 1 if loc != ("options",) else 1
    assert extra.line == _item_line(spanish, loc, planted) and words in extra.message


def test_the_sign_a_translation_drops_is_named_when_its_numbers_tell(eyelid: Path):
    """The fever sign has numbers a translation keeps (38 °C): the others do not, so
    the check names the one that may be missing, each with its line."""
    spanish = eyelid / "aids" / SPANISH
    _edit(spanish, lambda data: data["warning_signs"]["call_us"].pop(0))
    (found,) = _found(eyelid, "translation-missing-item")
    source = _load(eyelid / "aids" / SOURCE)
    line = _item_line(source, ("warning_signs", "call_us"), 0)
    assert "probably missing: 'A fever over 38 °C (100.4 °F)' (" in found.message
    assert f"{SOURCE}:{line})" in found.message
    assert found.message.startswith("3 signs here, 4 in ")


def test_a_dropped_goal_keeps_the_others_answers_compared(eyelid: Path):
    """Goals pair by id: with one dropped, a changed answer of a later goal is still
    found at its own line, and the dropped one is not reported as a changed answer."""
    spanish = eyelid / "aids" / SPANISH

    def change(data):
        data["goals"].pop(0)
        data["goals"][1]["answers"]["surgery"]["answer"] = "may"

    _edit(spanish, change)
    mismatch = _found(eyelid, "translation-mismatch")
    assert [f.where for f in mismatch] == ["goals[1].answers"]
    assert f"{SOURCE}:{_key_line(_load(eyelid / 'aids' / SOURCE), ('goals', 2, 'answers'))}" in (
        mismatch[0].message
    )
    (missing,) = _found(eyelid, "translation-missing-item")
    assert "'See well without tilting my head'" in missing.message


def test_every_problem_is_reported_at_once_and_the_build_is_blocked(eyelid: Path):
    spanish = eyelid / "aids" / SPANISH

    def change(data):
        data["warning_signs"]["emergency"].pop(1)
        data["quiz"].pop(0)
        data["values"].append(TEXT)

    _edit(spanish, change)
    report = check(eyelid)
    codes = sorted(f.code for f in _translation_findings(report))
    assert codes == ["translation-extra-item"] + ["translation-missing-item"] * 2
    built = build(eyelid, eyelid / "out", formats=["html"])
    assert not built.ok  # blocked, even a draft
    assert not (eyelid / "out" / "es" / "upper-eyelid-surgery.html").exists()
    assert (eyelid / "out" / "en" / "upper-eyelid-surgery.html").exists()


def test_the_examples_match_their_sources_item_for_item():
    report = check(REPO)
    translated = [a for a in report.aids if a.language != "en"]
    assert {a.language for a in translated} == {"es", "ar"}
    assert _translation_findings(report) == []


# Hope, expect, wait: one word each in a handout


def _catalog(language: str) -> dict[str, str]:
    path = REPO / "templates" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {
            m.id if isinstance(m.id, str) else m.id[0]: m.string
            for m in read_po(handle)
            if m.id and isinstance(m.string, str)
        }


@pytest.mark.parametrize(
    ("language", "hope", "expect", "wait"),
    [
        # Spanish "esperar" is to expect, to hope and to wait: hopes are "desear".
        ("es", ("dese", "desea"), ("esper",), ("esper",)),
        # Arabic: أمل to hope, توقع to expect, انتظار to wait.
        ("ar", ("أمل", "تأمل", "يأمل", "آمال"), ("توقع",), ("تنتظر", "انتظار")),
    ],
)
def test_hope_expect_and_wait_are_different_words(language, hope, expect, wait):
    catalog = _catalog(language)
    words = {"hope": hope, "expect": expect, "wait": wait}
    for msgid, msgstr in catalog.items():
        english = re.sub(r"%\(\w+\)s", "", msgid).lower()  # not the placeholders
        meant = [k for k in words if k in english]
        if len(meant) != 1:
            continue
        (kind,) = meant
        msgstr = msgstr.lower()
        assert any(w in msgstr for w in words[kind]), (msgid, msgstr)
        others = [w for k, ws in words.items() if k != kind for w in ws if w not in words[kind]]
        assert not [w for w in others if w in msgstr], (msgid, msgstr)
    if language == "es":
        assert not [s for i, s in catalog.items() if "hope" in i.lower() and "esper" in s.lower()]


def test_the_spanish_handout_says_esperar_only_for_what_to_expect(tmp_path: Path):
    report = build(REPO, tmp_path / "out", ("upper-eyelid-surgery",), formats=["html"])
    assert report.ok, report.problems
    page = soup(tmp_path / "out" / "es" / "upper-eyelid-surgery.html")
    hopes = text_of(page.select_one("#goals thead th"))
    assert hopes == "Lo que usted puede desear"
    labels = [text_of(n) for n in page.select("h1, h2, h3, h4, th, label, summary, caption")]
    with_esperar = [label for label in labels if "esper" in label.lower()]
    assert with_esperar and set(with_esperar) == {"Qué esperar"}
    summary = soup(tmp_path / "out" / "es" / "upper-eyelid-surgery.summary.html")
    row = text_of(summary.select_one("tr.goals-row th"))
    assert row == "¿Le puede dar lo que desea?"


def test_a_recovery_step_keeps_its_time(eyelid: Path):
    """Steps are in time order (validation); a translation keeps each step's `at`."""
    spanish = eyelid / "aids" / SPANISH
    _edit(spanish, lambda data: data["options"][0]["recovery"][1].update({"at": "8 days"}))
    (found,) = _found(eyelid, "translation-mismatch")
    step = _node(_load(spanish), ("options", 0, "recovery", 1))
    assert found.line == step.lc.key("at")[0] + 1 and found.where == "options[0].recovery[1].at"
    source = _node(_load(eyelid / "aids" / SOURCE), ("options", 0, "recovery", 1))
    assert f"{SOURCE}:{source.lc.key('at')[0] + 1} 1 week" in found.message
    assert "here 8 days" in found.message
    assert not _found(eyelid, "translation-missing-item")
