"""Patients' PDFs are made in worker processes: one that dies or hangs fails only its
own copy and is replaced, and a queue that is too long is refused with "busy".

The tests make a worker's fate certain rather than hope for timing: a worker paused
with SIGSTOP holds the copy it was given for as long as the test likes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import made_up_name
from web_helpers import Served

PATIENT = made_up_name("Rosamund", "Thackery")
BODY = f"patient={PATIENT}&date=2027-03-01&options=surgery&kind=handout".encode()


def post(server: Served, answers: list[tuple[int, bytes]] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + "/en/test-aid/handout", data=BODY)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = (response.status, response.read())
    except urllib.error.HTTPError as error:
        answer = (error.code, error.read())
    if answers is not None:
        answers.append(answer)
    return answer


def in_background(server: Served, answers: list) -> threading.Thread:
    thread = threading.Thread(target=post, args=(server, answers))
    thread.start()
    return thread


def workers(server: Served) -> list[int]:
    """The server's render workers: its children started by multiprocessing's spawn."""
    found = []
    for task in Path(f"/proc/{server.process.pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"multiprocessing.spawn" in command and b"resource_tracker" not in command:
                found.append(int(child))
    return sorted(found)


def warm(server: Served, count: int) -> list[int]:
    """Wait until `count` workers are up and one copy has been made."""
    status, body = post(server)
    assert status == 200, body.decode(errors="replace")[:500]
    for _ in range(300):
        if len(workers(server)) == count:
            return workers(server)
        time.sleep(0.1)
    raise AssertionError(f"expected {count} workers, found {workers(server)}")


def test_a_worker_that_dies_fails_only_its_own_copy_and_is_replaced(root: Path, serve):
    server = serve(root, "--workers", "1")
    (worker,) = warm(server, 1)
    os.kill(worker, signal.SIGSTOP)  # it will hold the next copy it is given
    answers: list[tuple[int, bytes]] = []
    first = in_background(server, answers)
    time.sleep(1)
    second = in_background(server, answers)  # waits for a worker
    time.sleep(1)
    os.kill(worker, signal.SIGKILL)
    first.join(120)
    second.join(120)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 503], statuses
    failed = next(body for status, body in answers if status == 503).decode()
    assert "the part of the app that makes PDFs stopped" in failed
    assert PATIENT in failed  # the form again, with what was typed (no-store)
    replaced = workers(server)
    assert len(replaced) == 1 and replaced != [worker]
    assert post(server)[0] == 200
    assert "Traceback" not in server.stop()


def test_a_copy_that_takes_too_long_is_stopped(root: Path, serve):
    # The limit leaves a new worker's first copy room on a busy machine.
    server = serve(root, "--workers", "1", "--render-timeout", "45")
    (worker,) = warm(server, 1)
    os.kill(worker, signal.SIGSTOP)
    status, body = post(server)
    assert status == 503 and "took too long" in body.decode()
    for _ in range(100):  # the stuck worker is gone, a new one takes its place
        if not Path(f"/proc/{worker}").exists() and len(workers(server)) == 1:
            break
        time.sleep(0.1)
    assert worker not in workers(server) and len(workers(server)) == 1
    assert post(server)[0] == 200


def test_too_many_waiting_is_busy_not_a_queue_without_end(root: Path, serve):
    server = serve(root, "--workers", "1", "--max-waiting", "1")
    (worker,) = warm(server, 1)
    os.kill(worker, signal.SIGSTOP)
    answers: list[tuple[int, bytes]] = []
    held = in_background(server, answers)  # given to the paused worker
    time.sleep(1)
    waiting = in_background(server, answers)  # the one allowed to wait
    time.sleep(1)
    status, body = post(server)
    assert status == 503 and "busy" in body.decode()
    assert server.get("/healthz") == "ok"
    os.kill(worker, signal.SIGCONT)
    held.join(120)
    waiting.join(120)
    assert sorted(s for s, _ in answers) == [200, 200]


def test_patient_data_reaches_a_worker_only_in_the_call(root: Path, serve):
    server = serve(root, "--workers", "2")
    pids = warm(server, 2)
    for pid in pids:
        for part in ("cmdline", "environ"):
            assert PATIENT.encode() not in Path(f"/proc/{pid}/{part}").read_bytes()
    assert PATIENT not in server.stop()


@pytest.mark.parametrize("workers_asked", ["0", "x"])
def test_workers_must_be_a_positive_number(root: Path, workers_asked: str):
    command = [sys.executable, "-m", "decisionaid", "serve", "--root", str(root)]
    result = subprocess.run(
        [*command, "--workers", workers_asked], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "--workers" in result.stderr


def test_a_worker_is_replaced_after_its_share_of_copies(root: Path, serve):
    """Memory stays what it was on day one: after `--recycle-after` copies a worker makes
    way for a fresh one, and the copies go on."""
    server = serve(root, "--workers", "1", "--recycle-after", "2")
    (first,) = warm(server, 1)  # its first copy
    assert post(server)[0] == 200  # its second: then it retires
    for _ in range(300):
        if first not in workers(server) and len(workers(server)) == 1:
            break
        time.sleep(0.1)
    (second,) = workers(server)
    assert second != first and not Path(f"/proc/{first}").exists()
    assert post(server)[0] == 200  # made by the fresh worker
    assert workers(server) == [second]
    assert "Traceback" not in server.stop()


def test_a_worker_checks_an_aid_once_per_generation_and_way_of_making_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
):
    """Nothing about the patient changes the checks: a worker's second copy of an aid,
    made the same way, uses the check of its first, and is the copy a fresh check makes.
    Another print size, or changed files (a new generation), is checked anew. (HTML
    copies: what is counted is the check, not the PDF.)"""
    import datetime as dt

    from decisionaid.handout.consult import Consult
    from decisionaid.pipeline import core
    from decisionaid.settings import BuildOptions
    from decisionaid.web.renderer import CopyJob, _WorkerState

    checks: list[Path] = []
    check_result = core.check_result

    def counted(loaded, ctx):  # the real check, counted
        checks.append(loaded.path)
        return check_result(loaded, ctx)

    monkeypatch.setattr(core, "check_result", counted)
    monkeypatch.setattr("decisionaid.web.renderer.check_result", counted)  # its own name
    path = root / "aids" / "test-aid.yaml"
    options = BuildOptions(formats=("html",), today=dt.date(2027, 3, 1))
    worker = _WorkerState(root)

    def copy(generation: int, consult: Consult, **changed) -> bytes | None:
        job = CopyJob(path, generation, replace(options, **changed), consult)
        return worker.make(job).data

    first = copy(1, Consult(PATIENT, options=("surgery",)))
    other = copy(1, Consult("Another Patient", options=("surgery", "wait")))
    assert len(checks) == 1 and first and other and PATIENT.encode() in first
    ctx = core.Context.open(root, options)
    fresh = core.make_copy(ctx.content.load(path), ctx, Consult(PATIENT, options=("surgery",)))
    assert len(checks) == 2 and fresh.files["copy"] == first
    copy(1, Consult(PATIENT), large_print=True)
    assert len(checks) == 3
    copy(2, Consult(PATIENT))
    assert len(checks) == 4


def test_no_waiting_still_makes_a_copy_with_an_idle_worker(root: Path, serve):
    """`--max-waiting 0` (allowed by its range): no copy waits, but one that finds an
    idle worker is made (it answered every copy 503 "busy", issue 29)."""
    server = serve(root, "--workers", "1", "--max-waiting", "0")
    for _ in range(240):  # "busy" only until the worker is warm and idle (it was for ever)
        status, body = post(server)
        if status == 200:
            break
        assert b"busy" in body
        time.sleep(0.5)
    assert status == 200 and body.startswith(b"%PDF")
