"""The staff web app, driven end to end in Debian's Chromium (Playwright, no download),
against the real server (uvicorn) started as `decisionaid serve`."""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from helpers import (
    WAIT_MS,
    WCAG,
    files_before,
    files_mentioning,
    made_up_name,
    pdf_pages,
    pdf_text,
    run_cli,
)
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from test_factors import FACTORS, with_groups
from web_helpers import Served

from decisionaid.web.server import exposure_warning, is_loopback

PATIENT = made_up_name("Winifred", "Quaglieri")  # typed into the form; in the PDF only


@pytest.fixture
def server(root: Path, serve) -> Served:
    """`decisionaid serve` on the test aid, with factors and a keyword to search by."""
    text = with_groups().replace(
        "title: Test procedure", "keywords: [tummy tuck]\ntitle: Test procedure"
    )
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    (root / "factors").mkdir()
    (root / "factors" / "en.yaml").write_text(FACTORS, encoding="utf-8")
    return serve(root)


def no_violations(page: Page) -> None:
    results = Axe().run(page, options=WCAG)
    problems = [f"{v['id']}: {v['help']}" for v in results.response["violations"]]
    assert problems == [], page.url


def test_receptionist_finds_fills_and_downloads_a_copy(server: Served, page: Page):
    page.goto(server.url + "/")
    no_violations(page)
    page.get_by_label("Procedure, other name or language").fill("tummy tuck")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 aid matches")
    page.get_by_role("link", name="Test procedure (testoplasty)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test procedure (testoplasty)")
    no_violations(page)
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_label("Date of the consult").fill("2027-03-01")
    assert page.get_by_label("Patient's name").get_attribute("autocomplete") == "off"
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "test-aid.en.pdf"
    data = Path(download.path()).read_bytes()
    download.delete()
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"Prepared for {PATIENT} by Dr. Okoro on 1 March 2027" in " ".join(first.split())
    assert PATIENT not in page.url


