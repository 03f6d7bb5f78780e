"""Approval of an exact version: `decisionaid approve` checks an aid and records who
approved what it is made from; any edit since makes it "changed since approval" on
every page, in the catalog and in `check`; `diff` says what changed in words; a new
approval adds to the history; clinic.yaml's `front_desk` decides what is printed for a
patient; every copy and chart note names the version it is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import REPO, build, check, line_of, pdf_pages, pdf_text, run_cli, soup, text_of

from decisionaid.pipeline.result import Context
from decisionaid.pipeline.status import status_rows
from decisionaid.settings import BuildOptions

APPROVER = "Dr. Ada Brook, FRCS"
CHANGED = f"Changed since it was approved on {{date}} by {APPROVER}; not yet approved again"


def content(folder: Path, front_desk: str = "approved") -> Path:
    """A copy of the repository's examples; `rhinoplasty` has a development record."""
    for name in ("aids", "glossary", "factors", "images"):
        shutil.copytree(REPO / name, folder / name)
    clinic = (REPO / "clinic.yaml").read_text(encoding="utf-8")
    (folder / "clinic.yaml").write_text(
        clinic.replace("front_desk: drafts", f"front_desk: {front_desk}"), encoding="utf-8"
    )
    return folder


def approve(root: Path, aid_id: str = "rhinoplasty", *more: str):
    return run_cli("approve", aid_id, "--root", str(root), "--by", APPROVER, *more)


def long_date(day) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def history(root: Path, aid_id: str = "rhinoplasty", language: str = "en") -> list[dict]:
    path = root / "approvals" / language / f"{aid_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))["approvals"]


def test_approve_edit_see_it_changed_then_approve_again(tmp_path: Path):
    root = content(tmp_path)
    aid = root / "aids" / "rhinoplasty.yaml"
    before = aid.read_text(encoding="utf-8")
    result = approve(root)
    assert result.exit_code == 0, result.output
    assert "fingerprint" in result.output and "approval 1" in result.output
    # Only status and approved_by changed in the file; comments and layout stay.
    after = aid.read_text(encoding="utf-8")
    assert after == before.replace(
        "status: draft\n", f"status: approved\napproved_by: {APPROVER}\n"
    )
    [first] = history(root)
    assert first["by"] == APPROVER and len(first["fingerprint"]) == 64
    copy = root / "approvals" / "en" / first["copy"]
    assert copy.read_text(encoding="utf-8") == after
    day = __import__("datetime").date.fromisoformat(first["at"][:10])

    out = tmp_path / "out"
    assert build(root, out, ("rhinoplasty",), formats=["pdf"]).ok
    approved_line = f"Approved on {long_date(day)} by {APPROVER}"
    assert all(approved_line in page for page in pdf_pages(out / "en" / "rhinoplasty.pdf"))
    assert all("Changed since" not in page for page in pdf_pages(out / "en" / "rhinoplasty.pdf"))
    assert run_cli("status", "--root", str(root)).exit_code == 0

    # Edit a figure: the handout prints the changed line on every page, in place of the
    # approved one; check, the catalog, status and diff say so.
    aid.write_text(
        after.replace(
            "chance: {count: 1, per: 10, range: [1, 2], timeframe: within 5 years,",
            "chance: {count: 2, per: 10, range: [1, 3], timeframe: within 5 years,",
        ).replace(
            "certainty: moderate, certainty_why: Studies lasted",
            "certainty: low, certainty_why: Studies lasted",
        ),
        encoding="utf-8",
    )
    report = build(root, out, ("rhinoplasty",), formats=["pdf"])
    assert report.ok, report.problems
    changed = CHANGED.format(date=long_date(day))
    pages = pdf_pages(out / "en" / "rhinoplasty.pdf")
    assert all(changed in page for page in pages), pages[0][-300:]
    assert all(approved_line not in page for page in pages)
    found = [f for c in report.checks for f in c.findings if f.code == "changed-since-approval"]
    assert found and found[0].line == line_of(aid.read_text(encoding="utf-8"), "status:")
    # The edit left `updated` at its old date, before the approval: the check says so.
    dated = [f for c in report.checks for f in c.findings if f.code == "updated-before-change"]
    assert [f.line for f in dated] == [line_of(aid.read_text(encoding="utf-8"), "updated:")]
    assert "still says 2026-11-20" in dated[0].message
    aid.write_text(
        aid.read_text(encoding="utf-8").replace("updated: 2026-11-20", f"updated: {day}"),
        encoding="utf-8",
    )
    report = build(root, out, ("rhinoplasty",), formats=["pdf"])
    codes = {f.code for c in report.checks for f in c.findings}
    assert "changed-since-approval" in codes and "updated-before-change" not in codes
    catalog = text_of(soup(out / "index.html"))
    assert "Changed since approval" in catalog

    diff = run_cli("diff", "rhinoplasty", "--root", str(root))
    assert diff.exit_code == 1
    assert (
        "risk 'A second surgery' › chance: the chance went from about 1 in 10 to about 2 in 10"
        in diff.output
    )
    assert "certainty lowered from moderate to low" in diff.output
    status = run_cli("status", "--root", str(root))
    assert status.exit_code == 1 and "changed since approval" in status.output

    # Approved again: the history keeps both approvals, each with its own copy.
    again = approve(root)
    assert again.exit_code == 0, again.output
    both = history(root)
    assert [a["by"] for a in both] == [APPROVER, APPROVER]
    assert both[0]["fingerprint"] == first["fingerprint"] != both[1]["fingerprint"]
    assert both[0]["copy"] != both[1]["copy"]
    assert "count: 1, per: 10" in (root / "approvals" / "en" / both[0]["copy"]).read_text()
    assert "count: 2, per: 10" in (root / "approvals" / "en" / both[1]["copy"]).read_text()
    assert run_cli("diff", "rhinoplasty", "--root", str(root)).exit_code == 0
    assert build(root, out, ("rhinoplasty",), formats=["pdf"]).ok
    assert all(approved_line in p for p in pdf_pages(out / "en" / "rhinoplasty.pdf"))


