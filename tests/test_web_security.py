"""The web app refuses what is not for it: another Host (DNS rebinding), a body too
big, a form posted from another site; and it warns when it listens beyond this
computer. Raw HTTP against the real server (`decisionaid serve`), and one real
browser for the cross-site post."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from helpers import DRAFTS, FIXTURES, made_up_name
from web_helpers import Served, running

PATIENT = made_up_name("Ottoline", "Vasquez-Brennagh")
NOTE = "/en/test-aid/note"


def post_note(server: Served, **headers: str) -> tuple[int, str]:
    form = {"patient": PATIENT, "clinician": "Dr. Okoro", "date": "2027-03-01"}
    body = urlencode({**form, "options": "surgery"}).encode()
    content_type = "application/x-www-form-urlencoded"
    return server.request("POST", NOTE, body, Content_Type=content_type, **headers)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    (root / "aids").mkdir()
    (root / "glossary").mkdir()
    shutil.copy(FIXTURES / "test-aid.yaml", root / "aids" / "test-aid.yaml")
    shutil.copy(FIXTURES / "glossary-en.yaml", root / "glossary" / "en.yaml")
    (root / "clinic.yaml").write_text(DRAFTS, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module's requests that leave it as it was."""
    with running(content, tmp_path_factory.mktemp("log")) as served:
        yield served


def test_only_this_servers_own_host_is_answered(server: Served):
    port = server.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert server.request("GET", "/", Host=host)[0] == 200, host
    # DNS rebinding: the attacker's name, resolving to 127.0.0.1, is still in Host.
    refused = [
        f"rebind.example:{port}",
        "rebind.example",
        f"127.0.0.1:{port + 1}",  # another port is another server
        "127.0.0.1",  # port 80 implied
        f"127.0.0.1@rebind.example:{port}",
        f"rebind.example:{port}/x",
        "",
    ]
    for host in refused:
        status, text = server.request("GET", "/", Host=host)
        assert status == 400, host
        assert text.startswith("Bad request") and f"http://127.0.0.1:{port}/" in text
        assert "rebind" not in text  # nothing from the request is echoed
    # Every route, not only pages: the live-preview stream and the form posts too.
    assert server.request("GET", "/events", Host="rebind.example")[0] == 400
    assert post_note(server, Host=f"rebind.example:{port}")[0] == 400


def test_a_request_body_over_64_kb_is_refused(server: Served):
    big = urlencode({"patient": PATIENT, "clinician": "x" * 70_000}).encode()
    form = {"Content_Type": "application/x-www-form-urlencoded"}
    status, text = server.request("POST", NOTE, big, **form)
    assert status == 413 and PATIENT not in text
    # Without a Content-Length (chunked), the limit holds while reading.
    chunked = iter([big[:30_000], big[30_000:]])
    status, text = server.request("POST", NOTE, chunked, Transfer_Encoding="chunked", **form)
    assert status == 413 and PATIENT not in text
    # Just under the limit is a form like any other (here: too long a clinician).
    fits = urlencode({"patient": PATIENT, "clinician": "x" * 60_000}).encode()
    assert server.request("POST", NOTE, fits, **form)[0] in (200, 400)


def test_forms_posted_from_another_site_are_refused(server: Served):
    own = f"http://127.0.0.1:{server.port}"
    refused = [
        {"Origin": "https://attacker.example"},
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Origin": f"http://localhost:{server.port}"},  # another origin, same machine
        {"Referer": "https://attacker.example/page"},  # no Origin: the Referer's
        {"Sec_Fetch_Site": "cross-site", "Origin": own},  # the browser's word wins
        {"Sec_Fetch_Site": "same-site"},  # a sibling subdomain is another origin
    ]
    for headers in refused:
        status, text = post_note(server, **headers)
        assert status == 403, headers
        assert text.startswith("Forbidden") and PATIENT not in text
    allowed = [
        {"Origin": own},
        {"Referer": f"{own}/en/test-aid"},
        {"Sec_Fetch_Site": "same-origin"},
        {"Sec_Fetch_Site": "same-origin", "Origin": "https://decisionaid.clinic.example"},
        {},  # not a browser (curl, a script): no Origin, no Referer, no Sec-Fetch-Site
    ]
    for headers in allowed:
        status, text = post_note(server, **headers)
        assert status == 200 and "Chart note" in text, headers
    # Reading is not refused: a link from elsewhere still opens the catalog.
    assert server.request("GET", "/", Origin="https://attacker.example")[0] == 200