def test_print_opens_the_pdf_and_the_summary_is_one_page(server: Served, page: Page):
    page.goto(server.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("The one-page summary").check()
    printed = page.context.expect_event("response", lambda r: "/handout?print=1" in r.url)
    with page.expect_popup() as popup_info, printed as answer:
        page.get_by_role("button", name="Print summary").click()  # named for the copy
    response = answer.value
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["cache-control"] == "no-store"
    popup = popup_info.value
    popup.wait_for_url("blob:**")  # the PDF itself, in the new tab
    popup.close()
    # The browser's PDF viewer keeps the bytes to itself: read the same copy downloaded.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    assert download_info.value.suggested_filename == "test-aid.en.summary.pdf"
    reader = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    download_info.value.delete()
    assert len(reader.pages) == 1 and PATIENT in reader.pages[0].extract_text()


def test_chart_note_with_a_copy_button(server: Served, page: Page):
    page.goto(server.url + "/en/test-aid")
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_role("button", name="Make chart note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chart note")
    note = page.get_by_label("Note").input_value()
    assert "Options discussed:" in note and "- Have surgery" in note
    assert "Clinician: Dr. Okoro" in note and PATIENT not in note
    no_violations(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy note").click()
    expect(page.get_by_role("status")).to_have_text("Copied")


def test_form_errors_keep_what_was_typed(server: Served, page: Page):
    page.goto(server.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Date of the consult").evaluate("e => e.type = 'text'")
    page.get_by_label("Date of the consult").fill("next Tuesday")
    page.get_by_label("Have surgery").uncheck()
    page.get_by_role("button", name="Download PDF").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter the date as year-month-day")
    expect(summary).to_contain_text("Choose at least one option besides not having the procedure")
    assert page.get_by_label("Patient's name").input_value() == PATIENT
    assert page.title().startswith("Error:")
    no_violations(page)
    summary.get_by_role("link", name="Date of the consult").click()
    assert page.evaluate("document.activeElement.id") == "date"


def test_the_preview_follows_edits_and_shows_problems(server: Served, page: Page, root: Path):
    page.goto(server.url + "/en/test-aid")
    preview = page.frame_locator("#preview")
    expect(preview.locator("h1")).to_have_text("Test procedure (testoplasty)")
    path = root / "aids" / "test-aid.yaml"
    path.write_text(path.read_text().replace("Test procedure (testoplasty)", "Edited title"))
    expect(preview.locator("h1")).to_have_text("Edited title", timeout=15000)
    path.write_text(path.read_text().replace("no_action: true", "no_action: maybe"))
    expect(page.locator("#status")).to_contain_text("cannot be given to a patient", timeout=15000)
    expect(page.locator("#status")).to_contain_text("test-aid.yaml:")
    expect(preview.locator("body")).to_contain_text("no_action", timeout=15000)
    assert server.get("/healthz") == "ok"
    page.reload()
    expect(page.get_by_role("button", name="Download PDF")).to_have_count(0)
    no_violations(page)


def test_keyboard_alone_zoom_and_tablet(server: Served, browser: Browser):
    for width in (768, 640):  # a tablet, and a 1280 px screen at 200% zoom
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(WAIT_MS)
        page = context.new_page()
        page.goto(server.url + "/en/test-aid")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
        page.goto(server.url + "/")  # the search box has focus: type at once
        assert page.evaluate("document.activeElement.id") == "q"
        page.keyboard.type("testo")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("testo")  # in place: no ?q=
        assert page.url == server.url + "/"
        page.get_by_role("link", name="Test procedure (testoplasty)").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/en/test-aid")
        page.get_by_label("Patient's name").focus()
        page.keyboard.type(PATIENT)
        for _ in range(40):  # on to "Download PDF", by Tab alone
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == "Download PDF":
                break
        with page.expect_download() as download_info:
            page.keyboard.press("Enter")
        download_info.value.delete()
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"horizontal scrolling at {width} px"
        context.close()


def test_rendering_does_not_hold_up_other_requests(server: Served):
    body = f"patient={PATIENT}&date=2027-03-01&options=surgery&kind=handout".encode()
    finished: list[str] = []

    def render() -> None:
        request = urllib.request.Request(server.url + "/en/test-aid/handout", data=body)
        with urllib.request.urlopen(request, timeout=120) as response:
            if response.read().startswith(b"%PDF"):
                finished.append("pdf")

    threads = [threading.Thread(target=render) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # the renders have started
    assert server.get("/healthz") == "ok"
    finished.append("healthz")
    for thread in threads:
        thread.join()
    assert finished[0] == "healthz" and finished.count("pdf") == 3, finished


@pytest.mark.serial  # searches the whole temp folder: alone, after the rest
def test_nothing_typed_is_kept_anywhere(server: Served, page: Page, root: Path):
    temp = Path(tempfile.gettempdir())
    started = files_before(root, temp)
    page.goto(server.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Be rid of the problem").check()  # a hope: health information too
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    assert "Be rid of the problem" in pdf_text(Path(download_info.value.path()))
    download_info.value.delete()  # the copy asked for, handed over
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Be rid of the problem").check()
    page.get_by_role("button", name="Make chart note").click()
    page.context.close()
    log = server.stop()
    assert "POST /en/test-aid/handout" in log and PATIENT not in log
    assert "rid-of-it" not in log and "Be rid of" not in log
    assert files_mentioning(PATIENT, root, temp, since=started) == []
    # What they hope for is printed on their copy only (the preview is never written).
    assert files_mentioning("Be rid of the problem", root, temp, since=started) == []


def test_loopback_by_default_and_a_warning_otherwise():
    from decisionaid.cli import serve_command

    host = next(p for p in serve_command.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert exposure_warning("127.0.0.1", 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert "every network" in warning and "HTTPS" in warning
    assert "not only on this computer" in exposure_warning("192.0.2.7", 8000)


def test_the_form_offers_the_aids_factors_and_matches_the_cli(
    server: Served, page: Page, root: Path, tmp_path_factory: pytest.TempPathFactory
):
    page.goto(server.url + "/en/test-aid")
    questions = page.locator("#factors label").all_inner_texts()
    assert questions == ["Does the patient smoke?", "Does the patient have diabetes?"]
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Date of the consult").fill("2027-03-01")
    page.get_by_label("Does the patient smoke?").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    folder = tmp_path_factory.mktemp("copies")
    web = folder / "web.pdf"
    download_info.value.save_as(web)
    download_info.value.delete()
    cli = folder / "cli.pdf"
    args = ("handout", "test-aid", "--root", str(root), "--patient", PATIENT)
    result = run_cli(*args, "--date", "2027-03-01", "--factor", "smoking", "-o", str(cli))
    assert result.exit_code == 0
    assert "For people who smoke: About 30 in 100 people" in pdf_text(web)
    assert pdf_text(web) == pdf_text(cli)
    web.unlink()
    cli.unlink()


def test_the_app_offers_each_aids_languages(server: Served, page: Page, root: Path):
    spanish = (root / "aids" / "test-aid.yaml").read_text(encoding="utf-8")
    spanish = spanish.replace("id: test-aid", "id: test-aid\nlanguage: es")
    (root / "aids" / "test-aid.es.yaml").write_text(spanish, encoding="utf-8")
    shutil.copy(root / "factors" / "en.yaml", root / "factors" / "es.yaml")
    spanish_link = page.get_by_role("link", name="Español")
    for _ in range(30):  # the app sees the new file once its watcher has
        page.goto(server.url + "/en/test-aid")
        if spanish_link.count():
            break
        page.wait_for_timeout(500)
    expect(spanish_link).to_be_visible()
    spanish_link.click()
    page.wait_for_url("**/es/test-aid")
    expect(page.frame_locator("#preview").locator("html")).to_have_attribute("lang", "es")


def test_a_name_no_font_can_print_is_refused_naming_the_character(server: Served, page: Page):
    """A name with a character no installed font has would print an empty box: the form
    says which character, beside the field and in the summary, and never the name."""
    page.goto(server.url + "/en/test-aid")
    page.get_by_label("Patient's name").fill(f"{PATIENT} \ue000")  # private use
    page.get_by_label("Clinician").fill("Dr. \u0378\U0001f9ff")  # unassigned, an emoji
    page.get_by_role("button", name="Download PDF").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "Patient's name: No font on this computer can print U+E000: enter the name without it"
    )
    expect(summary).to_contain_text(
        "Clinician: No font on this computer can print U+0378, \U0001f9ff (U+1F9FF): enter "
        "the name without them"
    )
    expect(page.locator("#patient-error")).to_contain_text("U+E000")
    assert PATIENT not in summary.inner_text()
    assert PATIENT not in page.locator("#patient-error").inner_text()
    assert page.get_by_label("Patient's name").input_value() == f"{PATIENT} \ue000"
    no_violations(page)
    page.get_by_label("Patient's name").fill("王小明")  # a name in any script prints
    page.get_by_label("Clinician").fill("Dr. Lee")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    download_info.value.delete()
    assert "Prepared for 王小明 by Dr. Lee" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert PATIENT not in server.log.read_text()


# Expectations (issue 20): the hopes in the form, the preview's script under the app's CSP


def test_the_form_asks_what_the_patient_hopes_for_and_the_copy_lists_it(server: Served, page: Page):
    page.goto(server.url + "/en/test-aid")
    hopes = page.locator("#goals")
    assert hopes.locator("legend").inner_text() == "What does the patient hope for?"
    assert hopes.locator("label").all_inner_texts() == ["Be rid of the problem"]
    page.get_by_label("Be rid of the problem").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    first = pdf_pages(Path(download_info.value.path()))[0]
    assert "What you hope for Be rid of the problem Have surgery: It may; Wait and see: No," in (
        first
    )
    assert "Talk about this with your surgeon" not in first  # surgery may meet it
    download_info.value.delete()
    page.get_by_label("Be rid of the problem").check()
    page.get_by_role("button", name="Make chart note").click()
    assert "Hopes discussed: Be rid of the problem" in page.get_by_label("Note").input_value()


def test_an_unknown_hope_is_refused_beside_the_field(server: Served):
    import urllib.error

    body = b"date=2027-03-01&options=surgery&goals=rid-of-it&goals=taller&kind=handout"
    request = urllib.request.Request(server.url + "/en/test-aid/handout", data=body)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 400
    page = refused.value.read().decode("utf-8")
    assert "Choose from the hopes listed" in page and "taller" not in page


def test_the_preview_runs_the_pages_script_under_the_apps_csp(server: Served, page: Page):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    with page.expect_response("**/static/handout.js") as script:
        page.goto(server.url + "/en/test-aid/preview")
    served = script.value
    assert served.ok and served.headers["content-type"].startswith("text/javascript")
    assert "script-src" not in served.headers["content-security-policy"]  # default-src 'self'
    page.locator("input[name=quiz-1][value=false]").check()
    assert page.locator("#quiz li").first.locator(".quiz-feedback").inner_text() == "Right."
    assert page.locator("[data-print-page]").is_visible()
    assert violations == []
    assert page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [
        0,
        0,
        "",
    ]