def test_approve_refuses_an_aid_with_errors_and_changes_nothing(tmp_path: Path):
    root = content(tmp_path)
    aid = root / "aids" / "rhinoplasty.yaml"
    broken = aid.read_text(encoding="utf-8").replace(
        "update_policy: We check this handout every year, and sooner if new evidence comes out.\n",
        "",
    )
    broken = broken.replace("certainty: low, certainty_why: The studies were small.}", "}", 1)
    aid.write_text(broken, encoding="utf-8")
    result = approve(root)
    assert result.exit_code == 1
    assert "error" not in result.output.lower() or "Not approved" in result.output
    assert "no update_policy" in result.output and "[ipdas-update-policy]" in result.output
    assert "[ipdas-certainty]" in result.output  # every figure needs one, once approved
    assert "Not approved: 2 errors to fix as an approved aid" in result.output
    assert aid.read_text(encoding="utf-8") == broken
    assert not (root / "approvals").exists()


def test_approve_refuses_an_aid_short_of_an_ipdas_certification_criterion(tmp_path: Path):
    root = content(tmp_path)
    result = approve(root, "upper-eyelid-surgery")  # no development record
    assert result.exit_code == 1
    assert "IPDAS certification: gives the date of the evidence search (not met)" in result.output
    assert "add development.evidence_search" in result.output
    assert not (root / "approvals").exists()


def test_a_definition_the_aid_uses_is_part_of_what_was_approved(tmp_path: Path):
    root = content(tmp_path)
    assert approve(root).exit_code == 0
    glossary = root / "glossary" / "en.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert "splits it into two sides" in text
    glossary.write_text(text.replace("splits it into two sides", "divides it in two"))
    result = run_cli("diff", "rhinoplasty", "--root", str(root))
    assert result.exit_code == 1
    assert (
        "glossary 'septum': its definition: 'splits' became 'divides'; "
        "'into two sides.' became 'in two.'" in result.output
    )
    # A definition no aid of this one uses changes nothing for it.
    glossary.write_text(
        text.replace("splits it into two sides", "splits it in two").replace(
            "definition: A soft shell", "definition: A soft case"
        )
    )
    assert "implant" not in run_cli("diff", "rhinoplasty", "--root", str(root)).output


