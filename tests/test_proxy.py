"""The README's deployment, for real: Debian's nginx in front of the app, with each
server block the README shows (read from the README itself: the docs and the tests
cannot drift; the first is docs/deploy/nginx.conf) and a self-signed certificate, on
loopback. Chromium opens the proxy by the README's name (decisionaid.clinic.example,
resolved to 127.0.0.1 by the browser alone), prints a personal copy through it, the
live preview streams through it, and a cross-site post through it is still refused.
The access log names the desk, as the proxy says, and not a desk's own claim."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import REPO, WAIT_MS, files_before, files_mentioning, made_up_name
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from web_helpers import Served, free_port

PATIENT = made_up_name("Philippa", "Oyelaran")
SERVER_BLOCK = REPO / "docs" / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NAME = "decisionaid.clinic.example"  # the README's name for the proxy
DESK = "127.0.0.2"  # another desk: all of 127/8 is this machine, a source of its own


def readme_blocks() -> list[str]:
    """Every nginx server block the README shows, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```nginx\n(.*?)```", readme, flags=re.DOTALL)


def app_options(block: str) -> list[str]:
    """What the block's comments say to start the app with (`--allowed-host NAME`)."""
    return [
        part
        for name in re.findall(r"--allowed-host (\S+)", block)
        for part in ("--allowed-host", name)
    ]


@dataclass
class Proxy:
    url: str  # by the README's name
    port: int
    app: Served
    logs: Path


def server_block(text: str, app_port: int, port: int, cert: Path, key: Path) -> str:
    """A README server block, on a loopback port, in front of this test's app."""
    for before, after in (
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("/etc/ssl/certs/decisionaid.pem", str(cert)),
        ("/etc/ssl/private/decisionaid.key", str(key)),
        ("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}"),
    ):
        assert before in text, before
        text = text.replace(before, after)
    return text


def nginx_conf(prefix: Path, block: Path) -> str:
    temp = "\n".join(
        f"  {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'};\nevents {{}}\nhttp {{\n"
        f"  access_log {prefix / 'access.log'};\n{temp}\n"
        f"  uwsgi_temp_path {prefix / 'uwsgi'};\n  scgi_temp_path {prefix / 'scgi'};\n"
        f"  include {block};\n}}\n"
    )


@pytest.fixture(scope="module")
def named_browser() -> Iterator[Browser]:
    """Chromium that finds the README's name at 127.0.0.1, as a desk finds the proxy."""
    from helpers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=WAIT_MS)
    rule = f"--host-resolver-rules=MAP {NAME} 127.0.0.1"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, rule])
        yield browser
        browser.close()


@pytest.fixture(params=range(len(readme_blocks())), ids=lambda n: f"readme-block-{n + 1}")
def proxy(request, root: Path, tmp_path: Path, serve) -> Iterator[Proxy]:
    if not Path(NGINX).is_file():
        pytest.fail("nginx is missing: `make test` installs Debian's nginx")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    cert, key = prefix / "cert.pem", prefix / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
         "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    text = readme_blocks()[request.param]
    app = serve(root, "--workers", "1", *app_options(text))
    port = free_port()
    block = prefix / "decisionaid.conf"
    block.write_text(server_block(text, app.port, port, cert, key))
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, block))
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            if (prefix / "nginx.pid").exists():
                break
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
        yield Proxy(f"https://{NAME}:{port}", port, app, prefix)
    finally:
        process.terminate()
        process.wait(10)


def test_the_readme_shows_the_deployment_the_test_uses():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert SERVER_BLOCK.read_text(encoding="utf-8").strip() == readme_blocks()[0].strip()
    assert len(readme_blocks()) >= 2  # the proxy's own Host, and the browser's
    assert any("proxy_set_header Host $host" in block for block in readme_blocks())
    unit = (REPO / "docs" / "deploy" / "decisionaid.service").read_text(encoding="utf-8")
    assert unit.strip() in readme


def test_printing_previewing_and_refusing_through_nginx(
    proxy: Proxy, named_browser: Browser, root: Path, tmp_path: Path
):
    started = files_before(proxy.logs, root)
    context = named_browser.new_context(ignore_https_errors=True, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(proxy.url + "/")
    page.get_by_label("Procedure, other name or language").fill("testoplasty")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Test procedure (testoplasty)").click()
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Date of the consult").fill("2027-03-01")
    printed = context.expect_event(
        "response", lambda r: "/handout?print=1" in r.url, timeout=120_000
    )  # the first copy waits for its worker to start, on a loaded machine too
    with page.expect_popup() as popup, printed as answer:
        page.get_by_role("button", name="Print handout").click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    popup.value.close()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    data = Path(download.value.path()).read_bytes()
    download.value.delete()
    assert "Prepared for " + PATIENT in " ".join(
        PdfReader(io.BytesIO(data)).pages[0].extract_text().split()
    )

    # The live preview streams through the proxy: an edit shows without a reload.
    path = root / "aids" / "test-aid.yaml"
    path.write_text(path.read_text().replace("Test procedure (testoplasty)", "Proxied title"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Proxied title", timeout=20000)
    expect(page.frame_locator("#preview").locator("h1")).to_have_text("Proxied title")

    # A form posted from another site is refused behind the proxy too.
    attack = context.new_page()
    attack.set_content(
        f'<form method="post" action="{proxy.url}/en/test-aid/note">'
        f'<input name="patient" value="{PATIENT}"><input name="options" value="surgery">'
        "<button>Send</button></form>"
    )
    with attack.expect_navigation():
        attack.get_by_role("button", name="Send").click()
    assert "Forbidden" in attack.content() and PATIENT not in attack.content()
    context.close()
    assert files_mentioning(PATIENT, proxy.logs, root, since=started) == []
    assert PATIENT not in proxy.app.log.read_text()


def test_the_stream_is_not_buffered_by_the_proxy(proxy: Proxy):
    """The first server-sent event arrives at once, not when a buffer fills."""
    import ssl

    unchecked = ssl.create_default_context()
    unchecked.check_hostname = False
    unchecked.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(f"https://127.0.0.1:{proxy.port}/events")
    request.add_header("Host", f"{NAME}:{proxy.port}")
    with urllib.request.urlopen(request, timeout=10, context=unchecked) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.readline().startswith(b"retry:")


def test_the_access_log_names_the_desk_the_proxy_saw_and_not_a_forged_one(proxy: Proxy):
    """A desk at 127.0.0.2 asks through nginx, claiming to be 10.9.9.9 in its own
    X-Forwarded-For; the same desk asks the app directly with the same claim. The log
    shows 127.0.0.2 both times: the proxy's word counts, a desk's does not."""
    unchecked = ssl.create_default_context()
    unchecked.check_hostname = False
    unchecked.verify_mode = ssl.CERT_NONE
    through = http.client.HTTPSConnection(
        "127.0.0.1", proxy.port, timeout=20, context=unchecked, source_address=(DESK, 0)
    )
    direct = http.client.HTTPConnection(
        "127.0.0.1", proxy.app.port, timeout=20, source_address=(DESK, 0)
    )
    for connection, host, path in (
        (through, f"{NAME}:{proxy.port}", "/healthz?via=proxy"),
        (direct, f"127.0.0.1:{proxy.app.port}", "/healthz?via=direct"),
    ):
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-For": "10.9.9.9"})
        assert connection.getresponse().read() == b"ok"
        connection.close()
    log = proxy.app.stop()
    lines = [line for line in log.splitlines() if "/healthz?via=" in line]
    assert len(lines) == 2, log
    assert all(f"{DESK}:" in line for line in lines), lines
    assert "10.9.9.9" not in log
