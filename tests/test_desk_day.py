"""The front desk, round three: a page left open overnight, the clinic's own day (its
time zone), a translation broken while its page is open, Back after a chart note, the
name's length in the browser, and a broken clinic.yaml read by Spanish-speaking staff.
The app runs for real (uvicorn, in this process so that a test says what instant it
is) on a copy of the repository's examples, driven in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from helpers import made_up_name, run_cli
from playwright.sync_api import Page, expect
from test_front_desk import Clock, content_copy
from web_helpers import Served

from decisionaid.handout.consult import MAX_NAME

PATIENT = made_up_name("Leocadia", "Fernández Quiroga")
WAIT = 120_000  # ms: a new Site is checked before it is served (tens of seconds, loaded)


DAY = dt.date(2027, 3, 1)  # a clock that answers a date: the clinic's day, as it is


def start(tmp_path: Path, serve, now: dt.date, clinic: str = "") -> tuple[Served, Path]:
    root = content_copy(tmp_path / "content")
    path = root / "clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8") + clinic, encoding="utf-8")
    return serve(root, in_process=True, clock=Clock(now)), root


def generation(page: Page) -> str:
    return page.locator("#status").get_attribute("data-generation") or ""


# A page left open overnight


def test_a_page_left_open_overnight_follows_the_day_unless_staff_chose_one(
    tmp_path: Path, serve, page: Page
):
    clock = Clock(DAY)
    root = content_copy(tmp_path / "content")
    served = serve(root, in_process=True, clock=clock)
    page.goto(served.url + "/en/rhinoplasty")
    date = page.get_by_label("Date of the consult")
    expect(date).to_have_value("2027-03-01")
    page.get_by_label("Patient's name").fill(PATIENT)
    clock.now = dt.date(2027, 3, 2)  # midnight passes; nothing on disk changes
    # The page refreshes itself (the new day is a new Site): the date it suggested
    # follows the day, what was typed stays.
    expect(date).to_have_value("2027-03-02", timeout=WAIT)
    assert page.get_by_label("Patient's name").input_value() == PATIENT
    # A date staff chose is theirs: the next day's refresh keeps it.
    date.fill("2027-02-26")
    seen = generation(page)
    clock.now = dt.date(2027, 3, 3)
    expect(page.locator("#status")).not_to_have_attribute("data-generation", seen, timeout=WAIT)
    assert date.input_value() == "2027-02-26"
    assert page.get_by_label("Patient's name").input_value() == PATIENT
    page.get_by_label("Patient's name").fill("")


def test_a_day_that_changes_before_the_page_listens_still_refreshes_it(
    tmp_path: Path, serve, page: Page
):
    """The page's stream of changes (/events) is held back, as on a slow connection,
    while midnight passes: its first message already names the new day's files, and
    the page, made from the old ones, refreshes all the same."""
    clock = Clock(DAY)
    served = serve(content_copy(tmp_path / "content"), in_process=True, clock=clock)
    held = []
    page.route("**/events", lambda route: held.append(route))
    page.goto(served.url + "/en/rhinoplasty")
    date = page.get_by_label("Date of the consult")
    expect(date).to_have_value("2027-03-01")
    for _ in range(300):  # until the page has asked for its stream
        if held:
            break
        page.wait_for_timeout(100)
    clock.now = dt.date(2027, 3, 2)  # while the request is on its way
    for route in held:
        route.continue_()
    expect(date).to_have_value("2027-03-02", timeout=WAIT)


def test_a_refresh_keeps_what_came_back_with_a_problem(tmp_path: Path, serve, page: Page):
    """A copy refused (here: a character no font has) comes back with the name and the
    ticks in the form; the page refreshing itself afterwards keeps them all, and the
    date left at the day still follows it."""
    clock = Clock(DAY)
    served = serve(content_copy(tmp_path / "content"), in_process=True, clock=clock)
    page.goto(served.url + "/en/rhinoplasty")
    name = f"{PATIENT} \U0001f9ff"
    page.get_by_label("Patient's name").fill(name)
    ticks = page.locator("form.consult input[type=checkbox]:not(:checked)")
    hope = ticks.first.get_attribute("id")
    ticks.first.check()
    page.get_by_role("button", name="Print handout").click()
    expect(page.locator("#error-summary")).to_contain_text("U+1F9FF", timeout=WAIT)
    clock.now = dt.date(2027, 3, 2)  # the page refreshes itself
    expect(page.get_by_label("Date of the consult")).to_have_value("2027-03-02", timeout=WAIT)
    assert page.get_by_label("Patient's name").input_value() == name
    assert page.locator(f"#{hope}").is_checked()
    page.get_by_label("Patient's name").fill("")


def test_a_save_of_the_same_bytes_leaves_the_problem_shown(tmp_path: Path, serve, page: Page):
    """A file saved again unchanged makes a new Site (the watcher sees a write, not what
    it wrote): the open page fetches itself, finds it made from the same files and day,
    and keeps the problem that came back with a refused copy."""
    root = content_copy(tmp_path / "content")
    served = serve(root, in_process=True, clock=Clock(DAY))
    page.goto(served.url + "/en/rhinoplasty")
    page.get_by_label("Patient's name").fill(f"{PATIENT} \U0001f9ff")
    page.get_by_role("button", name="Print handout").click()
    expect(page.locator("#error-summary")).to_contain_text("U+1F9FF", timeout=WAIT)
    path = root / "aids" / "rhinoplasty.yaml"
    with page.expect_response(
        lambda r: r.url.endswith("/en/rhinoplasty") and r.request.method == "GET", timeout=WAIT
    ) as refreshed:
        path.write_bytes(path.read_bytes())
    refreshed.value.finished()
    page.evaluate("() => new Promise(done => setTimeout(done, 500))")  # its .then has run
    expect(page.locator("#error-summary")).to_contain_text("U+1F9FF")
    page.get_by_label("Patient's name").fill("")


# The clinic's day: clinic.yaml's time zone


def test_today_is_the_clinics_day_in_its_time_zone(tmp_path: Path, serve, page: Page):
    """23:30 UTC on 1 March is already 2 March in Madrid, still 1 March in New York;
    the zone is read from clinic.yaml as it is now, not at start-up."""
    late = dt.datetime(2027, 3, 1, 23, 30, tzinfo=dt.UTC)
    served, root = start(tmp_path, serve, late, "time_zone: Europe/Madrid\n")
    page.goto(served.url + "/en/rhinoplasty")
    expect(page.get_by_label("Date of the consult")).to_have_value("2027-03-02")
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_role("button", name="Make chart note").click()
    expect(page.get_by_label("Note")).to_have_value(re.compile("Date: 2027-03-02"))
    clinic = root / "clinic.yaml"
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(text.replace("Europe/Madrid", "America/New_York"), encoding="utf-8")
    date = page.get_by_label("Date of the consult")
    for _ in range(100):  # until the app has read the changed clinic.yaml
        page.goto(served.url + "/en/rhinoplasty")
        if date.input_value() == "2027-03-01":
            break
        page.wait_for_timeout(300)
    expect(date).to_have_value("2027-03-01")


def test_a_time_zone_this_computer_does_not_know_is_named_at_its_line(
    tmp_path: Path, serve, page: Page
):
    now = DAY
    served, root = start(tmp_path, serve, now, "time_zone: Europe/Madird\n")
    page.goto(served.url + "/")
    line = len((root / "clinic.yaml").read_text(encoding="utf-8").splitlines())
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"clinic.yaml:{line}: time_zone: 'Europe/Madird' is not a time")
    expect(alert).to_contain_text("did you mean 'Europe/Madrid'?")
    result = run_cli("check", "--root", str(root))
    assert f"clinic.yaml:{line}: time_zone:" in result.output


def test_the_cli_dates_a_note_by_the_clinics_time_zone(tmp_path: Path):
    """Kiritimati (UTC+14) and Baker Island (UTC-12) are 26 hours apart: whatever the
    time, their dates differ, and the note's date follows clinic.yaml's zone."""
    dates = []
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        root = content_copy(tmp_path / zone.replace("/", "-"))
        clinic = root / "clinic.yaml"
        clinic.write_text(clinic.read_text() + f"time_zone: {zone}\n", encoding="utf-8")
        result = run_cli("note", "rhinoplasty", "--root", str(root), "--clinician", "Dr. Okoro")
        assert result.exit_code == 0, result.output
        dates.append(dt.date.fromisoformat(re.search(r"Date: (\S+)", result.output)[1]))
    assert dates[0] > dates[1]


def test_every_command_judges_dates_by_the_clinics_day(tmp_path: Path):
    """One day for every question: with review_by on Baker Island's today, an aid is
    overdue for review in Kiritimati (a day or two ahead) and not on Baker Island, in
    `status`, `check` and `build` alike; `new` dates a skeleton by the clinic's day."""
    from zoneinfo import ZoneInfo

    baker = dt.datetime.now(ZoneInfo("Etc/GMT+12")).date()
    seen = {}
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        root = content_copy(tmp_path / zone.replace("/", "-"))
        clinic = root / "clinic.yaml"
        clinic.write_text(clinic.read_text() + f"time_zone: {zone}\n", encoding="utf-8")
        aid = root / "aids" / "rhinoplasty.yaml"
        text = aid.read_text(encoding="utf-8")
        aid.write_text(text.replace("review_by: 2027-11-20", f"review_by: {baker}"), "utf-8")
        status = json.loads(run_cli("status", "rhinoplasty", "--root", str(root), "--json").output)
        check = run_cli("check", "rhinoplasty", "--root", str(root)).output
        out = tmp_path / f"out-{len(seen)}"
        run_cli("build", "rhinoplasty", "--root", str(root), "--out", str(out), "--format", "html")
        report = (out / "en" / "rhinoplasty.check.html").read_text(encoding="utf-8")
        assert run_cli("new", "knee-scope", "--root", str(root)).exit_code == 0
        made = (root / "aids" / "knee-scope.yaml").read_text(encoding="utf-8")
        seen[zone] = (status, check, report, made)
    ahead, behind = seen["Pacific/Kiritimati"], seen["Etc/GMT+12"]
    assert (
        dt.date.fromisoformat(ahead[0]["today"])
        > baker
        == dt.date.fromisoformat(behind[0]["today"])
    )
    assert [ahead[0]["aids"][0]["review"], behind[0]["aids"][0]["review"]] == ["overdue", "due"]
    assert "review-overdue" in ahead[1] and "review-overdue" not in behind[1]
    assert "review-overdue" in ahead[2] and "review-overdue" not in behind[2]
    assert f"updated: {ahead[0]['today']}" in ahead[3] and f"updated: {baker}" in behind[3]


