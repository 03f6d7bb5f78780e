"""Approval at the front desk: with clinic.yaml's `front_desk: approved` the app prints
only aids approved and unchanged since, and says of any other why and who can fix it;
the catalog and /status show every aid's approval. The app runs for real (uvicorn, with
its PDF workers) on a copy of the examples, driven over HTTP and in Debian's Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import test_front_desk
from helpers import made_up_name, run_cli
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from test_front_desk import Desk, wait_for, wait_for_change
from test_web import no_violations

# The front desk's fixture by its name: the app on a copy of the examples (Chromium's
# browser and page come from conftest.py).
desk = test_front_desk.desk

PATIENT = made_up_name("Ilse", "Vantongeren")
APPROVER = "Dr. Ada Brook, FRCS"
BODY = f"patient={PATIENT}&clinician=Dr.+Lee&date=2027-03-01&options=surgery&kind=handout"


def approve(root: Path) -> None:
    result = run_cli("approve", "rhinoplasty", "--root", str(root), "--by", APPROVER)
    assert result.exit_code == 0, result.output


def front_desk(root: Path, value: str) -> None:
    clinic = root / "clinic.yaml"
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(text.replace("front_desk: drafts", f"front_desk: {value}"), encoding="utf-8")


def test_front_desk_approved_prints_only_approved_aids(desk: Desk, page: Page):
    front_desk(desk.root, "approved")
    wait_for_change(page, desk.url + "/en/rhinoplasty", "Make a copy for a patient")
    status = page.locator("#status")
    expect(status).to_contain_text("Not approved: this clinic prints only approved aids")
    expect(status).to_contain_text("decisionaid approve rhinoplasty --by NAME")
    expect(page.get_by_role("button", name="Print handout")).to_have_count(0)
    no_violations(page)
    code, _, answer = desk.post("/en/rhinoplasty/handout", BODY)
    assert code == 409 and not answer.startswith(b"%PDF") and PATIENT.encode() not in answer
    page.goto(desk.url + "/?q=nose")
    card = page.locator(".card", has_text="Nose surgery")
    expect(card).to_contain_text("Not for patients until approved")

    # Approved: the copy prints, and names the version it is.
    approve(desk.root)
    wait_for_change(page, desk.url + "/en/rhinoplasty", "Not approved: this clinic")
    expect(page.get_by_role("button", name="Print handout")).to_have_count(1)
    code, _, answer = desk.post("/en/rhinoplasty/handout", BODY)
    assert code == 200 and answer.startswith(b"%PDF")
    first = PdfReader(io.BytesIO(answer)).pages[0].extract_text()
    assert "Version printed: approved on" in " ".join(first.split())
    page.goto(desk.url + "/")
    expect(page.locator(".card", has_text="Nose surgery")).to_contain_text("Approved")

    # Changed since: refused again, with who approved it and what to do.
    aid = desk.root / "aids" / "rhinoplasty.yaml"
    aid.write_text(aid.read_text().replace("Most people go home", "Many people go home"))
    wait_for_change(page, desk.url + "/en/rhinoplasty", "Make a copy for a patient")
    expect(page.locator("#status")).to_contain_text(f"changed after {APPROVER} approved it")
    code, _, answer = desk.post("/en/rhinoplasty/handout", BODY)
    assert code == 409 and PATIENT.encode() not in answer
    page.goto(desk.url + "/")
    expect(page.locator(".card", has_text="Nose surgery")).to_contain_text("Changed since approval")


def test_status_page_lists_every_aid_with_its_approval(desk: Desk, page: Page):
    approve(desk.root)
    wait_for(page, desk.url + "/status", "<td>Approved</td>")
    page.goto(desk.url + "/")
    page.get_by_role("link", name="Review status of every aid").click()
    expect(page).to_have_url(desk.url + "/status")
    rows = page.locator("table.status tbody tr")
    expect(rows).to_have_count(len(list((desk.root / "aids").glob("*.yaml"))))
    row = page.locator("table.status tr", has_text="rhinoplasty")
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text(APPROVER)
    eyelid = page.locator("table.status tr", has_text="upper-eyelid-surgery").first
    expect(eyelid).to_contain_text("Draft")
    no_violations(page)
    aid = desk.root / "aids" / "rhinoplasty.yaml"
    aid.write_text(aid.read_text().replace("Most people go home", "Many people go home"))
    wait_for_change(page, desk.url + "/status", "<td>Approved</td>")
    expect(page.locator("table.status tr", has_text="rhinoplasty")).to_contain_text(
        "Changed since approval"
    )
    expect(page.locator(".banner-error")).to_contain_text("1 aid marked approved needs attention")
    page.set_viewport_size({"width": 768, "height": 900})
    no_violations(page)
