"""The front desk off the happy path: a translated aid, an unfinished aid, a server left
on overnight, a summary that cannot be made, a search typed in a hurry. The app runs
for real (uvicorn, in this process so that a test can say what day it is) on a copy of
the repository's examples, driven in Debian's Chromium."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import REPO, made_up_name, pdf_text, run_cli
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from test_web import no_violations
from web_helpers import Served

PATIENT = made_up_name("Ottilie", "Brannigan")


class Clock:
    """What instant the app thinks it is (an aware datetime, which the clinic's time
    zone makes a day; or a date, the day itself): a test moves it on."""

    def __init__(self, now: dt.date) -> None:
        self.now = now

    def __call__(self) -> dt.date:
        return self.now


@dataclass
class Desk:
    """The app on a copy of the examples, in this process (`served`), and what day it
    thinks it is."""

    served: Served
    root: Path
    clock: Clock

    @property
    def url(self) -> str:
        return self.served.url

    def post(self, path: str, body: str) -> tuple[int, dict[str, str], bytes]:
        return self.served.post(path, body)


def content_copy(folder: Path) -> Path:
    """The repository's example content (aids, glossaries, factors, pictures, clinic)."""
    for name in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "clinic.yaml", folder / "clinic.yaml")
    return folder


def desk_at(root: Path, serve) -> Desk:
    """The app on ROOT, in this process, on 1 March 2027 until a test moves its clock."""
    clock = Clock(dt.date(2027, 3, 1))
    return Desk(serve(root, in_process=True, clock=clock), root, clock)


@pytest.fixture
def desk(tmp_path: Path, serve) -> Desk:
    return desk_at(content_copy(tmp_path / "content"), serve)


def wait_for_change(page: Page, url: str, seen: str, timeout: float = 120) -> None:
    """Reload until `seen` is gone from the page: the app has taken in a file change
    (its watcher debounces, then checks the new files before serving them)."""
    _reload_until(page, url, lambda content: seen not in content, f"{seen!r} stayed", timeout)


def wait_for(page: Page, url: str, text: str, timeout: float = 120) -> None:
    """Reload until the app shows `text`."""
    _reload_until(page, url, lambda content: text in content, f"{text!r} never came", timeout)


