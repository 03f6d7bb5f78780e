"""The aid page's print button names the copy chosen above it (issue 28): "Print
summary" when the one-page summary is chosen, never "Print handout"; no script needed
(CSS `:has()`), and a browser without it shows both names."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from test_web import Served, server  # noqa: F401 - the served app, as test_web starts it


def test_the_print_button_says_which_copy_it_prints(server: Served, page: Page):  # noqa: F811
    page.goto(server.url + "/")
    page.get_by_role("link", name="Test procedure (testoplasty)").click()
    handout = page.get_by_role("button", name="Print handout", exact=True)
    summary = page.get_by_role("button", name="Print summary", exact=True)
    expect(handout).to_have_count(1)
    expect(summary).to_have_count(0)
    page.get_by_label("The one-page summary").check()
    expect(summary).to_have_count(1)
    expect(handout).to_have_count(0)
    page.get_by_role("radio", name="The full handout").check()
    expect(handout).to_have_count(1)