def test_a_real_browser_cross_site_post_is_refused(server: Served, page):
    # A page of another origin that posts the consult form here, as an attacker's would.
    attack = (
        f'<form method="post" action="http://127.0.0.1:{server.port}{NOTE}">'
        f'<input name="patient" value="{PATIENT}"><input name="options" value="surgery">'
        "<button>Send</button></form>"
    )
    page.set_content(attack)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert "Forbidden" in page.content() and PATIENT not in page.content()
    # The same browser on the app's own page gets its note (the app's own origin).
    page.goto(f"http://127.0.0.1:{server.port}/en/test-aid")
    page.get_by_label("Clinician").fill("Dr. Okoro")
    page.get_by_role("button", name="Make chart note").click()
    page.get_by_role("heading", name="Chart note").wait_for()


def test_refusals_keep_the_patients_name_out_of_answers_and_log(content: Path, serve):
    served = serve(content)
    answers = [
        post_note(served, Host="rebind.example"),
        post_note(served, Origin="https://attacker.example"),
        served.request(
            "POST",
            NOTE,
            urlencode({"patient": PATIENT, "clinician": "x" * 70_000}).encode(),
            Content_Type="application/x-www-form-urlencoded",
        ),
    ]
    log = served.stop()
    assert [status for status, _ in answers] == [400, 403, 413]
    assert all(PATIENT not in text for _, text in answers)
    assert f"POST {NOTE}" in log and " 403" in log and PATIENT not in log
    assert PATIENT.split()[1] not in log


def test_a_non_loopback_bind_warns_and_answers_to_this_machines_names(content: Path, serve):
    # Bound to every address for a few seconds, serving only the test content.
    served = serve(content, "--host", "0.0.0.0")
    port = served.port
    for host in (f"127.0.0.1:{port}", f"{socket.gethostname()}:{port}", f"192.0.2.7:{port}"):
        assert served.request("GET", "/healthz", Host=host)[0] == 200, host
    assert served.request("GET", "/healthz", Host=f"rebind.example:{port}")[0] == 400
    log = served.stop()
    assert "warning: serving on every network this computer is on" in log
    # Where to open it: addresses a browser can open, never 0.0.0.0.
    opened = next(line for line in log.splitlines() if line.startswith("Decision aids from"))
    assert f"open http://127.0.0.1:{port}/ on this computer" in opened
    assert f"http://{socket.gethostname().lower()}:{port}/ from another" in opened
    assert "0.0.0.0" not in opened and "http://0.0.0.0" not in log
    assert "warning" not in serve(content).stop()


def test_a_name_allowed_by_the_clinic_is_answered_and_no_other(content: Path, serve):
    """Behind a proxy that passes on its own Host (`--allowed-host`)."""
    served = serve(content, "--allowed-host", "handouts.clinic.example")
    port = served.port
    assert served.request("GET", "/", Host=f"handouts.clinic.example:{port}")[0] == 200
    assert served.request("GET", "/", Host=f"other.clinic.example:{port}")[0] == 400
    assert served.request("GET", "/", Host=f"127.0.0.1:{port}")[0] == 200
    # The proxy's name without a port (nginx's `$host`), or at the proxy's own port.
    for host in ("handouts.clinic.example", "HANDOUTS.clinic.example:443"):
        assert served.request("GET", "/", Host=host)[0] == 200, host
    assert served.request("GET", "/", Host="other.clinic.example")[0] == 400
    assert served.request("GET", "/", Host="127.0.0.1")[0] == 400  # loopback: its port only
    # The cross-site check agrees: the proxy's origin is the app's own, at http or https,
    # whether the proxy passes its own Host or the app's.
    for host in ("handouts.clinic.example", f"127.0.0.1:{port}"):
        status, _ = post_note(served, Host=host, Origin="https://handouts.clinic.example")
        assert status == 200, host
        status, _ = post_note(served, Host=host, Origin="https://other.clinic.example")
        assert status == 403, host


def test_origin_null_passes_only_with_the_browsers_same_origin_word(server: Served):
    """Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` on the app's
    own posts; so would an attacker's page that asks for the same policy. Only
    `Sec-Fetch-Site: same-origin` (which no page can forge) tells them apart; without
    it, the refusal says how to open the app so that the browser does say."""
    status, _ = post_note(server, Origin="null", Sec_Fetch_Site="same-origin")
    assert status == 200
    for cross in ("cross-site", "same-site"):
        assert post_note(server, Origin="null", Sec_Fetch_Site=cross)[0] == 403
    status, text = post_note(server, Origin="null")
    assert status == 403 and "https://" in text and f"127.0.0.1:{server.port}" in text
    assert PATIENT not in text


def test_an_allowed_host_written_with_a_port_is_the_name_at_any_port():
    from decisionaid.web.guard import Hosts

    hosts = Hosts.bound("127.0.0.1", 8000, ["Handouts.Clinic.Example:443"])
    for host in ("handouts.clinic.example", "handouts.clinic.example:443", "127.0.0.1:8000"):
        assert hosts.accepts(host), host
    for host in ("other.clinic.example", "127.0.0.1", "127.0.0.1:443", "handouts.clinic"):
        assert not hosts.accepts(host), host
