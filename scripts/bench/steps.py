"""The steps of one benchmark: builds, the floor, rebuilds, copies, the reference, scale."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import urllib.error
from pathlib import Path

from ....scripts.bench.catalog import edit_aid, edit_glossary_term, make_catalog, terms_in_use
from ....scripts.bench.config import CHROMIUM, CONSULT_DATE, PATIENT, SCRIPT
from ....scripts.bench.model import Catalog, Features, Results, Row, Settings
from ....scripts.bench.procs import Run, cli, say, timed
from ....scripts.bench.report import machine
from ....scripts.bench.web import Desks, serve_and_post


class Bench:
    """Runs the steps of one benchmark and collects their rows."""

    def __init__(self, work: Path, settings: Settings, features: Features) -> None:
        self.work = work
        self.settings = settings
        self.features = features
        self.results = Results(settings, features, machine())
        self.floor_per_document: dict[str, float] = {}  # language/file name → seconds

    # -- helpers

    def build(self, catalog: Catalog, out: str, *args: str, step: str) -> Run:
        target = self.work / out
        command = [*cli(), "build", *args, "--root", str(catalog.root), "--out", str(target)]
        say(f"  {step}: decisionaid {' '.join(command[3:])}")
        run = timed(command)
        self.note_rss(step, run.rss_mb)
        if run.ok:
            say(f"    {run.seconds:.1f} s (cpu {run.cpu:.1f} s), built/unchanged {run.built()}")
        else:
            say(f"    failed: {run.why()}")
        return run

    def cold(self, catalog: Catalog, out: str, *args: str, step: str) -> Run:
        """The median of `repeats` builds, each into a fresh OUT."""
        runs = []
        for number in range(self.settings.repeats):
            target = self.work / out
            if number:
                shutil.rmtree(target, ignore_errors=True)
            runs.append(self.build(catalog, out, *args, step=step))
            if not runs[-1].ok:
                return runs[-1]
        return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]

    def note_rss(self, step: str, mb: float | None) -> None:
        if mb is not None:
            self.results.rss[step] = max(mb, self.results.rss.get(step, 0.0))

    def add(self, row: Row) -> Row:
        self.results.rows.append(row)
        return row

    def add_run(self, key: str, label: str, run: Run, note: str) -> None:
        if run.ok:
            self.add(Row(key, label, run.seconds, cpu=run.cpu, note=note))
        else:
            self.add(Row(key, label, status="n/a (failed)", note=run.why()))

    # -- the cold builds and the floor

    def cold_builds(self, catalog: Catalog) -> None:
        label = "cold build --jobs 1"
        if self.features.jobs:
            run = self.cold(catalog, "out-jobs1", "--jobs", "1", step="cold-jobs1")
            self.add_run("cold-jobs1", label, run, _counts(run))
        else:
            self.add(Row("cold-jobs1", label, status="n/a (needs --jobs)"))
        jobs = f"default jobs, {os.cpu_count()} cores" if self.features.jobs else "no --jobs yet"
        run = self.cold(catalog, "out", step="cold")
        self.add_run("cold", f"cold build ({jobs})", run, _counts(run))

    def floor(self, catalog: Catalog) -> None:
        """WeasyPrint alone, warm, on the final HTML the cold build turned into PDF."""
        out = self.work / "out"
        say("  floor: one warm WeasyPrint process, the same final HTML")
        command = [sys.executable, str(SCRIPT), "_floor", str(catalog.root), str(out)]
        runs = [timed(command) for _ in range(self.settings.repeats)]
        for run in runs:
            self.note_rss("floor", run.rss_mb)
        failed = next((r for r in runs if not r.ok), None)
        if failed is not None:
            self.add(Row("floor", "floor", status="n/a (failed)", note=failed.why()))
            return
        found = sorted((json.loads(r.stdout) for r in runs), key=lambda d: d["seconds"])
        data = found[len(found) // 2]
        self.floor_per_document = data["per_document"]
        say(f"    {data['seconds']:.1f} s (cpu {data['cpu']:.1f} s), {data['documents']} documents")
        note = (
            f"{data['documents']} documents ({data['pages']} pages): each handout and "
            f"summary .html; import {data['import']:.1f} s and warm-up not counted"
        )
        row = Row("floor", "floor: WeasyPrint alone, warm", data["seconds"], cpu=data["cpu"])
        row.note = note
        self.results.rows.insert(0, row)

    # -- incremental rebuilds

    def noop(self, catalog: Catalog) -> None:
        run = self.build(catalog, "out", step="noop")
        self.add_run("noop", "no-op rebuild", run, _rebuilt(run, catalog.n, 0))

    def edit_one_aid(self, catalog: Catalog, aid_id: str) -> None:
        edit_aid(catalog, aid_id)
        # Its translations are made again too: they are checked against it.
        expected = 1 + len(list((catalog.root / "aids").glob(f"{aid_id}.*.yaml")))
        run = self.build(catalog, "out", step="edit-aid")
        label = "one aid edited" + (" (and its translations)" if expected > 1 else "")
        self.add_run("edit-aid", label, run, _rebuilt(run, catalog.n, expected))
        alone = self.build(catalog, "out-alone", aid_id, step="alone")
        label = f"that aid alone ({aid_id}{', with its translations' if expected > 1 else ''})"
        self.add_run("alone", f"{label}, fresh OUT", alone, _counts(alone))

    def edit_glossary(self, catalog: Catalog) -> None:
        edited = edit_glossary_term(catalog, terms_in_use(self.work / "out"))
        if edited is None:
            self.add(Row("edit-glossary", "one glossary term edited", status="n/a (no term)"))
            return
        term, users = edited
        run = self.build(catalog, "out", step="edit-glossary")
        self.add_run(
            "edit-glossary", f"glossary term '{term}' edited", run, _rebuilt(run, catalog.n, users)
        )
        row = self.results.row("edit-glossary")
        if row is not None and run.ok:
            row.target = f"rebuilds only its {users} aids"
            row.status = "met" if run.built()[0] == users else "missed"

    # -- one patient's copy

    def weasy_copy(self, catalog: Catalog, aid_id: str) -> None:
        """WeasyPrint's own time for the personalised HTML the app renders (median)."""
        repeats = str(self.settings.weasy_repeats)
        say("  weasy-copy: WeasyPrint alone on the personalised HTML")
        command = [sys.executable, str(SCRIPT), "_weasy_copy", str(catalog.root), aid_id, repeats]
        run = timed(command)
        self.note_rss("weasy-copy", run.rss_mb)
        label = "WeasyPrint alone, that HTML (warm)"
        if not run.ok:
            self.add(Row("weasy-copy", label, status="n/a (failed)", note=run.why()))
            return
        data = json.loads(run.stdout)
        note = f"median of {data['repeats']}; {data['pages']} pages"
        self.add(Row("weasy-copy", label, data["median"], cpu=data["cpu"], note=note))

    def glossary(self, catalog: Catalog, aid_id: str) -> None:
        """One handout's HTML with the examples' glossary, then with 1,000 entries of 20
        aliases each: linking must not grow with the glossary (issue 19: 16 s, not 1 s)."""
        say("  glossary: one handout's HTML, the examples' glossary and 1,000 × 20 aliases")
        run = timed([sys.executable, str(SCRIPT), "_glossary", str(catalog.root), aid_id])
        if not run.ok:
            self.add(Row("glossary", "1,000-entry glossary", status="n/a (failed)", note=run.why()))
            return
        data = json.loads(run.stdout)
        small, large = data["examples"], data["large"]
        note = f"best of {data['repeats']}, {aid_id}; HTML only, glossary parsed beforehand"
        self.add(
            Row(
                "glossary-examples",
                "one handout's HTML, examples' glossary",
                small["render"],
                cpu=small["cpu"],
                note=note,
            )
        )
        parse = f"parsing that glossary ({large['bytes'] // 1024} kB): {large['parse']:.1f} s"
        self.add(
            Row(
                "glossary",
                "… with 1,000 glossary entries × 20 aliases",
                large["render"],
                cpu=large["cpu"],
                note=f"{note}; {parse}, once per build or change",
            )
        )

    def web(self, catalog: Catalog, aid_id: str) -> None:
        label = f"web app personalised PDF ({aid_id})"
        try:
            times, cpu, rss = serve_and_post(catalog, aid_id, self.settings.web_posts)
        except (OSError, RuntimeError, urllib.error.URLError) as exc:
            self.add(Row("web", label, status="n/a (failed)", note=str(exc)[:200]))
            return
        self.note_rss("web", rss)
        median = statistics.median(times)
        say(f"    median {median:.2f} s of {len(times)}")
        spread = f"min {min(times):.2f}, max {max(times):.2f}"
        note = f"median of {len(times)} POSTs; {spread}; cpu: the server's and its workers' mean"
        self.add(Row("web", label, median, cpu=cpu, note=note))

    def desks(self, catalog: Catalog, aid_id: str) -> None:
        """Many desks at once: copies one at a time, then `desks` at once, against the
        app with its default workers; /healthz asked throughout; memory after
        `memory_after` copies."""
        s = self.settings
        first, last = s.memory_after
        try:
            with Desks.serving(catalog, aid_id) as desks:
                desks.load(s.desks, s.desks)  # every worker warm and used once
                alone = desks.load(s.alone_copies, 1)
                say(f"    one at a time: {alone.per_second:.2f} copies/s")
                together = desks.load(s.desk_copies, s.desks)
                say(f"    {s.desks} at once: {together.per_second:.2f} copies/s")
                desks.make_until(first, s.desks)
                early = desks.resident_mb()
                desks.make_until(last, s.desks)
                late = desks.resident_mb()
                say(f"    memory {early:.0f} MB after {first}, {late:.0f} MB after {last}")
        except (OSError, RuntimeError) as exc:
            self.add(Row("desks", "many desks at once", status="n/a (failed)", note=str(exc)[:200]))
            return
        failed = alone.failures + together.failures
        self.add(
            Row(
                "desks-alone",
                f"copies of {aid_id}, one at a time",
                alone.seconds / max(alone.copies, 1),
                note=f"wall: seconds per copy; {alone.per_second:.2f} copies/s, p95 "
                f"{alone.p95:.2f} s, {alone.copies} copies",
            )
        )
        row = Row(
            "desks",
            f"{s.desks} desks at once ({os.cpu_count()} cores, default --workers)",
            together.seconds / max(together.copies, 1),
            note=f"wall: seconds per copy; {together.per_second:.2f} copies/s, p50 "
            f"{together.p50:.2f} s, p95 {together.p95:.2f} s, {together.copies} copies, "
            f"{failed} failed",
        )
        if alone.per_second:
            row.ratio, row.against = together.per_second / alone.per_second, "one at a time"
        self.add(row)
        self.add(
            Row(
                "healthz",
                "/healthz under that load, slowest answer",
                together.healthz_worst,
                note=f"asked every 0.25 s while {s.desks} copies at a time were made",
            )
        )
        memory = Row(
            "desks-memory",
            f"app memory after {last} copies",
            late,
            unit="MB",
            note=f"server and workers, resident; {early:.0f} MB after {first} copies",
        )
        if early:
            memory.ratio, memory.against = late / early, f"after {first}"
        self.add(memory)

    def cli_handout(self, catalog: Catalog, aid_id: str) -> None:
        command = [*cli(), "handout", aid_id, "--root", str(catalog.root)]
        # -o -: the PDF goes to a pipe that is thrown away, so no file holds the name.
        command += ["--patient", PATIENT, "--date", CONSULT_DATE, "-o", "-"]
        repeats = self.settings.cli_repeats
        say(f"  cli-handout: decisionaid handout {aid_id} --patient ... -o - (x{repeats})")
        runs = [timed(command, stdout_bytes=True) for _ in range(repeats)]
        for run in runs:
            self.note_rss("cli-handout", run.rss_mb)
        label = "CLI personalised PDF (decisionaid handout)"
        failed = next((r for r in runs if not r.ok), None)
        if failed is not None:
            self.add(Row("cli-handout", label, status="n/a (failed)", note=failed.why()))
            return
        median = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
        self.add_run("cli-handout", label, median, f"median of {len(runs)}, a fresh process each")

    # -- reference and scale

    def chromium(self, catalog: Catalog) -> None:
        """Debian's Chromium printing the distinct documents (one copy of each example);
        compared with the floor's time for those same documents."""
        label = "reference: headless Chromium"
        if not self.settings.chromium or not CHROMIUM.exists():
            self.add(Row("chromium", label, status="n/a (skipped or no /usr/bin/chromium)"))
            return
        firsts = {i for i in catalog.ids if i.endswith("-000")}
        pages = [p for p in final_html(self.work / "out") if p.name.split(".")[0] in firsts]
        if not pages:
            self.add(Row("chromium", label, status="n/a (no HTML built)"))
            return
        say(f"  chromium: --print-to-pdf of {len(pages)} documents, a process each")
        pdf_dir = self.work / "chromium"
        pdf_dir.mkdir(exist_ok=True)
        blank, _ = print_with_chromium("about:blank", pdf_dir / "blank.pdf", self.work)
        runs = [print_with_chromium(p.as_uri(), pdf_dir / p.name, self.work) for p in pages]
        total, cpu = sum(r[0] for r in runs), sum(r[1] for r in runs)
        weasy = sum(self.floor_per_document.get(document_key(p), 0.0) for p in pages)
        net = max(total - blank * len(pages), 0.0)
        row = Row("chromium", f"{label}, {len(pages)} distinct documents", total, cpu=cpu)
        row.note = (
            f"{blank:.1f} s of each is starting Chromium ({net:.1f} s without; cpu may miss "
            "its helper processes); "
            f"WeasyPrint (floor) took {weasy:.1f} s for these"
        )
        if weasy:
            row.ratio, row.against = total / weasy, "WeasyPrint"
        self.add(row)

    def linearity(self, n: int) -> None:
        label = f"cold build of 4N = {4 * n} aids"
        if not self.settings.linearity:
            self.add(Row("linear", label, status="n/a (skipped)"))
            return
        big = make_catalog(self.work / "root-4n", 4 * n)
        run = self.build(big, "out-4n", step="linear")
        self.add_run("linear", label, run, _counts(run))


def _counts(run: Run) -> str:
    built, unchanged = run.built()
    return f"built {built}" + (f", {unchanged} unchanged" if unchanged is not None else "")


def _rebuilt(run: Run, n: int, expected: int) -> str:
    built, _ = run.built()
    return f"rebuilt {built if built is not None else '?'} of {n} (expected {expected})"


def document_key(page: Path) -> str:
    """A built document by language folder and name (a translation shares the name)."""
    return f"{page.parent.name}/{page.name}"


def final_html(out: Path) -> list[Path]:
    """The HTML documents a build turned into PDF: each handout and each summary."""
    pages = [
        p
        for p in sorted(out.glob("*/*.html"))
        if p.name.endswith(".summary.html") or p.name.count(".") == 1
    ]
    return [p for p in pages if p.with_suffix(".pdf").exists() or p.name.endswith("summary.html")]


def print_with_chromium(url: str, target: Path, work: Path) -> tuple[float, float]:
    profile = work / "chromium-profile"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={target}",
        url,
    ]
    run = timed(command)
    return run.seconds, run.cpu
