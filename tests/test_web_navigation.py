"""Nothing typed about a patient leaves the app by a navigation (docs/security.md,
promise 26): the pages say `Referrer-Policy: no-referrer` and `form-action 'self'`, a
clinic's override that holds a `<meta http-equiv>` (a refresh to another host with
the name in its address) is never sent to the browser, and the app's own form posts
still work in real Chromium under that policy (the browser sends `Origin: null`; the
cross-site check goes by `Sec-Fetch-Site`). And what is typed in the catalog's search
box (it may be a patient's name) is posted, never put in an address, the browser's
history or the access log (promise 27)."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import REPO, WAIT_MS, made_up_name
from playwright.sync_api import Browser, Page, expect
from web_helpers import Served

from decisionaid.web.navigation import holds_meta_http_equiv

PATIENT = made_up_name("Wilhelmina", "Castellanos-Obi")


@pytest.fixture
def catcher() -> Iterator[tuple[str, list[str]]]:
    """Another host (localhost at another port: another origin): what it was asked."""
    asked: list[str] = []

    class Catch(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            asked.append(unquote(self.path))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"caught")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catch)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def test_meta_http_equiv_is_found_however_it_is_written():
    for html in (
        '<meta http-equiv="refresh" content="0;url=http://x/">',
        "<META HTTP-EQUIV=Refresh CONTENT='0;url=http://x/'>",
        "<meta/http-equiv=refresh content=0;url=http://x/>",
        '<p>x</p><meta\ncontent="0;url=//x/"\nhttp-equiv="refresh"/>',
    ):
        assert holds_meta_http_equiv(html), html
    for html in ('<meta charset="utf-8">', "<p>the words http-equiv in text</p>", ""):
        assert not holds_meta_http_equiv(html), html


def test_every_page_says_no_referrer_and_posts_only_here(root: Path, serve):
    served: Served = serve(root, in_process=True)
    for path in ("/", "/en/test-aid", "/status"):
        with urllib.request.urlopen(served.url + path) as answer:
            headers = answer.headers
        assert headers["Referrer-Policy"] == "no-referrer", path
        policy = headers["Content-Security-Policy"]
        assert "form-action 'self'" in policy and "default-src 'self'" in policy, path


def test_an_override_with_a_meta_refresh_never_takes_the_name_elsewhere(
    root: Path, serve, page: Page, catcher: tuple[str, list[str]]
):
    elsewhere, asked = catcher
    builtin = (REPO / "templates" / "app" / "aid.html").read_text(encoding="utf-8")
    refresh = f'<meta http-equiv="refresh" content="0;url={elsewhere}/?n={{{{ form.patient }}}}">'
    assert "{% block main %}\n" in builtin
    override = builtin.replace("{% block main %}\n", "{% block main %}\n" + refresh + "\n", 1)
    (root / "templates" / "app").mkdir(parents=True)
    (root / "templates" / "app" / "aid.html").write_text(override, encoding="utf-8")
    line = override.splitlines().index(refresh) + 1
    served = serve(root, "--workers", "1")

    page.goto(served.url + "/en/test-aid")
    expect(page.locator("body")).to_contain_text(f"templates/app/aid.html:{line}:")
    expect(page.locator("body")).to_contain_text("may not hold <meta http-equiv>")
    assert asked == []

    # The same page again after a post with the name (its form again, with an error):
    # the page that would carry the name in a refresh is not sent either.
    (root / "templates" / "app" / "aid.html").write_text(builtin, encoding="utf-8")
    page.goto(served.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(PATIENT)
    (root / "templates" / "app" / "aid.html").write_text(override, encoding="utf-8")
    page.evaluate("document.getElementById('clinician').value = 'x'.repeat(300)")
    with page.expect_navigation():
        page.get_by_role("button", name="Make chart note").click()
    expect(page.locator("body")).to_contain_text("may not hold <meta http-equiv>")
    assert page.url.startswith(served.url)
    assert asked == [] and PATIENT not in page.content()
    assert PATIENT not in served.stop()


def test_the_apps_own_posts_work_under_no_referrer_in_chromium(root: Path, serve, page: Page):
    served = serve(root, "--workers", "1")
    origins: list[str | None] = []
    page.on(
        "request",
        lambda r: origins.append(r.headers.get("origin")) if r.method == "POST" else None,
    )
    page.goto(served.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_role("button", name="Make chart note").click()
    expect(page.get_by_role("heading", name="Chart note")).to_be_visible()
    page.go_back()
    page.get_by_label("Patient's name").fill(PATIENT)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    download.value.delete()
    # The policy is in force: the browser did not say which page the posts came from.
    assert origins and all(origin == "null" for origin in origins), origins


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_a_search_puts_nothing_typed_in_an_address_or_the_log(
    root: Path, serve, browser: Browser, script: bool
):
    served = serve(root, "--workers", "1")
    context = browser.new_context(java_script_enabled=script)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    addresses: list[str] = []  # every address asked for: the history is made of them
    page.on("request", lambda request: addresses.append(unquote(request.url)))
    page.goto(served.url + "/")
    box = page.get_by_label("Procedure, other name or language")
    box.fill(PATIENT)  # a receptionist who typed the name in the wrong box
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(PATIENT)
    assert page.url == served.url + "/"
    box.fill("testoplasty")  # and the search still finds the aid, and opens it
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Test procedure (testoplasty)").click()
    page.wait_for_url("**/en/test-aid")
    context.close()
    words = [word for word in PATIENT.replace("-", " ").split()] + ["testoplasty"]
    assert not [url for url in addresses for word in words if word in url], addresses
    log = served.stop()
    assert "POST / " in log
    assert not [word for word in words if word in log], log
