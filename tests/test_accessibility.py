"""WCAG 2.1 A/AA rules (axe-core) on the built pages, in Debian's headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import WCAG


@pytest.fixture(scope="module")
def page(browser):
    """One page for the whole module (the browser is conftest.py's)."""
    return browser.new_page()


def test_every_built_page_passes_axe(examples: Path, page):
    pages = sorted(examples.rglob("*.html"))
    assert len(pages) >= 9  # 4 handouts, 4 quality pages, the index
    axe = Axe()
    for path in pages:
        page.goto(path.as_uri())
        result = axe.run(page, options=WCAG)
        problems = [
            f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})"
            for v in result.response["violations"]
        ]
        assert problems == [], f"{path.name}: {problems}"
        assert result.response["passes"], "axe ran no rule"
