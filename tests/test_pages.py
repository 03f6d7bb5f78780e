"""Handouts a patient reads to the end: page counts and page fill, measured from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, aid_text, build, page_fill

EXAMPLES = sorted(p.stem for p in (REPO / "aids").glob("*.yaml") if "." not in p.stem)
MAX_PAGES = 6
MIN_FILL = 0.6  # every page but the last is at least this full


@pytest.mark.parametrize("aid_id", EXAMPLES)
def test_examples_fit_the_page_budget_with_no_half_empty_page(examples: Path, aid_id: str):
    fills = page_fill(examples / "en" / f"{aid_id}.pdf")
    assert len(fills) <= MAX_PAGES, fills
    assert all(fill >= MIN_FILL for fill in fills[:-1]), fills


def test_a_chance_out_of_1000_costs_at_most_one_page(root: Path, write_aid):
    out = root / "out"
    assert build(root, out, formats=["pdf"]).ok
    per_100 = len(page_fill(out / "en" / "test-aid.pdf"))
    # One risk out of 1,000 turns every chance of the handout into 1,000 people.
    rare = aid_text().replace(
        "count: 20, per: 100, range: [15, 25]", "count: 3, per: 1000, range: [1, 6]"
    )
    write_aid("test-aid", rare)
    assert build(root, out, formats=["pdf"]).ok
    fills = page_fill(out / "en" / "test-aid.pdf")
    assert len(fills) <= per_100 + 1, (per_100, fills)
    assert all(fill >= MIN_FILL for fill in fills[:-1]), fills
