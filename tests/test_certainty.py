"""How sure each number is: `certainty` and `certainty_why` on every figure, said in
words beside it in the handout (every shipped language, Letter and A4), compact in the
summary, explained once in "How sure are we?", and checked: a figure without a
certainty, and a benefit promised ("will") beside an unsure figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, check, line_of, pdf_pages, pdf_text, soup, text_of
from test_languages import _bare, catalog_of

from decisionaid.content.root import ContentRoot

WORDS = {
    "high": "We are confident.",
    "moderate": "We are fairly sure.",
    "low": "The real number may be quite different.",
    "very_low": "This number is very uncertain.",
}
SHORT = {
    "high": "we are confident",
    "moderate": "we are fairly sure",
    "low": "may be quite different",
    "very_low": "very uncertain",
}
EXAMPLES = [
    ("en", "upper-eyelid-surgery"),
    ("es", "upper-eyelid-surgery"),
    ("ar", "carpal-tunnel-release"),
]
# The test aid's two figures: its benefit's (moderate) and its risk's (high).
BENEFIT = "timeframe: within 1 year, certainty: moderate}"
RISK = "timeframe: in the first month, certainty: high}"


def with_certainty(text: str, level: str | None, where: str = BENEFIT) -> str:
    """The text with the figure at `where` of that certainty (None: none said)."""
    timeframe = where.split(", certainty")[0].rstrip("}")
    said = f", certainty: {level}" if level else ""
    return text.replace(where, f"{timeframe}{said}}}")


def translated(language: str, english: str) -> str:
    return english if language == "en" else catalog_of(language)[english]


def figures(language: str, aid_id: str):
    """(card title, the certainty sentence a patient reads) of each drawn figure."""
    name = f"{aid_id}.yaml" if language == "en" else f"{aid_id}.{language}.yaml"
    aid = ContentRoot.at(REPO).load(REPO / "aids" / name).aid
    for ref in aid.outcomes():
        chance = ref.item.chance
        if chance is not None:
            words = translated(language, WORDS[chance.certainty])
            yield ref.label, f"{words} {chance.certainty_why or ''}".strip()


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize(("language", "aid_id"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_certainty_words_are_in_the_pdf_beside_their_figures(
    paper_builds, paper: str, language: str, aid_id: str
):
    out = paper_builds(paper) / language
    pages = pdf_pages(out / f"{aid_id}.pdf")
    found = list(figures(language, aid_id))
    assert found
    for title, sentence in found:
        if language == "ar":  # shaped Arabic comes back word by word, right to left
            # (which pypdf gives in visual order): on a page with its card's title.
            words = [_bare(w).strip(".،") for w in (*title.split(), *sentence.split())]
            assert any(all(w in _bare(t) for w in words) for t in pages), (title, sentence)
            continue
        # The card is the last place the outcome is named (the table of page 2 names it first).
        page = max(i for i, text in enumerate(pages) if title in text)
        after = pages[page][pages[page].rindex(title) :]
        assert sentence in after, (title, sentence, after[:400])
        # Beside its own figure: before the next card begins.
        others = [after.find(other, 1) for other, _ in found if other != title]
        assert after.index(sentence) < min((at for at in others if at > 0), default=len(after))


@pytest.mark.parametrize(("language", "aid_id"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_the_web_page_says_it_in_each_card_and_explains_it_once(
    examples: Path, language: str, aid_id: str
):
    page = soup(examples / language / f"{aid_id}.html")
    by_card = {}
    for card in page.select(".outcome"):
        certainty = card.select_one(".certainty")
        if certainty is not None:
            by_card[text_of(card.select_one(".outcome-title strong"))] = text_of(certainty)
    for title, sentence in figures(language, aid_id):
        assert by_card[title] == sentence
    key = page.select_one(".reading-chances .certainty-key")
    assert text_of(key.select_one("h3")) == translated(language, "How sure are we?")
    name = f"{aid_id}.yaml" if language == "en" else f"{aid_id}.{language}.yaml"
    aid = ContentRoot.at(REPO).load(REPO / "aids" / name).aid
    levels = {chance.certainty for chance in aid.chances()}  # the groups' too
    assert len(key.select("li")) == len(levels) >= 2


def test_the_summary_says_it_compactly(examples: Path):
    text = pdf_text(examples / "en" / "upper-eyelid-surgery.summary.pdf")
    assert "1 year after surgery; we are fairly sure" in text  # a benefit: no scale word
    assert "in the first week; uncommon; may be quite different" in text
    spanish = pdf_text(examples / "es" / "upper-eyelid-surgery.summary.pdf")
    assert catalog_of("es")[SHORT["moderate"]] in spanish


def test_a_group_figure_carries_its_own_certainty(examples: Path):
    """The blood-thinners figure is less sure than everyone's: its line says so."""
    page = soup(examples / "en" / "upper-eyelid-surgery.html")
    line = text_of(page.select_one(".group-line"))
    assert line.startswith("For people who take blood-thinning medicine it is higher")
    assert line.endswith("; common; very uncertain. [1]"), line