# A translation broken while its page is open


def test_a_broken_translation_shows_its_problem_on_its_open_page(tmp_path: Path, serve, page: Page):
    served, root = start(tmp_path, serve, DAY)
    page.goto(served.url + "/es/upper-eyelid-surgery")
    print_button = page.get_by_role("button", name="Print handout")
    expect(print_button).to_have_count(1)
    path = root / "aids" / "upper-eyelid-surgery.es.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle:", "\ntitle: [", 1), encoding="utf-8")
    status = page.locator("#status")  # the open page follows, by itself
    expect(status).to_contain_text("cannot be given to a patient", timeout=WAIT)
    expect(status).to_contain_text("upper-eyelid-surgery.es.yaml:")
    expect(print_button).to_have_count(0)
    body = urllib.parse.urlencode({"patient": PATIENT, "options": "surgery"})
    code, headers, answer = served.post("/es/upper-eyelid-surgery/handout", body)
    html = answer.decode("utf-8")
    assert code == 409, code
    assert "upper-eyelid-surgery.es.yaml:" in html
    assert "There is no such decision aid" not in html
    assert PATIENT not in html
    assert {k.lower(): v for k, v in headers.items()}["cache-control"] == "no-store"
    # A page opened now finds it at the same address, and says where it broke.
    page.goto(served.url + "/es/upper-eyelid-surgery")
    expect(status).to_contain_text(re.compile(r"upper-eyelid-surgery\.es\.yaml:\d+"))
    # The review page links each file to that address, the broken one too.
    page.goto(served.url + "/status")
    links = page.locator("table th a").evaluate_all("a => a.map(x => x.pathname)")
    assert "/es/upper-eyelid-surgery" in links and not any("//" in x for x in links), links


