"""Timed subprocesses: wall time, cpu time of the whole tree, and its peak memory."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ....scripts.bench.config import GNU_TIME, STEP_TIMEOUT


@dataclass(frozen=True)
class Run:
    """One timed subprocess."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    rss_mb: float | None  # the largest process of its tree
    cpu: float  # user + system seconds of the whole tree (workers included)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def built(self) -> tuple[int | None, int | None]:
        """(built, unchanged) from the build's summary line, None where not said."""
        text = self.stdout + self.stderr
        built = re.search(r"Built (\d+)", text)
        unchanged = re.search(r"(\d+) unchanged", text)
        return (
            int(built.group(1)) if built else None,
            int(unchanged.group(1)) if unchanged else None,
        )

    def why(self) -> str:
        """The failure in one line (the tool's own message, never a traceback)."""
        lines = [line for line in (self.stderr or self.stdout).splitlines() if line.strip()]
        return f"exit {self.returncode}: {lines[-1][:160] if lines else 'no output'}"


def cli() -> list[str]:
    """The command line as a user runs it (this interpreter's installed package)."""
    return [sys.executable, "-m", "decisionaid"]


def _run_text(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout + done.stderr


def timed(command: Sequence[str], *, stdout_bytes: bool = False) -> Run:
    """Run `command` to completion in a fresh process; wall time and peak RSS.

    GNU time reports the largest process of the tree it waited for (workers included);
    without it, /proc is polled instead.
    """
    command = list(command)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        wrapped = (
            [str(GNU_TIME), "-f", "%M", "-o", rss_file.name, *command]
            if GNU_TIME.exists()
            else command
        )
        cpu_before = _children_cpu()
        started = time.perf_counter()
        process = subprocess.Popen(
            wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        poller = None if GNU_TIME.exists() else TreePeak(process.pid).start()
        out, err = process.communicate(timeout=STEP_TIMEOUT)
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        rss = _gnu_time_mb(Path(rss_file.name)) if poller is None else poller.stop()
    stdout = "" if stdout_bytes else out.decode("utf-8", "replace")
    return Run(seconds, process.returncode, stdout, err.decode("utf-8", "replace"), rss, cpu)


def _children_cpu() -> float:
    """CPU seconds of every finished child process so far, and their own children.
    Under load, CPU time moves much less than wall time: the table shows both."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _gnu_time_mb(path: Path) -> float | None:
    numbers = re.findall(r"^(\d+)$", path.read_text(), re.MULTILINE)
    return int(numbers[-1]) / 1024 if numbers else None


class TreePeak:
    """Polls VmHWM of a process and its descendants (when GNU time is missing, and for
    the web server, whose pid we need)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def start(self) -> TreePeak:
        self._thread.start()
        return self

    def stop(self) -> float | None:
        self.sample()
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024 if self.peak_kb else None

    def sample(self) -> None:
        for pid in _tree(self.pid):
            self.peak_kb = max(self.peak_kb, _status_kb(pid, "VmHWM"))

    def _poll(self) -> None:
        while not self._done.wait(0.05):
            self.sample()


def _tree(pid: int) -> list[int]:
    """The process and its descendants now (any of them may exit while we look)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            threads = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for thread in threads:
            todo += [int(p) for p in _read(f"/proc/{current}/task/{thread}/children").split()]
    return pids


def _status_kb(pid: int, field_name: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _load() -> str:
    """The 1-minute load average: on a shared machine other work skews wall times."""
    return _read("/proc/loadavg").split(" ")[0] or "unknown"
