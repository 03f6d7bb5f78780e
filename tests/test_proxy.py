"""The README's deployment, for real: Debian's nginx in front of the app, with the
server block of docs/deploy/nginx.conf (the one the README shows) and a self-signed
certificate, on loopback. A browser prints a personal copy through it, the live
preview streams through it, and a cross-site post through it is still refused."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import REPO, files_before, files_mentioning, made_up_name
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from web_helpers import Served, free_port

PATIENT = made_up_name("Philippa", "Oyelaran")
SERVER_BLOCK = REPO / "docs" / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@dataclass
class Proxy:
    url: str
    app: Served
    logs: Path


def server_block(app_port: int, port: int, cert: Path, key: Path) -> str:
    """The README's server block, on a loopback port, in front of this test's app."""
    text = SERVER_BLOCK.read_text(encoding="utf-8")
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


@pytest.fixture
def proxy(root: Path, tmp_path: Path, serve) -> Iterator[Proxy]:
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
    app = serve(root, "--workers", "1")
    port = free_port()
    block = prefix / "decisionaid.conf"
    block.write_text(server_block(int(app.url.rsplit(":", 1)[1]), port, cert, key))
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
        yield Proxy(f"https://127.0.0.1:{port}", app, prefix)
    finally:
        process.terminate()
        process.wait(10)


def test_the_readme_shows_the_deployment_the_test_uses():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert SERVER_BLOCK.read_text(encoding="utf-8").strip() in readme
    unit = (REPO / "docs" / "deploy" / "decisionaid.service").read_text(encoding="utf-8")
    assert unit.strip() in readme


def test_printing_previewing_and_refusing_through_nginx(
    proxy: Proxy, browser: Browser, root: Path, tmp_path: Path
):
    started = files_before(proxy.logs, root)
    context = browser.new_context(ignore_https_errors=True, accept_downloads=True)
    page = context.new_page()
    page.goto(proxy.url + "/")
    page.get_by_label("Procedure, other name or language").fill("testoplasty")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Test procedure (testoplasty)").click()
    page.get_by_label("Patient's name").fill(PATIENT)
    page.get_by_label("Date of the consult").fill("2027-03-01")
    printed = context.expect_event("response", lambda r: "/handout?print=1" in r.url)
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
    request = urllib.request.Request(proxy.url + "/events")
    with urllib.request.urlopen(request, timeout=10, context=unchecked) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.readline().startswith(b"retry:")