def test_every_figure_needs_a_certainty_draft_warned_approved_refused(root: Path, write_aid):
    assert not [f for f in check(root).aids[0].findings if f.code == "ipdas-certainty"]
    text = with_certainty(with_certainty(aid_text(), None), None, RISK)
    write_aid("test-aid", text)
    found = [f for f in check(root).aids[0].findings if f.code == "ipdas-certainty"]
    assert [f.level for f in found] == ["warning", "warning"]
    assert found[0].line == line_of(text, "count: 6, per: 100")
    assert "add certainty: high, moderate, low or very_low" in found[0].message
    approved = text.replace("status: draft", "status: approved\napproved_by: Dr. Q")
    write_aid("test-aid", approved)
    errors = [f for f in check(root).aids[0].findings if f.code == "ipdas-certainty"]
    assert {f.level for f in errors} == {"error"}
    assert not build(root, root / "out").ok  # an approved aid with errors is not built
    certain = with_certainty(approved, "high", "timeframe: within 1 year}")
    certain = with_certainty(certain, "very low", "timeframe: in the first month}")
    write_aid("test-aid", certain)
    assert not [f for f in check(root).aids[0].findings if f.code == "ipdas-certainty"]


def test_a_benefit_promised_beside_an_unsure_figure_is_warned(root: Path, write_aid):
    text = aid_text().replace("text: The problem goes away.", "text: The problem will go away.")
    unsure = with_certainty(text, "low")
    write_aid("test-aid", unsure)
    found = [f for f in check(root).aids[0].findings if f.code == "certain-words"]
    assert len(found) == 1 and found[0].level == "warning"
    assert found[0].line == line_of(unsure, "The problem will go away.")
    assert "'will'" in found[0].message and "low certainty" in found[0].message
    sure = with_certainty(text, "high")
    write_aid("test-aid", sure)
    assert not [f for f in check(root).aids[0].findings if f.code == "certain-words"]
    hedged = unsure.replace("will go away", "may go away")
    write_aid("test-aid", hedged)
    assert not [f for f in check(root).aids[0].findings if f.code == "certain-words"]


def test_a_reason_needs_a_level_and_levels_are_gradings(root: Path, write_aid):
    text = aid_text().replace(
        BENEFIT, "timeframe: within 1 year, certainty_why: Few were studied.}"
    )
    write_aid("test-aid", text)
    report = build(root, root / "out")
    assert [p.line for p in report.problems] == [line_of(text, "certainty_why")]
    assert "add certainty: high, moderate, low or very_low" in report.problems[0].message
    write_aid("test-aid", with_certainty(aid_text(), "sure"))
    message = str(build(root, root / "out").problems[0])
    assert "certainty" in message and "'high', 'moderate', 'low' or 'very_low'" in message
    write_aid("test-aid", with_certainty(aid_text(), "Very Low"))  # as people write it
    assert build(root, root / "out").ok


def test_a_translation_keeps_the_certainty(tmp_path: Path):
    import shutil

    for name in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / name, tmp_path / name)
    spanish = tmp_path / "aids" / "upper-eyelid-surgery.es.yaml"
    text = spanish.read_text(encoding="utf-8")
    changed = re.sub(r"certainty: moderate", "certainty: high", text, count=1)
    spanish.write_text(changed, encoding="utf-8")
    report = check(tmp_path, ("upper-eyelid-surgery",))
    mismatch = [f for a in report.aids for f in a.findings if f.code == "translation-mismatch"]
    assert mismatch and "'high'" in mismatch[0].message and "'moderate'" in mismatch[0].message
