"""Risk communication on real builds: icon arrays, one denominator, the word scale."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, pdf_text, soup, structure_alts, text_of

from decisionaid.content.models import Chance
from decisionaid.content.root import ContentRoot
from decisionaid.handout.icons import CELL_H, CELL_W
from decisionaid.handout.risk import denominator, figure, scale_word

EXAMPLES = sorted(p.stem for p in (REPO / "aids").glob("*.yaml") if "." not in p.stem)


@pytest.mark.parametrize(
    ("count", "per", "word"),
    [
        (1, 10, "very_common"),
        (10, 100, "very_common"),
        (9, 100, "common"),
        (1, 100, "common"),
        (9, 1000, "uncommon"),
        (1, 1000, "uncommon"),
        (9, 10000, "rare"),
        (1, 10000, "rare"),
        (0, 100, "uncommon"),
        (0, 1000, "rare"),
        (0, 10000, "very_rare"),
        (0, 10, "common"),
    ],
)
def test_word_scale(count, per, word):
    assert scale_word(count, per) == word


def test_conversion_to_the_largest_denominator_keeps_whole_numbers():
    chances = [
        Chance(count=15, per=100, range=(10, 20), timeframe="t"),
        Chance(count=3, per=1000, timeframe="t"),
        Chance(count=1, per=10, range=(1, 2), timeframe="t"),
    ]
    per = denominator(chances)
    assert per == 1000
    figures = [figure(c, per) for c in chances]
    assert [(f.count, f.low, f.high) for f in figures] == [
        (150, 100, 200),
        (3, None, None),
        (100, 100, 200),
    ]
    assert [f.converted for f in figures] == [True, False, True]
    assert all(isinstance(n, int) for f in figures for n in (f.count, f.per))


def arrays(page) -> list:
    return page.select("svg.icon-array, svg.icon-bar")


def people(svg, selector: str) -> int:
    """Count people by the geometry drawn: each rectangle is a run of whole cells."""
    total = 0
    for rect in svg.select(selector):
        width, height = float(rect["width"]), float(rect["height"])
        assert height == CELL_H and width % CELL_W == 0
        assert int(rect["data-people"]) == width // CELL_W
        total += int(width // CELL_W)
    return total


@pytest.mark.parametrize("aid_id", EXAMPLES)
def test_every_chance_has_an_array_with_matching_counts(examples: Path, aid_id: str):
    aid = ContentRoot.at(REPO).load(REPO / "aids" / f"{aid_id}.yaml").aid
    page = soup(examples / "en" / f"{aid_id}.html")
    svgs = arrays(page)
    # One picture per outcome with a chance (a group's figure is a line of words).
    chances = [ref.item.chance for ref in aid.outcomes() if ref.item.chance is not None]
    assert len(svgs) == len(chances)
    per = denominator(aid.chances())
    for svg, chance in zip(svgs, chances, strict=True):
        fig = figure(chance, per)
        label = svg["aria-label"]
        assert svg.title.get_text() == label
        assert chance.timeframe in label
        if fig.count:
            assert f"About {fig.count:,} in {fig.per:,} people" in label
        else:
            assert f"Fewer than 1 in {fig.per:,} people" in label
        if fig.has_range:
            assert f"(between {fig.low:,} and {fig.high:,})" in label
        if "icon-array" in svg["class"]:
            assert people(svg, "rect.people") == fig.per
            assert people(svg, "rect.people.affected") == fig.count
            band = fig.high - fig.low if fig.has_range else 0
            assert people(svg, "rect.band") == band
        # The caption says the same in words.
        caption = text_of(svg.find_parent("figure").figcaption)
        assert label.split(": ", 1)[1].split(".")[0] in caption


def test_affected_people_are_grouped_from_the_bottom_left(examples: Path):
    page = soup(examples / "en" / "upper-eyelid-surgery.html")
    svg = arrays(page)[0]  # 80 in 100
    affected = svg.select("rect.people.affected")
    rows = sorted({float(r["y"]) for r in affected})
    all_rows = sorted({float(r["y"]) for r in svg.select("rect.people")})
    assert rows == all_rows[-8:]  # the bottom eight rows, full
    assert all(float(r["x"]) == 0 for r in affected)


def test_layout_of_10_is_one_row(examples: Path):
    page = soup(examples / "en" / "rhinoplasty.html")
    for svg in arrays(page):
        assert "per-10" in svg["class"]
        assert len({r["y"] for r in svg.select("rect.people")}) == 1
        assert people(svg, "rect.people") == 10


def test_layout_of_1000_is_ten_blocks_with_gaps(examples: Path):
    page = soup(examples / "en" / "breast-augmentation.html")
    svg = arrays(page)[0]
    assert "per-1000" in svg["class"]
    cells = []
    for rect in svg.select("rect.people"):
        x, y, n = float(rect["x"]), float(rect["y"]), int(rect["data-people"])
        cells += [(x + i * CELL_W, y) for i in range(n)]
    assert len(cells) == 1000
    xs = sorted({x for x, _ in cells})
    ys = sorted({y for _, y in cells})
    assert len(xs) == 100 and len(ys) == 10
    x_gaps = [b - a for a, b in zip(xs, xs[1:], strict=False) if b - a > CELL_W]
    y_gaps = [b - a for a, b in zip(ys, ys[1:], strict=False) if b - a > CELL_H]
    assert len(x_gaps) == 9 and len(y_gaps) == 0  # ten blocks across the page


def test_mixed_denominators_convert_and_say_so_once(root: Path, write_aid):
    text = (
        aid_text()
        .replace(
            "chance: {count: 20, per: 100, range: [15, 25], timeframe: in the first month, "
            "certainty: high}",
            "chance: {count: 3, per: 1000, range: [1, 6], timeframe: in the first month}",
        )
        .replace(
            "      - text: No risks of surgery.\n",
            "      - text: No risks of surgery.\n"
            "        chance: {count: 0, per: 10, range: [0, 1], timeframe: ever}\n"
            "        source: study1\n",
        )
    )
    write_aid("test-aid", text)
    report = build(root, root / "out")
    assert report.ok, report.problems
    page = soup(root / "out" / "en" / "test-aid.html")
    labels = [svg["aria-label"] for svg in arrays(page)]
    assert "About 60 in 1,000 people (between 30 and 100), within 1 year" in labels[0]
    assert "About 3 in 1,000 people (between 1 and 6), in the first month" in labels[1]
    assert "Fewer than 1 in 1,000 people (between 0 and 100), ever" in labels[2]
    assert all("per-1000" in svg["class"] for svg in arrays(page))
    note = "every chance in this handout is shown out of 1,000 people"
    assert text_of(page).count(note) == 1
    pdf = pdf_text(root / "out" / "en" / "test-aid.pdf")
    assert "About 60 in 1,000 people" in pdf and note in pdf
    assert not re.search(r"\b0 in 1,000", pdf)


def test_10000_is_a_bar_with_a_sentence(root: Path, write_aid):
    write_aid(
        "test-aid",
        aid_text().replace(
            "chance: {count: 20, per: 100, range: [15, 25], timeframe: in the first month, "
            "certainty: high}",
            "chance: {count: 4, per: 10000, range: [2, 9], timeframe: in the first month}",
        ),
    )
    assert build(root, root / "out").ok
    page = soup(root / "out" / "en" / "test-aid.html")
    assert len(page.select("svg.icon-array")) == 0
    bars = page.select("svg.icon-bar")
    assert len(bars) == 2
    assert "About 4 in 10,000 people (between 2 and 9)" in bars[1]["aria-label"]
    assert "Rare" in bars[1]["aria-label"]
    assert float(bars[1].select_one("rect.bar-affected")["width"]) > 0


def test_side_by_side_table_uses_the_same_figures(examples: Path):
    page = soup(examples / "en" / "breast-augmentation.html")
    glance = page.select_one("table.glance")
    rows = glance.select("tbody tr")
    assert len(rows) == 2
    text = text_of(glance)
    for svg in arrays(page):
        # "Name: the chance. Scale word." (a benefit has no scale word: issue 26)
        sentence = svg["aria-label"].split(": ", 1)[1].rsplit(". ", 1)[0].removesuffix(".")
        assert sentence in text


def test_word_scale_is_stated_once_and_used(examples: Path):
    page = soup(examples / "en" / "upper-eyelid-surgery.html")
    scale = page.select("#reading-chances ul.scale li")
    assert [text_of(li).split(":")[0].strip() for li in scale] == [
        "Very common",
        "Common",
        "Uncommon",
        "Rare",
        "Very rare",
    ]
    # A risk's number has its word; a benefit's stands alone (issue 26: "very common"
    # would name both 85 in 100 helped and 10 in 100 harmed).
    words = [text_of(s) for s in page.select(".scale-word")]
    assert words[:2] == ["Very common.", "Common."]
    benefits = page.select("#option-surgery .outcome-benefit .chance-text")
    assert benefits and not any(b.select(".scale-word") for b in benefits)


def test_pdf_figures_carry_the_sentence_as_alt_text(examples: Path):
    alts = structure_alts(examples / "en" / "upper-eyelid-surgery.pdf")
    assert any(
        alt.startswith("Dry or gritty eyes: About 15 in 100 people (between 10 and 20)")
        for alt in alts
    ), alts