def _reload_until(page: Page, url: str, done, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.goto(url)
        if done(page.content()):
            return
        page.wait_for_timeout(300)
    raise AssertionError(f"{what} at {url} after {timeout} s")


# Today


def test_a_server_left_on_overnight_defaults_to_today(desk: Desk, page: Page):
    page.goto(desk.url + "/en/rhinoplasty")
    assert page.get_by_label("Date of the consult").input_value() == "2027-03-01"
    desk.clock.now = dt.date(2027, 3, 2)  # midnight passes; nothing on disk changes
    page.reload()
    assert page.get_by_label("Date of the consult").input_value() == "2027-03-02"
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_role("button", name="Make chart note").click()
    assert "Date: 2027-03-02" in page.get_by_label("Note").input_value()


def test_a_broken_staff_catalog_leaves_the_pages_up_in_english(desk: Desk, page: Page):
    """The staff read Spanish (clinic.yaml), and the clinic's own Spanish catalog is
    saved in another encoding on the shared drive: the pages stay up, in the tool's
    English, the catalog page names the file and line, and English copies still print."""
    folder = desk.root.parent / "templates"  # moved in whole: the watcher sees one change
    catalog = folder / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes('msgid "Find a decision aid"\nmsgstr "Buscar una guía"\n'.encode("latin-1"))
    folder.rename(desk.root / "templates")
    clinic = desk.root / "clinic.yaml"
    clinic.write_text("language: es\n" + clinic.read_text(encoding="utf-8"), encoding="utf-8")
    alert = page.get_by_role("alert")
    for _ in range(60):
        page.goto(desk.url + "/")
        if alert.count():
            break
        page.wait_for_timeout(300)
    expect(alert).to_contain_text("they are shown in English until it is fixed")
    expect(alert).to_contain_text("templates/locale/es/LC_MESSAGES/messages.po:2: ")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a decision aid")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(desk.url + "/en/rhinoplasty")
    page.get_by_label("Patient's name").fill(PATIENT)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    assert PATIENT in pdf_text(Path(download_info.value.path()))
    download_info.value.delete()


def test_a_changed_site_is_checked_in_a_thread_before_it_is_served(root: Path):
    """While the changed files are checked, pages are answered from the old Site and the
    event loop (which answers /healthz and every page) keeps running; the new Site is
    served only once checked."""
    from decisionaid.web.watch import Watcher

    async def change() -> int:
        watcher = Watcher(root)
        old = watcher.site
        ticks = 0  # turns of the event loop while a check is under way
        watcher._check_then_serve()
        while watcher.site is old:
            if watcher._checking:
                ticks += 1
            await asyncio.sleep(0)
        fresh = watcher.site
        assert fresh.generation == old.generation + 1
        assert "_searchable" in fresh.__dict__ and "entries" in fresh.__dict__
        return ticks

    # In a thread of its own: a browser test before this one leaves Playwright's event
    # loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        ticks = pool.submit(asyncio.run, change()).result()
    assert ticks > 10  # a check in the event loop would have left it no turn at all


def test_a_chart_note_is_made_off_the_event_loop(root: Path, serve):
    """A note checks the aid as a copy does (tens to hundreds of milliseconds): while one
    is being made, the app answers /healthz and its pages. The test holds the note, for
    as long as it likes, at the gate the app keeps for it (its state's `make_note`, here
    waiting for the test before it makes the real note)."""
    served = serve(root, in_process=True)
    state = served.app.state.web
    making, release = threading.Event(), threading.Event()
    make_note = state.make_note

    def held(*args):
        making.set()
        release.wait(120)
        return make_note(*args)

    state.make_note = held
    answers: list[tuple[int, dict[str, str], bytes]] = []
    body = f"patient={PATIENT}&clinician=Dr.+Okoro&date=2027-03-01&options=surgery"
    asking = threading.Thread(target=lambda: answers.append(served.post("/en/test-aid/note", body)))
    asking.start()
    try:
        assert making.wait(120), "the note was never started"
        # A note made in the event loop would hold it here: these would time out.
        assert served.get("/healthz", timeout=20) == "ok"
        assert "Test procedure" in served.get("/en/test-aid", timeout=20)
        assert answers == []  # the note is still being made
    finally:
        release.set()
        asking.join(120)
    status, headers, page = answers[0]
    assert status == 200 and headers["cache-control"] == "no-store"
    assert "Chart note" in page.decode() and "Dr. Okoro" in page.decode()


# Staff read staff text


def test_a_translated_aid_speaks_to_staff_in_their_language(desk: Desk, page: Page):
    page.goto(desk.url + "/ar/carpal-tunnel-release")
    options = page.locator("#options label").all_inner_texts()
    assert options == ["Surgery (الجراحة)", "Night splint and wait (جبيرة ليلية والانتظار)"]
    questions = page.locator("#factors label").all_inner_texts()
    assert questions[0].startswith("Does the patient have diabetes? (")
    no_violations(page)
    assert page.locator("#options .patient-words").first.get_attribute("lang") == "ar"
    page.get_by_label("Does the patient have diabetes?").check()
    page.get_by_label("Large print (18 pt), for the full handout").check()
    page.get_by_role("button", name="Make chart note").click()
    note = page.get_by_label("Note").input_value()
    assert "Decision aid: Surgery for carpal tunnel syndrome" in note
    assert "- Surgery" in note and "- Night splint and wait (no treatment / wait)" in note
    assert "Patient factors (chances shown for people like them): Has diabetes" in note
    assert "Copy given: in Arabic, large print (18 pt)." in note
    assert not any("\u0600" <= char <= "\u06ff" for char in note), note  # no Arabic left
    for width in (1280, 768):  # the whole note shows, its last line too
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.locator("#note").evaluate("n => n.scrollHeight - n.clientHeight")
        assert scroll <= 1, (width, scroll)


def test_a_translated_aid_offers_hopes_in_the_staffs_words(desk: Desk, page: Page):
    page.goto(desk.url + "/ar/carpal-tunnel-release")
    labels = page.locator("#goals label").all_inner_texts()
    assert labels[0] == "Sleep through the night without tingling (أن أنام طوال الليل بدون تنميل)"
    assert page.locator("#goals .patient-words").first.get_attribute("lang") == "ar"
    page.get_by_label("Do heavy work with my hand within a week").check()
    page.get_by_role("button", name="Make chart note").click()
    note = page.get_by_label("Note").input_value()
    assert "- Do heavy work with my hand within a week (Surgery)" in note


def test_note_from_the_cli_says_language_print_size_and_factors():
    result = run_cli(
        "note", "carpal-tunnel-release", "--root", str(REPO), "--language", "ar",
        "--factor", "smoking", "--options", "surgery", "--date", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Options discussed:\n- Surgery\n- Night splint and wait" in result.output
    assert "Patient factors (chances shown for people like them): Smokes or vapes" in result.output
    assert "Copy given: in Arabic, standard print." in result.output


# Only a finished aid is handed to a patient


def test_an_unfinished_aid_is_not_ready_anywhere(desk: Desk, page: Page, tmp_path: Path):
    assert run_cli("new", "knee-arthroscopy", "--root", str(desk.root)).exit_code == 0
    wait_for_change(page, desk.url + "/?q=knee", "0 aids match")
    card = page.locator(".card", has_text="knee-arthroscopy").or_(
        page.locator(".card", has_text="Name of the procedure")
    )
    expect(card).to_contain_text("Not ready")
    expect(card).to_contain_text("errors to fix")
    expect(card).not_to_contain_text("IPDAS")
    page.goto(desk.url + "/en/knee-arthroscopy")
    expect(page.locator("#status")).to_contain_text("cannot be given to a patient")
    expect(page.locator("#status")).to_contain_text("knee-arthroscopy.yaml:")
    expect(page.get_by_role("button", name="Print handout")).to_have_count(0)
    no_violations(page)
    body = f"patient={PATIENT}&date=2027-03-01&options=procedure&kind=handout"
    status, _, answer = desk.post("/en/knee-arthroscopy/handout", body)
    assert status == 409 and not answer.startswith(b"%PDF") and PATIENT.encode() not in answer
    out = tmp_path / "x.pdf"
    args = ("handout", "knee-arthroscopy", "--root", str(desk.root), "-o", str(out))
    result = run_cli(*args, "--patient", PATIENT)
    assert result.exit_code == 1 and not out.exists()
    assert "knee-arthroscopy.yaml:" in result.output and "[placeholder]" in result.output
    # Its authors still get a draft build to look at, marked, listed as not ready.
    built = tmp_path / "built"
    run_cli("build", "knee-arthroscopy", "--root", str(desk.root), "--out", str(built))
    assert "Draft" in pdf_text(built / "en" / "knee-arthroscopy.pdf")
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "Not ready" in index and "IPDAS" not in index


# A copy that cannot be made, and the others that can


def test_a_summary_that_cannot_fit_leaves_the_handout_printable(desk: Desk, page: Page):
    path = desk.root / "aids" / "rhinoplasty.yaml"
    long_row = "\n".join(
        f"  - question: Question {n} that people often ask about this?\n"
        f"    answers: {{surgery: {'A long answer that goes on. ' * 6}, "
        f"no-surgery: {'Another long answer here. ' * 6}}}"
        for n in range(12)
    )
    text = path.read_text(encoding="utf-8").replace("compare:\n", f"compare:\n{long_row}\n", 1)
    path.write_text(text, encoding="utf-8")
    wait_for(page, desk.url + "/en/rhinoplasty/preview", "Question 11")  # the app has the edit
    page.goto(desk.url + "/en/rhinoplasty")
    expect(page.get_by_role("heading", level=1)).to_contain_text("rhinoplasty")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("The one-page summary").check()
    pages_before = len(page.context.pages)
    page.get_by_role("button", name="Print summary").click()  # named for the copy chosen
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("does not fit on one page")
    assert len(page.context.pages) == pages_before  # the answer came back in this tab
    assert page.get_by_label("Patient's name").input_value() == PATIENT
    no_violations(page)
    page.get_by_role("radio", name="The full handout").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    download_info.value.delete()
    assert PATIENT in PdfReader(io.BytesIO(data)).pages[0].extract_text()


# Search


def test_search_matches_words_languages_and_forgives_typos(desk: Desk, page: Page):
    page.goto(desk.url + "/")
    assert page.evaluate("document.activeElement.id") == "q"

    def found(query: str) -> list[str]:
        page.goto(desk.url + "/?q=" + urllib.request.quote(query))
        return page.locator(".card-title a").evaluate_all("a => a.map(x => x.pathname)")

    # Each aid once, titled in the staff's language (English here), its languages under it.
    assert found("es") == ["/en/upper-eyelid-surgery"]  # not "release", not "reshaping"
    assert found("Spanish") == ["/en/upper-eyelid-surgery"]
    assert found("español") == found("espanol") == ["/en/upper-eyelid-surgery"]
    spanish = page.locator(".card-languages a", has_text="Spanish")
    expect(spanish).to_have_attribute("href", "/es/upper-eyelid-surgery")
    assert found("Arabic") == ["/en/carpal-tunnel-release"]
    assert found("nose job") == ["/en/rhinoplasty"]
    assert found("rhinoplsty") == ["/en/rhinoplasty"]
    expect(page.get_by_role("status")).to_contain_text("No aid matches “rhinoplsty” exactly")
    assert found("xylophone") == []


# Copies that say what they are


def test_downloads_are_named_by_id_language_and_kind(desk: Desk, page: Page):
    page.goto(desk.url + "/es/upper-eyelid-surgery")
    names = []
    for kind, large in (("The full handout", False), ("The one-page summary", False),
                        ("The full handout", True)):  # fmt: skip
        page.get_by_role("radio", name=kind).check()
        page.get_by_label("Large print (18 pt), for the full handout").set_checked(large)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download PDF").click()
        names.append(download_info.value.suggested_filename)
        download_info.value.delete()
    assert names == [
        "upper-eyelid-surgery.es.pdf",
        "upper-eyelid-surgery.es.summary.pdf",
        "upper-eyelid-surgery.es.large.pdf",
    ]


def test_handout_takes_a_language(tmp_path: Path):
    out = tmp_path / "copy.pdf"
    args = ("handout", "upper-eyelid-surgery", "--root", str(REPO), "--language", "ES")
    result = run_cli(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Cirugía de párpados" in pdf_text(out)
    result = run_cli("handout", "upper-eyelid-surgery", "--root", str(REPO), "--language", "de")
    assert result.exit_code == 2 and "its languages: en, es" in result.output


def test_enter_in_a_field_sends_nothing(desk: Desk, page: Page):
    page.goto(desk.url + "/en/rhinoplasty")
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.method))
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Patient's name").press("Enter")
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_label("Clinician").press("Enter")
    page.wait_for_timeout(500)
    assert "POST" not in requests and len(page.context.pages) == 1
    assert page.get_by_label("Patient's name").input_value() == PATIENT


def test_a_print_error_comes_back_in_the_same_tab(desk: Desk, page: Page):
    page.goto(desk.url + "/en/rhinoplasty")
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Date of the consult").evaluate("e => e.type = 'text'")
    page.get_by_label("Date of the consult").fill("tomorrow")
    page.get_by_role("button", name="Print handout").click()
    expect(page.locator("#error-summary")).to_contain_text("Enter the date as year-month-day")
    page.wait_for_timeout(300)
    assert len(page.context.pages) == 1
    assert page.get_by_label("Patient's name").input_value() == PATIENT


def test_live_editing_updates_the_whole_page_and_keeps_what_was_typed(desk: Desk, page: Page):
    page.goto(desk.url + "/en/rhinoplasty")
    page.get_by_label("Patient's name").fill(PATIENT)
    path = desk.root / "aids" / "rhinoplasty.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Nose surgery (rhinoplasty)", "title: Nose reshaping surgery")
    text = text.replace("name: Nose surgery", "name: Reshaping surgery", 1)
    text = text.replace("id: surgery", "id: reshaping", 1).replace("{surgery:", "{reshaping:")
    text = text.replace("      surgery: {answer:", "      reshaping: {answer:")  # its goals
    text = text.replace("      surgery: {figure:", "      reshaping: {figure:")
    path.write_text(text, encoding="utf-8")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Nose reshaping surgery", timeout=20000)
    expect(page.locator("#options")).to_contain_text("Reshaping surgery")
    assert page.get_by_label("Patient's name").input_value() == PATIENT
    with page.expect_download() as download_info:  # the renamed option is accepted
        page.get_by_role("button", name="Download PDF").click()
    assert download_info.value.suggested_filename == "rhinoplasty.en.pdf"
    download_info.value.delete()


def test_serve_without_aids_exits_2(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "decisionaid", "serve", "--root", str(tmp_path), "--port", "1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "aids does not exist" in result.stderr and "Traceback" not in result.stderr


def test_no_english_reading_formula_on_another_language():
    result = run_cli("check", "--root", str(REPO), "--json")
    aids = {(a["id"], a["language"]): a["reading"] for a in json.loads(result.output)["aids"]}
    assert "flesch_kincaid_grade" in aids[("rhinoplasty", "en")]
    spanish = aids[("upper-eyelid-surgery", "es")]
    assert spanish["formula"] == "szigriszt-pazos" and "grade" not in spanish
    assert "smog_grade" not in json.dumps(spanish) and spanish["words"] > 300
    arabic = aids[("carpal-tunnel-release", "ar")]
    assert arabic["formula"] is None and "grade" not in arabic and arabic["words"] > 300
