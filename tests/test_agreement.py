"""Every sentence agrees with the numbers: a fact is said once, in a figure, and every
other mention (a hope's answer, a number in a text, the summary, a personal copy) is
printed from it. Real YAML in; the HTML parsed and the PDF's text read back."""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import REPO, aid_text, line_of, run_cli, soup, text_of
from ruamel.yaml import YAML

from decisionaid.handout.figures import Stated, derived_answer
from decisionaid.handout.risk import Figure

# A group figure for the benefit, and a hope that rests on it, a hope met when the
# bruise is avoided, and a quiz explanation that names the benefit's figure.
GROUPED = aid_text().replace(
    "        source: study1\n    risks:\n      - name: Bruising",
    "        source: study1\n        for:\n          - factors: [diabetes]\n"
    "            chance: {count: 60, per: 100, range: [50, 70], timeframe: within 1 year}\n"
    "            source: study1\n    risks:\n      - id: bruising\n        name: Bruising",
)
GROUPED = GROUPED.replace(
    "      surgery: {answer: may, why: Surgery takes the problem away for some people.}",
    "      surgery: {figure: gone}",
).replace(
    "  - id: rid-of-it\n",
    "  - id: no-bruise\n    hope: Have no bruise\n    answers:\n"
    "      surgery: {figure: bruising, met_when: avoided}\n"
    "      wait: {answer: can, why: Nothing is done.}\n  - id: rid-of-it\n",
)
GROUPED = GROUPED.replace(
    "    explain: Waiting does not close the door.",
    "    explain: Waiting does not close the door. Surgery helps about {gone} people.",
)
FACTORS = """- {id: diabetes, label: Has diabetes, question: Diabetes?, group: have diabetes}
- {id: smoking, label: Smokes, question: Smokes?, group: smoke}
"""


@pytest.fixture
def grouped(root: Path, write_aid) -> Path:
    (root / "factors").mkdir()
    (root / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    write_aid("test-aid", GROUPED)
    return root


def copy_html(root: Path, *args: str) -> str:
    out = root / "copy.html"
    result = run_cli("handout", "test-aid", "--root", str(root), "--format", "html",
                     "-o", str(out), *args)  # fmt: skip
    assert result.exit_code == 0, result.output
    return text_of(soup(out)).replace(" :", ":")  # text_of spaces each element apart


def fig(count: int, per: int) -> Stated:
    return Stated(Figure(count, per, None, None, "in a year", None, False))


@pytest.mark.parametrize(
    ("count", "per", "met_when", "answer", "met"),
    [
        (90, 100, "happens", "can", 90),
        (89, 100, "happens", "likely", 89),
        (50, 100, "happens", "likely", 50),
        (49, 100, "happens", "may", 49),
        (1, 1000, "happens", "may", 1),
        (0, 100, "happens", "cannot", 0),
        (4, 100, "avoided", "can", 96),
        (20, 100, "avoided", "likely", 80),
        (100, 100, "avoided", "cannot", 0),
    ],
)
def test_the_answer_to_a_hope_follows_one_rule(count, per, met_when, answer, met):
    got, figure = derived_answer(fig(count, per), met_when)
    assert (got, figure.figure.count, figure.figure.per) == (answer, met, per)
    assert Fraction(figure.figure.count, per) >= (Fraction(9, 10) if got == "can" else 0)


def test_a_hope_is_answered_from_its_figure_for_the_patients_group(grouped: Path):
    everyone = copy_html(grouped)
    assert "Be rid of the problem It may: about 6 in 100" in everyone
    assert "It is likely: about 80 in 100" in everyone  # no bruise: 100 - 20
    assert "Surgery helps about 6 in 100 people." in everyone
    theirs = copy_html(grouped, "--factor", "diabetes", "--goal", "rid-of-it")
    # The patient's group's figure, in the hope, the words and the picture alike.
    assert "It is likely: about 60 in 100" in theirs
    assert "Surgery helps about 60 in 100 people." in theirs
    assert "about 6 in 100" not in theirs.replace("For all patients: about 6 in 100", "")


def test_everyones_figure_is_labelled_where_the_group_has_none(grouped: Path, write_aid):
    # Smoking and diabetes together: the evidence gives no figure for both.
    text = GROUPED.replace(
        "            source: study1\n    risks:",
        "            source: study1\n          - factors: [smoking]\n"
        "            chance: {count: 5, per: 100, range: [2, 8], timeframe: within 1 year}\n"
        "            source: study1\n    risks:",
    )
    write_aid("test-aid", text)
    words = copy_html(grouped, "--factor", "diabetes", "--factor", "smoking")
    assert "Surgery helps about 6 in 100 (for all patients) people." in words
    assert "It may: about 6 in 100 (for all patients)" in words
    assert "For all patients: About 6 in 100 people" in words


def test_the_summary_prints_the_derived_answer_with_its_number(grouped: Path):
    out = grouped / "summary.html"
    result = run_cli("handout", "test-aid", "--root", str(grouped), "--summary", "--format",
                     "html", "--factor", "diabetes", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    row = text_of(soup(out).select_one("tr.goals-row")).replace(" :", ":")
    assert "Be rid of the problem: Likely (60 in 100)" in row


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("{figure: gone}", "{figure: went}", "figure: went", "'went' is no figure of option"),
        ("{figure: gone}", "{figure: stays}", "figure: stays", "'stays' is another option's"),
        ("{figure: gone}", "{figure: gone, answer: may}", "figure: gone", "remove `answer`"),
        ("{figure: gone}", "{met_when: avoided}", "surgery: {met_when", "name the figure"),
    ],
)
def test_a_hope_names_a_figure_of_its_own_option(root: Path, write_aid, old, new, needle, message):
    from decisionaid.content.root import ContentRoot

    text = GROUPED.replace("      - name: It stays", "      - id: stays\n        name: It stays")
    text = text.replace(old, new)
    path = write_aid("test-aid", text)
    problems = [str(p) for p in ContentRoot.at(root).load(path).problems]
    assert any(f":{line_of(text, needle)}:" in p and message in p for p in problems), problems


