"""Expectations, checked: what the patient hopes for against what each option can do,
a check of understanding, feelings, when to call, time to decide and support. Real
YAML in; the PDF read back, the HTML parsed, the web page driven in Chromium."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from helpers import (
    REPO,
    WAIT_MS,
    aid_text,
    build,
    check,
    files_before,
    files_mentioning,
    line_of,
    made_up_name,
    pdf_pages,
    pdf_text,
    run_cli,
    soup,
    text_of,
)
from PIL import Image
from playwright.sync_api import Browser
from pypdf import PdfReader
from test_pages import text_at

TODAY = dt.date(2026, 11, 24)
GOALS = """goals:
  - id: rid-of-it
    hope: Be rid of the problem
    answers:
      surgery: {answer: may, why: Surgery takes the problem away for some people.}
      wait: {answer: cannot, why: Nothing changes if you wait.}
"""
SIGNS = """warning_signs:
  call_us: [A fever that does not go away]
  emergency: [Trouble breathing]
"""
CLINIC = (
    "name: Test Clinic\nphone: 555-0100\nafter_hours_phone: 555-0199\nemergency_number: '112'\n"
)


def problems(root: Path, write_aid, text: str) -> list[str]:
    from decisionaid.content.root import ContentRoot

    path = write_aid("test-aid", text)
    return [str(p) for p in ContentRoot.at(root).load(path).problems]


def findings(root: Path, code: str) -> list:
    return [f for f in check(root, today=TODAY).aids[0].findings if f.code == code]


def with_clinic(root: Path, text: str = CLINIC) -> Path:
    (root / "clinic.yaml").write_text(text, encoding="utf-8")
    return root


# The content and its rules


def test_the_new_keys_are_read_and_printed(root: Path, write_aid):
    text = aid_text() + SIGNS
    assert problems(root, write_aid, text) == []
    with_clinic(root)
    assert build(root, root / "out", formats=["pdf"]).ok
    words = pdf_text(root / "out" / "en" / "test-aid.pdf")
    for heading in (
        "What can each option do for you?",
        "How you may feel",
        "Check what you know",
        "Time to decide",
        "When to call us",
        "Answers to “Check what you know”",
    ):
        assert heading in words, heading
    assert "Be rid of the problem" in words and "Many people feel worried" in words
    assert "You do not have to decide today." in words


def test_every_goal_answers_every_option_at_its_line(root: Path, write_aid):
    text = aid_text().replace(
        "      wait: {answer: cannot, why: Nothing changes if you wait.}\n", ""
    )
    found = problems(root, write_aid, text)
    assert found == [
        f"{root / 'aids' / 'test-aid.yaml'}:{line_of(text, '- id: rid-of-it')}: goals[0]: no "
        "answer for option 'wait': a goal says what every option can do for it, like wait: "
        "{answer: may, why: ...}"
    ]


def test_a_goal_names_only_the_aids_options(root: Path, write_aid):
    text = aid_text().replace("      wait: {answer: cannot", "      waiting: {answer: cannot")
    found = problems(root, write_aid, text)
    assert any(
        f":{line_of(text, 'waiting:')}: goals[0].answers.waiting: 'waiting' is not an option id "
        "(surgery, wait)" in p
        for p in found
    ), found
    assert any("no answer for option 'wait'" in p for p in found)


def test_an_answer_is_can_may_or_cannot(root: Path, write_aid):
    text = aid_text().replace("surgery: {answer: may,", "surgery: {answer: maybe,")
    (found,) = problems(root, write_aid, text)
    assert f":{line_of(text, 'answer: maybe')}: goals[0].answers.surgery.answer:" in found
    assert "'can', 'likely', 'may' or 'cannot'" in found and "maybe" in found


@pytest.mark.parametrize("written", ["yes", "'true'", "1"])
def test_a_quiz_answer_is_true_or_false(root: Path, write_aid, written: str):
    text = aid_text().replace("    answer: true\n", f"    answer: {written}\n")
    (found,) = problems(root, write_aid, text)
    assert f":{line_of(text, f'answer: {written}')}: quiz[1].answer:" in found
    assert "write true or false" in found


def test_a_quiz_statement_points_to_a_section_the_handout_has(root: Path, write_aid):
    text = aid_text().replace("    see: condition\n", "    see: risks\n")
    text = text.replace("    see: wait\n", "    see: warning_signs\n")
    found = problems(root, write_aid, text)
    assert len(found) == 2, found
    assert f":{line_of(text, 'see: risks')}: quiz[0].see: 'risks' is not a section (" in found[0]
    assert "this handout has no 'warning_signs' section" in found[1]
    assert (
        "condition, options, goals, uncertainties, expectations, feelings, surgery, wait"
        in (found[1])
    )


def test_warning_signs_list_at_least_one_sign(root: Path, write_aid):
    text = aid_text() + "warning_signs: {call_us: [], emergency: []}\n"
    (found,) = problems(root, write_aid, text)
    assert f":{line_of(text, 'warning_signs:')}: warning_signs: no signs listed" in found


def test_a_translation_keeps_goal_ids_answers_and_quiz_answers(tmp_path: Path):
    root = tmp_path
    for folder in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / folder, root / folder)
    translated = root / "aids" / "upper-eyelid-surgery.es.yaml"
    text = translated.read_text(encoding="utf-8")
    changed = text.replace("surgery: {figure: see-more,", "surgery: {figure: pleased,")
    changed = changed.replace("    answer: false\n", "    answer: true\n", 1)
    changed = changed.replace("  - id: side-lines", "  - id: lines")
    translated.write_text(changed, encoding="utf-8")
    found = [
        f
        for a in check(root, today=TODAY).aids
        for f in a.findings
        if f.code == "translation-mismatch"
    ]
    assert sorted((f.line, f.where) for f in found) == [
        (line_of(changed, "goals:"), "goals"),
        (line_of(changed, "surgery: {figure: pleased, why: La piel que") - 1, "goals[0].answers"),
        (line_of(changed, "    answer: true"), "quiz[0].answer"),
    ]
    source = (root / "aids" / "upper-eyelid-surgery.yaml").read_text(encoding="utf-8")
    answer = next(f for f in found if f.where == "quiz[0].answer")
    assert "here true" in answer.message and "false" in answer.message
    quiz_line = line_of(source, "- statement: The scar") + 1
    assert f"upper-eyelid-surgery.yaml:{quiz_line}" in answer.message
    assert not build(root, root / "out", ("upper-eyelid-surgery",), formats=["pdf"]).ok


# What `check` says


def test_two_options_and_no_goals_warn(root: Path, write_aid):
    text = aid_text()
    write_aid("test-aid", text[: text.index("goals:")] + text[text.index("quiz:") :])
    (found,) = findings(root, "no-goals")
    assert found.level == "warning" and "can, may or cannot" in found.message
    criteria = {c.code: c.met for c in check(root, today=TODAY).aids[0].criteria}
    assert criteria["ipdas-expectations"] is False and criteria["ipdas-knowledge"] is True


def test_an_approved_aid_asks_three_statements_and_says_when_to_call(root: Path, write_aid):
    approved = aid_text().replace("status: draft", "status: approved\napproved_by: Dr. Q")
    one_statement = (
        approved[: approved.index("  - statement: You can")]
        + approved[approved.index("feelings:") :]
    )
    write_aid("test-aid", one_statement)
    assert [f.level for f in findings(root, "few-quiz")] == ["warning"]
    assert [f.level for f in findings(root, "no-warning-signs")] == ["warning"]
    criteria = {c.code: c.met for c in check(root, today=TODAY).aids[0].criteria}
    assert criteria["ipdas-knowledge"] is False
    with_clinic(root)
    write_aid("test-aid", approved + SIGNS)
    assert findings(root, "few-quiz") == findings(root, "no-warning-signs") == []
    draft = aid_text()
    write_aid(
        "test-aid",
        draft[: draft.index("  - statement: You can")] + draft[draft.index("feelings:") :],
    )
    assert findings(root, "few-quiz") == []  # a draft may have fewer


def test_a_quiz_of_one_answer_is_noted(root: Path, write_aid):
    write_aid("test-aid", aid_text().replace("    answer: true\n", "    answer: false\n"))
    (found,) = findings(root, "quiz-one-sided")
    assert found.level == "info" and "every quiz answer is false" in found.message
    write_aid("test-aid", aid_text())
    assert findings(root, "quiz-one-sided") == []


@pytest.mark.parametrize(
    ("why", "language", "refused"),
    [
        ("About 7 in 10 people breathe better a year later.", "en", "7 in 10"),
        ("About 85 out of 100 people are pleased.", "en", "85 out of 100"),
        ("About 6 in 100 people are rid of it.", "en", "6 in 100"),
        ("Unas 7 de cada 10 personas respiran mejor.", "es", "7 de cada 10"),
        ("نحو 7 من كل 10 أشخاص يتنفسون بشكل أفضل.", "ar", "7 من كل 10"),
        ("It takes 4 to 6 weeks.", "en", None),
        ("Implants make your breasts larger.", "en", None),
    ],
)
def test_a_hand_written_answer_may_not_state_a_chance(
    root: Path, write_aid, why, language, refused
):
    text = aid_text().replace(
        "surgery: {answer: may, why: Surgery takes the problem away for some people.}",
        f'surgery: {{answer: can, why: "{why}"}}',
    )
    if language != "en":
        text = text.replace("id: test-aid\n", f"id: test-aid\nlanguage: {language}\n")
        write_aid(f"test-aid.{language}", text)
        (root / "aids" / "test-aid.yaml").unlink()
    else:
        write_aid("test-aid", text)
    assert findings(root, "invalid") == []
    found = findings(root, "why-states-a-chance")
    assert [(f.level, f.line) for f in found] == (
        [("error", line_of(text, "answer: can"))] if refused else []
    )
    if refused:
        assert f"'{refused}'" in found[0].message and "figure: " in found[0].message


@pytest.mark.parametrize(
    ("text", "chance"),
    [
        ("About 7 in 10 people", Fraction(7, 10)),
        ("85 out of 100", Fraction(85, 100)),
        ("3 in every 1,000 people", Fraction(3, 1000)),
        ("unas 8 de cada 10 personas", Fraction(8, 10)),
        ("5 de cada 1.000", Fraction(5, 1000)),
        ("نحو ٧ من كل ١٠ أشخاص", Fraction(7, 10)),
        ("About 20% of people", Fraction(20, 100)),
        ("one in five people", Fraction(1, 5)),
        ("uno de cada cinco", Fraction(1, 5)),
        ("el 15 por ciento", Fraction(15, 100)),
        ("About {dry-eyes} people", None),
        ("It takes 4 to 6 weeks.", None),
        ("We see you 1 in 2 weeks.", None),
        ("A fever over 38 °C (100.4 °F)", None),
        ("12 in 10", None),
        ("1.5 in 10", None),
    ],
)
def test_a_chance_written_by_hand_is_read_from_its_words(text: str, chance: Fraction | None):
    from decisionaid.quality.chances import written_chances

    found = written_chances(text)
    assert [w.share for w in found] == ([chance] if chance is not None else [])


def test_the_new_text_gets_the_plain_language_checks(root: Path, write_aid):
    long = " ".join(["Many people feel worried before surgery and"] * 4) + " this is normal."
    text = aid_text().replace(
        "  - Many people feel worried before surgery. This is normal.", f"  - {long}"
    )
    text = text.replace(
        "  - statement: Surgery makes you younger.",
        "  - statement: Surgery makes you twice as likely to look younger.",
    )
    write_aid("test-aid", text)
    found = check(root, today=TODAY).aids[0].findings
    assert [(f.code, f.line) for f in found if f.where == "feelings[0]" and f.level != "info"] == [
        ("long-sentence", line_of(text, long[:30]))
    ]
    assert [f.code for f in found if f.where == "quiz[2].statement"] == ["relative-risk"]
    assert [f for f in found if f.code.startswith("chance-")] == []
    sections = check(root, today=TODAY).aids[0].reading["sections"]
    assert {"goals", "quiz", "feelings", "time_to_decide"} <= set(sections)


def test_ipdas_counts_knowledge_and_expectations(root: Path):
    report = check(root, today=TODAY).aids[0]
    labels = {c.code: (c.group, c.met) for c in report.criteria}
    assert labels["ipdas-knowledge"] == ("quality", True)
    assert labels["ipdas-expectations"] == ("quality", True)
    assert report.ipdas_met == len(report.criteria) == 17


def test_when_to_call_asks_clinic_yaml_for_its_numbers(root: Path, write_aid):
    write_aid("test-aid", aid_text() + SIGNS)
    assert [f.level for f in findings(root, "no-emergency-number")] == ["warning"]
    assert [f.level for f in findings(root, "no-after-hours-phone")] == ["warning"]
    with_clinic(root)
    assert findings(root, "no-emergency-number") == findings(root, "no-after-hours-phone") == []


def test_the_examples_check_clean_with_hopes_quizzes_and_warning_signs():
    report = check(REPO, today=TODAY)
    for aid in report.aids:
        assert aid.count("error") == aid.count("warning") == 0, aid.id
        assert {"ipdas-knowledge", "ipdas-expectations"} <= {c.code for c in aid.criteria if c.met}
    from decisionaid.content.root import ContentRoot

    content = ContentRoot.at(REPO)
    for path in content.aid_paths():
        aid = content.load(path).aid
        assert 3 <= len(aid.goals) <= 5 and 3 <= len(aid.quiz) <= 5, path.name
        assert {item.answer for item in aid.quiz} == {True, False}, path.name
        assert aid.feelings and aid.warning_signs and aid.time_to_decide, path.name
        assert aid.warning_signs.call_us and aid.warning_signs.emergency, path.name


# The handout


def darkness(image: Image.Image) -> float:
    pixels = image.tobytes()
    return sum(255 - v for v in pixels) / (255 * len(pixels))


def test_hopes_against_options_in_words_and_marks_that_read_in_greyscale(examples: Path):
    path = examples / "en" / "rhinoplasty.pdf"
    words = pdf_text(path)
    assert "What can each option do for you?" in words
    assert "Breathe more easily through my nose" in words
    # Answers derived from a figure carry its number; a hand-written one its reason.
    assert "It is likely: about 7 in 10" in words
    assert "It may: about 1 in 10 A bent septum stays bent." in words
    assert "No, it cannot Surgery works with your own bone" in words
    html = soup(examples / "en" / "rhinoplasty.html")
    table = html.select_one("#goals table")
    assert [text_of(th) for th in table.select("thead th")] == [
        "What you may hope for",
        "Nose surgery",
        "No surgery",
    ]
    assert len(table.select("tbody th[scope=row]")) == 4
    # Each mark, printed in greyscale, differs by shape: full, half, crossed out.
    dpi, shades = 200, {}
    with tempfile.TemporaryDirectory() as tmp:
        for answer in ("Yes, it can", "It is likely", "It may", "No, it cannot"):
            page, x, y = text_at(path, answer)[0]
            height = float(PdfReader(path).pages[page].mediabox.height)
            number = str(page + 1)
            subprocess.run(
                ["pdftoppm", "-gray", "-r", str(dpi), "-f", number, "-l", number, str(path),
                 f"{tmp}/{page}"],
                check=True,
            )  # fmt: skip
            image = Image.open(next(Path(tmp).glob(f"{page}-*.pgm"))).convert("L")
            scale = dpi / 72
            # The mark's box, in ems of the table's type: the body's 12 pt since issue 28
            # (it was 10.6 pt), the mark 0.85 em wide with 0.3 em before the words.
            em = 12
            top, bottom = (height - y - 0.8 * em) * scale, (height - y + 0.05 * em) * scale
            left, middle = (x - 1.085 * em) * scale, (x - 0.66 * em) * scale
            right = (x - 0.236 * em) * scale
            halves = [image.crop((int(a), int(top), int(b), int(bottom))) for a, b in
                      ((left, middle), (middle, right))]  # fmt: skip
            shades[answer] = [darkness(half) for half in halves]
    can, may, cannot = shades["Yes, it can"], shades["It may"], shades["No, it cannot"]
    likely = shades["It is likely"]
    assert min(can) > 0.55, shades
    assert may[0] - may[1] > 0.25, shades  # half filled, on the side the text starts
    # Three quarters: its second half darker than "may"'s, lighter than "can"'s.
    assert may[1] + 0.1 < likely[1] < can[1] - 0.1 and likely[0] > 0.55, shades
    assert max(cannot) < 0.5 and abs(cannot[0] - cannot[1]) < 0.1, shades
    assert sum(can) - sum(cannot) > 0.4, shades


def test_quiz_answers_are_at_the_end_pointing_to_their_sections(examples: Path):
    path = examples / "en" / "rhinoplasty.pdf"
    pages = pdf_pages(path)
    quiz = next(n for n, text in enumerate(pages) if "Check what you know" in text)
    answers = next(n for n, text in enumerate(pages) if "Answers to “Check what you know”" in text)
    assert quiz < answers == len(pages) - 1
    end = pages[answers]
    # In this order, at the end ("Words to know" may end the page before).
    text = " ".join(pages[answers - 1 :])
    assert text.index("Words to know") < text.index("Answers to") < text.index("About this")
    assert "Answers to “Check what you know” False. Swelling goes down slowly." in end
    expect = 1 + next(n for n, text in enumerate(pages) if "What to expect" in text)
    assert f"See: What to expect (page {expect})" in end
    option = 1 + next(n for n, text in enumerate(pages) if "Option 2: No surgery" in text)
    assert f"See: Option 2: No surgery (page {option})" in end
    assert "See: About the problem (page 1)" in end
    # The statements are asked without their answers.
    assert "Swelling goes down slowly" not in pages[quiz].split("Check what you know")[1][:400]
    html = soup(examples / "en" / "rhinoplasty.html")
    first = html.select_one("#quiz li")
    assert first.select_one("details summary").get_text() == "Show the answer"
    assert first.select_one("details a")["href"] == "#expectations"
    links = [a["href"] for a in html.select("#quiz-answers a.see")]
    assert links == ["#expectations", "#option-no-surgery", "#goals", "#condition"]


def test_when_to_call_us_gives_the_phones_and_an_emergency_box(examples: Path):
    words = pdf_text(examples / "en" / "rhinoplasty.pdf")
    assert "call us on 555-0100 (when we are closed: 555-0199) if you have:" in words
    assert "Emergency: call 911 now" in words
    html = soup(examples / "en" / "rhinoplasty.html")
    section = html.select_one("#when-to-call")
    box = section.select_one(".emergency")
    assert text_of(box.h3).replace("\u2066", "").replace("\u2069", "") == "Emergency: call 911 now"
    assert [text_of(li) for li in box.select("li")] == [
        "Trouble breathing",
        "Heavy bleeding that will not stop",
        "Chest pain, or one leg that is swollen and painful",
    ]
    assert len(section.select(".call-us li")) == 4 and not box.select(".call-us")


def test_without_an_emergency_number_the_box_says_call_the_local_one(root: Path, write_aid):
    write_aid("test-aid", aid_text() + SIGNS)
    with_clinic(root, "name: Test Clinic\nphone: 555-0100\n")
    assert build(root, root / "out", formats=["pdf"]).ok
    words = pdf_text(root / "out" / "en" / "test-aid.pdf")
    assert "Emergency: call your local emergency number now" in words
    assert "call us on 555-0100 if you have:" in words and "closed" not in words


def test_the_worksheet_asks_about_time_and_support(examples: Path):
    words = pdf_text(examples / "es" / "upper-eyelid-surgery.pdf")
    for spanish in (
        "Tiempo para decidir",
        "No tiene que decidir hoy.",
        "¿Quién más quiere que le ayude a decidir?",
        "¿Alguien le presiona para elegir una opción? ¿Quién?",
        "¿Para cuándo tiene que decidir?",
    ):
        assert spanish in words, spanish
    html = soup(examples / "en" / "rhinoplasty.html")
    worksheet = html.select_one("#values")
    labels = [text_of(label) for label in worksheet.select("table.support label")]
    assert labels == [
        "Who else do you want to help you decide?",
        "Does anyone press you to choose one option? Who?",
        "When do you need to decide by?",
    ]
    assert len(worksheet.select("table.values:not(.sure) input[type=radio]")) == 4 * 4
    assert len(worksheet.select("table.sure input[type=radio]")) == 4 * 2


def test_the_summary_has_a_can_it_give_you_row(examples: Path):
    for language, aid_id, label in (
        ("en", "rhinoplasty", "Can it give you what you hope for?"),
        ("es", "upper-eyelid-surgery", "¿Le puede dar lo que desea?"),
    ):
        path = examples / language / f"{aid_id}.summary.pdf"
        assert len(PdfReader(path).pages) == 1
        assert label in pdf_text(path)
    row = soup(examples / "en" / "rhinoplasty.summary.html").select_one("tr.goals-row")
    cells = [[text_of(li) for li in td.select("li")] for td in row.select("td")]
    assert cells[0][0] == "Breathe more easily through my nose: Likely (7 in 10)"
    assert cells[1][0] == "Breathe more easily through my nose: Maybe (1 in 10)"
    assert cells[1][2] == "Avoid the risks of an operation: Yes"


# The web page: answer the quiz and fill in the worksheet at home


def test_the_build_publishes_the_pages_script_and_no_inline_script(examples: Path, tmp_path):
    script = examples / "handout.js"
    assert script.read_bytes() == (REPO / "templates" / "handout.js").read_bytes()
    import json

    assert "handout.js" in json.loads((examples / ".decisionaid.json").read_text())["files"]
    for page in sorted(examples.glob("*/*.html")):
        scripts = soup(page).find_all("script")
        if page.name.endswith((".check.html", ".summary.html")):
            assert scripts == [], page.name
            continue
        assert [(s.get("src"), s.string) for s in scripts] == [("../handout.js", None)], page.name
    # A build of PDFs alone writes no script.
    root = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures", root / "aids")
    (root / "aids" / "glossary-en.yaml").unlink()
    assert build(root, tmp_path / "out", formats=["pdf"]).ok
    assert not (tmp_path / "out" / "handout.js").exists()


def test_the_quiz_and_worksheet_by_keyboard_with_nothing_stored_or_sent(
    examples: Path, browser: Browser
):
    page_path = examples / "en" / "rhinoplasty.html"
    context = browser.new_context(viewport={"width": 768, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    first = page.locator("input[name=quiz-1][value=false]")
    page.locator("#quiz h2").click()  # start from the heading, then the keyboard only
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "quiz-1":
            break
    assert page.evaluate("document.activeElement.name") == "quiz-1"
    page.keyboard.press("ArrowRight")  # from True to False: the right answer
    assert first.is_checked()
    item = page.locator("#quiz li").first
    assert item.locator(".quiz-feedback").inner_text() == "Right."
    assert item.locator("details").evaluate("d => d.open")
    page.keyboard.press("Tab")  # "Show the answer", then the answer's link
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    second = page.locator("#quiz li").nth(1)
    second.locator("input[value=false]").focus()
    page.keyboard.press("Space")  # "If you wait now..." is true: not quite
    assert second.locator(".quiz-feedback").inner_text() == "Not quite: read the answer."
    page.locator("#support-who").focus()
    page.keyboard.type("My sister")
    page.locator("#own-questions").focus()
    page.keyboard.type("How long is the swelling?")
    printed = page.locator("[data-print-page]")
    assert printed.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    printed.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") is True
    storage = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert storage == [0, 0, ""]
    assert context.cookies() == []
    assert requests == [page_path.as_uri(), (examples / "handout.js").as_uri()]
    # What was typed stays on the page, to print: printed media keeps it, hides the details.
    page.emulate_media(media="print")
    assert page.locator("#support-who").input_value() == "My sister"
    assert not item.locator("details").is_visible()
    assert page.locator("#quiz-answers").is_visible()
    context.close()


def test_without_javascript_the_answers_wait_behind_details(examples: Path, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto((examples / "en" / "rhinoplasty.html").as_uri())
    item = page.locator("#quiz li").first
    answer = item.locator("details p")
    assert not answer.is_visible()
    item.locator("summary").focus()
    page.keyboard.press("Enter")
    assert answer.is_visible() and "False." in answer.inner_text()
    item.locator("input[value=false]").check()
    assert not page.locator("[data-print-page]").is_visible()  # printing is the browser's
    assert not page.locator("#quiz-answers").is_visible()  # on screen: behind each question
    context.close()


# A copy for one patient, and the chart note


def test_a_copy_lists_the_patients_hopes_on_page_1_or_2(tmp_path: Path):
    out = tmp_path / "copy.pdf"
    result = run_cli(
        "handout", "rhinoplasty", "--root", str(REPO), "--options", "surgery",
        "--goal", "breathe", "--goal", "other-nose", "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out)
    start = " ".join(pages[:2])
    hopes = start[start.index("What you hope for") :]
    assert (
        "Breathe more easily through my nose Nose surgery: It is likely: about 7 in 10; "
        "No surgery: It may: about 1 in 10 No surgery: A bent septum stays bent." in (hopes)
    )
    talk = "Talk about this with your surgeon."
    assert hopes.index("Have a nose like someone else's") < hopes.index(talk)
    assert hopes.count(talk) == 1  # the hope surgery may meet is not marked
    assert talk not in " ".join(pages[2:])


def test_a_handout_for_everyone_lists_no_ones_hopes(examples: Path):
    words = pdf_text(examples / "en" / "rhinoplasty.pdf")
    assert "Have a nose like someone else's" in words  # every hope, in the table
    assert "What you hope for" not in words and "Talk about this with your surgeon" not in words


def test_an_unknown_goal_is_refused_naming_the_goals(tmp_path: Path):
    result = run_cli(
        "handout", "rhinoplasty", "--root", str(REPO), "--goal", "taller", "-o",
        str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'rhinoplasty' has no goal(s) 'taller'; its goals are: breathe, shape," in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_chart_note_lists_hopes_discussed_and_those_not_met():
    result = run_cli(
        "note", "rhinoplasty", "--root", str(REPO), "--options", "surgery", "--goal", "breathe",
        "--goal", "no-risks", "--date", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Hopes discussed: Breathe more easily through my nose; Avoid the risks of an operation\n"
        "Hopes the chosen options cannot meet:\n- Avoid the risks of an operation (Nose surgery)\n"
    ) in result.output
    plain = run_cli("note", "rhinoplasty", "--root", str(REPO), "--date", "2027-03-01")
    assert "Hopes" not in plain.output


def test_a_translated_aids_note_lists_hopes_in_the_staffs_language():
    result = run_cli(
        "note", "carpal-tunnel-release", "--root", str(REPO), "--language", "ar",
        "--goal", "quick-work", "--date", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Hopes discussed: Do heavy work with my hand within a week" in result.output
    assert "- Do heavy work with my hand within a week (Surgery)" in result.output
    assert not any("\u0600" <= char <= "\u06ff" for char in result.output)


@pytest.mark.serial  # searches the whole temp folder: alone, after the rest
def test_the_hopes_go_nowhere_else(root: Path, write_aid, tmp_path: Path):
    """A ticked hope is health information, like the name: in the copy, nowhere else."""
    hope = made_up_name("Ysolde", "hopes", "for", "Quenby")  # used by this test only
    write_aid("test-aid", aid_text().replace("hope: Be rid of the problem", f"hope: {hope}"))
    own_temp = tmp_path / "temp"
    own_temp.mkdir()
    build(root, root / "out")  # the generic handouts (every hope), made before the copy
    temp = Path(tempfile.gettempdir())
    started = files_before(root, temp)
    out = tmp_path / "asked-for" / "copy.pdf"
    out.parent.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "decisionaid", "handout", "test-aid", "--root", str(root),
         "--goal", "rid-of-it", "-o", str(out)],
        capture_output=True, text=True, check=True, env={**os.environ, "TMPDIR": str(own_temp)},
    )  # fmt: skip
    assert "What you hope for" in pdf_text(out) and hope in pdf_text(out)
    assert hope not in result.stdout + result.stderr and "rid-of-it" not in result.stderr
    out.unlink()
    assert list(own_temp.rglob("*")) == []
    assert files_mentioning(hope, root, temp, since=started) == []


def test_a_copy_job_never_prints_the_hopes():
    """What crosses to a render worker is printed (a log, a traceback) without them."""
    from decisionaid.handout.consult import Consult
    from decisionaid.settings import BuildOptions
    from decisionaid.web.renderer import CopyJob

    consult = Consult("Ysolde Hopewell", goals=("other-nose",))
    job = CopyJob(REPO / "aids" / "rhinoplasty.yaml", 1, BuildOptions(), consult)
    for shown in (repr(consult), repr(job), str(job)):
        assert "other-nose" not in shown and "Hopewell" not in shown


def test_a_worker_asked_for_an_unknown_hope_answers_with_a_problem():
    """The form checks the hopes first; a worker asked anyway says why, and lives on."""
    from decisionaid.handout.consult import Consult
    from decisionaid.settings import BuildOptions
    from decisionaid.web.renderer import CopyJob, _WorkerState

    job = CopyJob(
        REPO / "aids" / "rhinoplasty.yaml", 1, BuildOptions(formats=("pdf",)), Consult(goals=("x",))
    )
    outcome = _WorkerState(REPO).make(job)
    assert outcome.data is None
    assert "has no goal(s) 'x'; its goals are: breathe" in outcome.problems[0].message