# Nothing of one patient stays for the next


def test_back_after_a_chart_note_leaves_nothing_of_that_patient(tmp_path: Path, serve, page: Page):
    served, _ = start(tmp_path, serve, DAY)
    page.goto(served.url + "/en/carpal-tunnel-release")
    factor = page.locator("input[name=factors]").first
    goal = page.locator("input[name=goals]").first
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Clinician").fill("Dr. Okoro")
    factor.check()
    goal.check()
    page.get_by_label("The one-page summary").check()
    page.get_by_role("button", name="Make chart note").click()
    expect(page.get_by_label("Note")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Patient's name")).to_have_value("")
    expect(page.get_by_label("Clinician")).to_have_value("")
    expect(factor).not_to_be_checked()
    expect(goal).not_to_be_checked()
    expect(page.get_by_role("radio", name="The full handout")).to_be_checked()


def test_the_aid_page_is_never_kept_by_the_browser(tmp_path: Path, serve):
    served, _ = start(tmp_path, serve, DAY)
    code, body = served.request("GET", "/en/rhinoplasty")
    assert code == 200
    assert re.search(r'<form class="consult"[^>]* autocomplete="off"', body)
    with urllib.request.urlopen(served.url + "/en/rhinoplasty") as r:
        assert r.headers["Cache-Control"] == "no-store"


# The name's length


def test_the_browser_stops_a_name_at_the_servers_limit(tmp_path: Path, serve, page: Page):
    served, _ = start(tmp_path, serve, DAY)
    page.goto(served.url + "/en/rhinoplasty")
    for label in ("Patient's name", "Clinician"):
        field = page.get_by_label(label)
        assert field.get_attribute("maxlength") == str(MAX_NAME)
        field.press_sequentially("x" * (MAX_NAME + 5), delay=0)
        assert len(field.input_value()) == MAX_NAME
    # The server says the same limit in its message, from the same place.
    body = urllib.parse.urlencode({"patient": "x" * (MAX_NAME + 1), "options": "surgery"})
    code, _, answer = served.post("/en/rhinoplasty/handout", body)
    assert code == 400
    assert f"Enter {MAX_NAME} characters or fewer" in answer.decode("utf-8")


# A broken clinic.yaml, read by staff who read Spanish


@pytest.mark.parametrize(
    "broken",
    ["paper: b5\n", "phone: [unclosed\n"],
    ids=["a wrong value", "not YAML"],
)
def test_a_broken_clinic_yaml_keeps_the_staffs_language(
    tmp_path: Path, serve, page: Page, broken: str
):
    served, root = start(tmp_path, serve, DAY)
    clinic = root / "clinic.yaml"
    clinic.write_text("language: es\n" + clinic.read_text(encoding="utf-8") + broken)
    alert = page.get_by_role("alert")
    for _ in range(100):  # until the app has read the changed clinic.yaml
        page.goto(served.url + "/")
        if alert.count():
            break
        page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar una guía para decidir")
    expect(alert).to_contain_text("clinic.yaml:")
    # The sentence around the problem lines is the staff's; the lines are the check's
    # own, in English, and marked so.
    expect(alert).to_contain_text("Para quien corrija el archivo")
    assert alert.locator("ul.problems").get_attribute("lang") == "en"
