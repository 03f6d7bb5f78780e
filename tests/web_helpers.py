"""The staff app, running for real for a test: as `decisionaid serve` (a process of its
own, as staff start it) or in this process (uvicorn in a thread: a test says what day
it is, or reaches the app's state). Both answer on a free loopback port, and are up
(`/healthz` answers) before a test sees them. conftest.py's `serve` fixture starts
them and stops them when the test ends; `running` is for a longer-lived fixture."""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 60  # seconds for the app to answer /healthz


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    """A running app. Run as a process, it has `process` and `log` (its output); run in
    this process, `app` (the Starlette app: `app.state.web` is its state)."""

    port: int
    log: Path | None = None
    process: subprocess.Popen | None = None
    app: Any = None
    _stop: Callable[[], None] = field(default=lambda: None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 60) -> str:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return response.read().decode("utf-8")

    def post(self, path: str, body: str | bytes) -> tuple[int, dict[str, str], bytes]:
        """A form POST; the status, headers and body, whatever the status."""
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.url + path, data=data)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def request(
        self, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> tuple[int, str]:
        """One raw request; `headers` with underscores for dashes. Host is sent as given
        (`Host=...`), else as 127.0.0.1:PORT."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        sent = {name.replace("_", "-"): value for name, value in headers.items()}
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", sent.pop("Host", f"127.0.0.1:{self.port}"))
            for name, value in sent.items():
                connection.putheader(name, value)
            if body is not None and "Transfer-Encoding" not in sent:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body, encode_chunked="Transfer-Encoding" in sent)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> str:
        """Stop the app (again is harmless); what it wrote, run as a process."""
        self._stop()
        if self.log is None:
            return ""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            try:
                if self.get("/healthz", timeout=5) == "ok":
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"the app did not start:\n{self.stop()}")


@contextmanager
def running(root: Path, log_dir: Path, *args: str) -> Iterator[Served]:
    """`decisionaid serve --root ROOT ARGS...` on a free port, its output in
    LOG_DIR/server-PORT.log."""
    port = free_port()
    log = log_dir / f"server-{port}.log"
    command = [sys.executable, "-m", "decisionaid", "serve", "--root", str(root)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--port", str(port), *args], stdout=sink, stderr=subprocess.STDOUT
        )

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:  # still finishing a copy: never left running
            process.kill()
            process.wait(20)

    served = Served(port, log, process, _stop=stop)
    try:
        served.wait_until_up()
        yield served
    finally:
        served.stop()


@contextmanager
def running_here(
    root: Path, clock: Callable[[], dt.date] = dt.date.today, workers: int = 1
) -> Iterator[Served]:
    """The app in this process, uvicorn in a thread, with `workers` PDF workers; `clock`
    says what day the app thinks it is."""
    import uvicorn

    from decisionaid.web.app import create_app
    from decisionaid.web.guard import Hosts
    from decisionaid.web.pool import PoolSettings

    port = free_port()
    app = create_app(root, Hosts.bound("127.0.0.1", port), clock=clock, pool=PoolSettings(workers))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)

    def stop() -> None:
        server.should_exit = True
        thread.join(15)

    served = Served(port, app=app, _stop=stop)
    thread.start()
    try:
        served.wait_until_up()
        yield served
    finally:
        served.stop()