def test_a_sentence_naming_a_figure_uses_the_scales_word(grouped: Path, write_aid):
    from helpers import check

    text = GROUPED.replace(
        "  - Many people feel worried before surgery. This is normal.",
        "  - 'Many people feel worried before surgery. Bruising is rare: {bruising} get it.'",
    )
    write_aid("test-aid", text)
    found = [f for f in check(grouped).aids[0].findings if f.code == "word-contradicts-scale"]
    assert [(f.line, f.message.split("'")[1]) for f in found] == [
        (line_of(text, "Bruising is rare"), "rare")
    ]


# --- every personal copy of every example: one patient's copy throughout -----------------

BETWEEN = {"en": r"in", "es": r"de\s+cada", "ar": r"من\s+كل"}
EVERYONE = {
    "en": ("For all patients", "(for all patients)"),
    "es": ("Para todos los pacientes", "(para todos los pacientes)"),
    "ar": ("لكل المرضى", "(لكل المرضى)"),
}
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def personalised() -> list[tuple[str, str, str]]:
    """(file, language, factor) for each example file with a group figure for a factor."""
    cases = []
    for path in sorted((REPO / "aids").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        factors = {
            tuple(group["factors"])
            for option in data["options"]
            for item in option.get("benefits", []) + option.get("risks", [])
            for group in item.get("for", [])
        }
        for (factor,) in sorted(f for f in factors if len(f) == 1):
            cases.append((path.name, data.get("language", "en"), factor))
    return cases


def general_figures(path: Path, factor: str) -> list[tuple[int, int]]:
    """The general figures (count, per) of outcomes whose figure the factor changes."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    found = []
    for option in data["options"]:
        for item in option.get("benefits", []) + option.get("risks", []):
            for group in item.get("for", []):
                if group["factors"] == [factor] and group["chance"] != item["chance"]:
                    found.append((item["chance"]["count"], item["chance"]["per"]))
    return found


@pytest.mark.parametrize(("name", "language", "factor"), personalised())
def test_a_personal_copy_never_prints_everyones_figure_unlabelled(tmp_path, name, language, factor):
    aid_id = name.split(".")[0]
    goals = YAML(typ="safe").load((REPO / "aids" / name).read_text(encoding="utf-8"))["goals"]
    out = tmp_path / "copy.pdf"
    args = ["handout", aid_id, "--root", str(REPO), "--language", language, "--factor", factor]
    args += [x for goal in goals for x in ("--goal", goal["id"])]
    result = run_cli(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    text = " ".join(_BIDI.sub("", text).split())
    general = general_figures(REPO / "aids" / name, factor)
    assert general, "the example personalises no figure for this factor"
    before, after = EVERYONE[language]
    for count, per in general:
        # Everyone's zero is said "fewer than 1 in 100".
        zero = r"(?:[Ff]ewer than|menos de|أقل من) 1"
        said = zero if count == 0 else rf"\b{count}\b"
        pattern = re.compile(rf"{said}\s+{BETWEEN[language]}\s+\(?\s*{per}\b")
        hits = list(pattern.finditer(text))
        for hit in hits:
            near = text[max(0, hit.start() - 45) : hit.end() + 30]
            assert before in near or after in near, (count, per, near)
