"""Screenshots of the staff web app for the README. A script, not a test.

    .venv/bin/python scripts/screenshots.py

Starts `decisionaid serve` on the example content, opens the catalog and one aid in
Debian's Chromium at desktop width, and writes docs/images/app-*.png.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "images"


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "decisionaid", "serve", "--root", str(REPO), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(url + "/?q=nose")
            page.screenshot(path=IMAGES / "app-catalog.png")
            page.goto(url + "/en/rhinoplasty")
            page.get_by_label("Patient's name").fill("Ana Example")
            page.get_by_label("Clinician").fill("Dr. Lee")
            page.screenshot(path=IMAGES / "app-aid.png", full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(f"Wrote {IMAGES / 'app-catalog.png'} and {IMAGES / 'app-aid.png'}")


if __name__ == "__main__":
    main()