def test_typed_approved_is_not_approved(tmp_path: Path):
    root = content(tmp_path, front_desk="approved")
    aid = root / "aids" / "rhinoplasty.yaml"
    aid.write_text(
        aid.read_text().replace("status: draft", f"status: approved\napproved_by: {APPROVER}")
    )
    report = check(root, ("rhinoplasty",))
    codes = [f.code for f in report.aids[0].findings]
    assert "approval-not-recorded" in codes
    result = run_cli("handout", "rhinoplasty", "--root", str(root), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "no approval is recorded" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_front_desk_approved_refuses_a_draft_in_handout_and_note(tmp_path: Path):
    root = content(tmp_path, front_desk="approved")
    target = tmp_path / "copy.pdf"
    result = run_cli("handout", "upper-eyelid-surgery", "--root", str(root), "-o", str(target))
    assert result.exit_code == 1
    assert "a draft, and this clinic prints only approved aids for patients" in result.output
    assert "decisionaid approve upper-eyelid-surgery --by NAME" in result.output  # who fixes it
    assert "[not-approved]" in result.output and not target.exists()
    spanish = run_cli("note", "upper-eyelid-surgery", "--language", "es", "--root", str(root))
    assert spanish.exit_code == 1
    assert "decisionaid approve upper-eyelid-surgery --language es --by NAME" in spanish.output
    # Without the key the default is approved; `drafts` lets a draft be printed, marked.
    (root / "clinic.yaml").write_text("name: Riverside Clinic\n")
    assert run_cli("handout", "rhinoplasty", "--root", str(root), "-o", str(target)).exit_code == 1
    (root / "clinic.yaml").write_text("name: Riverside Clinic\nfront_desk: drafts\n")
    result = run_cli("handout", "rhinoplasty", "--root", str(root), "-o", str(target))
    assert result.exit_code == 0 and "Draft" in pdf_text(target)


def test_every_copy_and_note_names_the_version_printed(tmp_path: Path):
    root = content(tmp_path, front_desk="drafts")
    target = tmp_path / "copy.pdf"
    args = ("--root", str(root), "--date", "2027-03-01")
    assert run_cli("handout", "rhinoplasty", *args, "-o", str(target)).exit_code == 0
    state = check(root, ("rhinoplasty",)).aids[0].approval
    assert f"Version printed: draft, fingerprint {state.short}" in pdf_pages(target)[0]
    note = run_cli("note", "rhinoplasty", *args).output
    assert f"(version of 2026-11-20, DRAFT, fingerprint {state.short})" in note

    assert approve(root).exit_code == 0
    state = check(root, ("rhinoplasty",)).aids[0].approval
    assert state.state == "approved"
    day = long_date(state.last.on)
    assert run_cli("handout", "rhinoplasty", *args, "-o", str(target)).exit_code == 0
    assert f"Version printed: approved on {day}, fingerprint {state.short}" in pdf_pages(target)[0]
    summary = tmp_path / "summary.pdf"
    assert run_cli("handout", "rhinoplasty", *args, "--summary", "-o", str(summary)).exit_code == 0
    assert f"fingerprint {state.short}" in pdf_text(summary)
    assert f"Approved on {day} by {APPROVER}" in pdf_text(summary)  # its footer
    note = run_cli("note", "rhinoplasty", *args).output
    on = state.last.on.isoformat()
    assert f"approved {on} by {APPROVER}, fingerprint {state.short})" in note

    aid = root / "aids" / "rhinoplasty.yaml"
    aid.write_text(aid.read_text().replace("Most people go home the same day.", "You go home."))
    changed = check(root, ("rhinoplasty",)).aids[0].approval
    assert changed.state == "changed" and changed.short != state.short
    note = run_cli("note", "rhinoplasty", *args).output
    assert f"CHANGED SINCE APPROVAL on {on}, fingerprint {changed.short})" in note
    assert run_cli("handout", "rhinoplasty", *args, "-o", str(target)).exit_code == 0
    first = pdf_pages(target)[0]
    assert f"Version printed: changed since approval, fingerprint {changed.short}" in first


def test_status_lists_every_aid_and_fails_on_overdue_or_changed(tmp_path: Path):
    root = content(tmp_path)
    result = run_cli("status", "--root", str(root), "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)["aids"]
    assert {(r["id"], r["language"]) for r in rows} == {
        (p.stem.split(".")[0], p.stem.partition(".")[2] or "en")
        for p in (REPO / "aids").glob("*.yaml")
    }
    assert {r["state"] for r in rows} == {"draft"} and not any(r["failing"] for r in rows)
    assert approve(root).exit_code == 0
    aid = root / "aids" / "rhinoplasty.yaml"
    text = aid.read_text()
    # Due within 60 days, then overdue: status exits 1 only for the overdue approved aid.
    import datetime as dt

    today = dt.date.today()
    soon = text.replace("review_by: 2027-11-20", f"review_by: {today + dt.timedelta(days=30)}")
    soon = soon.replace("updated: 2026-11-20", f"updated: {today - dt.timedelta(days=1)}")
    aid.write_text(soon)
    assert approve(root).exit_code == 0
    result = run_cli("status", "--root", str(root), "--json")
    row = next(r for r in json.loads(result.output)["aids"] if r["id"] == "rhinoplasty")
    assert (row["state"], row["review"], row["days_to_review"]) == ("approved", "due", 30)
    assert result.exit_code == 0
    text = run_cli("status", "--root", str(root)).output
    assert f"{today + dt.timedelta(days=30)} (due in 30 days)" in text
    # A month on, its review is overdue: status fails (for a clinic's CI).
    later = Context.open(root, BuildOptions(today=today + dt.timedelta(days=31)))
    row = next(r for r in status_rows(later) if r.id == "rhinoplasty")
    assert (row.review, row.days, row.failing) == ("overdue", -1, True)
    # Changed since approval: status fails today too.
    aid.write_text(aid.read_text().replace("go home the same day.", "go home on the same day."))
    assert run_cli("status", "--root", str(root)).exit_code == 1


def test_a_tampered_history_is_no_approval(tmp_path: Path):
    root = content(tmp_path)
    assert approve(root).exit_code == 0
    path = root / "approvals" / "en" / "rhinoplasty.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["approvals"][0]["copy"] = "../../../aids/rhinoplasty.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = check(root, ("rhinoplasty",)).aids[0]
    assert report.approval.state == "unrecorded"
    history = [f for f in report.findings if f.code == "approval-history"]
    assert (
        history and "names the copy '../../../aids/rhinoplasty.yaml' outside" in history[0].message
    )
    assert run_cli("status", "--root", str(root)).exit_code == 1
    path.write_text("not json", encoding="utf-8")
    assert check(root, ("rhinoplasty",)).aids[0].approval.state == "unrecorded"
