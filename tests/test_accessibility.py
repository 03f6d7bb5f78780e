"""WCAG 2.1 A/AA rules (axe-core) on the built pages, in Debian's headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import CHROMIUM, CHROMIUM_ARGS, WCAG
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


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
