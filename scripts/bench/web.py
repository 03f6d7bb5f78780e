"""The staff web app under load: one copy at a time, many desks at once."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from ....scripts.bench.catalog import option_ids
from ....scripts.bench.config import CONSULT_DATE, PATIENT
from ....scripts.bench.model import Catalog
from ....scripts.bench.procs import TreePeak, _read, _status_kb, _tree, cli, say


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_post(
    catalog: Catalog, aid_id: str, posts: int
) -> tuple[list[float], float, float | None]:
    """Start `decisionaid serve`, POST one warm-up and `posts` timed patient's copies;
    returns the seconds of each, the server's mean cpu seconds per POST and its peak
    RSS (MB)."""
    with _serving(catalog, "web", f", 1 + {posts} POSTs") as (base, server):
        peak = TreePeak(server.pid).start()
        body = copy_form(catalog, aid_id)
        url = f"{base}/en/{aid_id}/handout?print=1"
        post_pdf(url, body, base)  # warm-up: the first render loads fonts
        cpu = _tree_cpu(server.pid)
        times = [post_pdf(url, body, base) for _ in range(posts)]
        return times, (_tree_cpu(server.pid) - cpu) / posts, peak.stop()


@contextmanager
def _serving(catalog: Catalog, step: str, detail: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`decisionaid serve` on a free loopback port, answering /healthz; stopped after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*cli(), "serve", "--root", str(catalog.root), "--port", str(port)]
    say(f"  {step}: decisionaid serve on {base}{detail}")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(base + "/healthz", server)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _tree_cpu(pid: int) -> float:
    """User + system seconds of the server and its render workers (they live as long as
    it does, so the difference over a step is that step's work)."""
    return sum(_process_cpu(p) for p in _tree(pid))


def _process_cpu(pid: int) -> float:
    """User + system seconds of a running process, all its threads (from /proc)."""
    fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks if len(fields) > 12 else 0.0


def _wait_for(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"decisionaid serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("decisionaid serve did not answer /healthz within 60 s")


def post_pdf(url: str, body: bytes, origin: str) -> float:
    """One POST as the browser sends it (Host and Origin of the bound address)."""
    host = urllib.parse.urlsplit(origin).netloc
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Host": host,
            "Origin": origin,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        data = response.read()
    seconds = time.perf_counter() - started
    if not data.startswith(b"%PDF"):
        raise RuntimeError(f"POST {urllib.parse.urlsplit(url).path} did not return a PDF")
    return seconds


@dataclass(frozen=True)
class Load:
    """Copies asked for `at_once` at a time: how long each took, and the slowest
    answer to /healthz while they were being made."""

    copies: int
    at_once: int
    seconds: float
    latencies: tuple[float, ...]
    healthz_worst: float
    failures: int

    @property
    def per_second(self) -> float:
        return self.copies / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class Desks:
    """The staff app with its default workers, asked for copies as desks would."""

    base: str
    url: str
    body: bytes
    server: subprocess.Popen
    made: int = 0

    @classmethod
    @contextmanager
    def serving(cls, catalog: Catalog, aid_id: str) -> Iterator[Desks]:
        detail = f" (default --workers: {os.cpu_count()})"
        with _serving(catalog, "desks", detail) as (base, server):
            yield cls(base, f"{base}/en/{aid_id}/handout", copy_form(catalog, aid_id), server)

    def load(self, copies: int, at_once: int) -> Load:
        """`copies` copies, `at_once` at a time, with /healthz asked all along."""
        stop, worst = threading.Event(), [0.0]
        health = threading.Thread(target=self._healthz, args=(stop, worst))
        health.start()
        latencies, failures = [], 0
        started = time.perf_counter()
        with ThreadPoolExecutor(at_once) as pool:
            answers = [pool.submit(post_pdf, self.url, self.body, self.base) for _ in range(copies)]
            for answer in answers:
                try:
                    latencies.append(answer.result())
                except (OSError, RuntimeError):
                    failures += 1
        seconds = time.perf_counter() - started
        stop.set()
        health.join()
        self.made += copies
        return Load(copies, at_once, seconds, tuple(latencies), worst[0], failures)

    def make_until(self, total: int, at_once: int) -> None:
        """Make copies until `total` have been made since the server started."""
        if total > self.made:
            self.load(total - self.made, at_once)

    def resident_mb(self) -> float:
        """Resident memory of the server and its workers, now."""
        return sum(_status_kb(pid, "VmRSS") for pid in _tree(self.server.pid)) / 1024

    def _healthz(self, stop: threading.Event, worst: list[float]) -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=60) as response:
                    response.read()
            except OSError:
                worst[0] = float("inf")
                return
            worst[0] = max(worst[0], time.perf_counter() - started)
            stop.wait(0.25)


def copy_form(catalog: Catalog, aid_id: str) -> bytes:
    """A patient's-copy form as a browser sends it, every option ticked."""
    return urllib.parse.urlencode(
        [
            ("patient", PATIENT),
            ("clinician", "Dr. Benchmark"),
            ("date", CONSULT_DATE),
            ("kind", "handout"),
            *(("options", o) for o in option_ids(catalog, aid_id)),
        ]
    ).encode()
