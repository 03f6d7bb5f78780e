"""Judging the rows against their targets, the projection, and the table in docs/performance.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
from collections.abc import Sequence
from dataclasses import asdict

from ....scripts.bench.config import AT_LEAST, CHROMIUM, DOC, END, REPO, START, TARGETS
from ....scripts.bench.model import Features, Results, Row
from ....scripts.bench.procs import _load, _read, _run_text, say


def judge(results: Results) -> None:
    """Ratios against their targets, met or missed."""
    row = results.row
    _ratio(row("cold-jobs1"), row("floor"), "floor")
    _ratio(row("cold"), row("floor"), "floor")
    _ratio(row("noop"), row("cold"), "cold")
    _ratio(row("edit-aid"), row("alone"), "alone")
    _ratio(row("web"), row("weasy-copy"), "WeasyPrint")
    _ratio(row("linear"), row("cold"), "N")
    _ratio(row("glossary"), row("glossary-examples"), "the examples' glossary")
    for key, (limit, words) in TARGETS.items():
        found = results.row(key)
        if found is not None and not found.status.startswith("n/a"):
            found.target = words
            if key in BY_RATIO:
                found.status = _status(found.ratio, lambda v, limit=limit: v <= limit)
            elif key in BY_VALUE:
                found.status = _status(found.seconds, lambda v, limit=limit: v <= limit)
            else:
                found.judge(limit)
    for key, (limit, words) in AT_LEAST.items():
        found = results.row(key)
        if found is not None and not found.status.startswith("n/a"):
            found.target = words
            found.status = _status(found.ratio, lambda v, limit=limit: v >= limit)
    if "noop" in TARGETS and not results.features.force:
        found = results.row("noop")
        if found is not None:
            found.note += "; no --force flag yet: builds are not incremental"


BY_RATIO = {"desks-memory"}  # judged by their ratio though their value is not seconds
BY_VALUE = {"healthz"}  # judged by the seconds themselves


def _status(value: float | None, met) -> str:
    if value is None:
        return "info"
    return "met" if met(value) else "missed"


def _ratio(row: Row | None, base: Row | None, against: str) -> None:
    if row is None or base is None or row.seconds is None or not base.seconds:
        return
    row.ratio = row.seconds / base.seconds
    row.against = against
    if row.cpu is not None and base.cpu:
        row.cpu_ratio = row.cpu / base.cpu


def rss_row(results: Results) -> Row:
    if not results.rss:
        return Row("rss", "peak RSS, largest process", status="n/a (not measured)", unit="MB")
    step, mb = max(results.rss.items(), key=lambda item: item[1])
    others = ", ".join(f"{k} {v:.0f}" for k, v in sorted(results.rss.items()))
    limit, words = TARGETS["rss"]
    note = f"in {step}; all: {others}"
    return Row("rss", "peak RSS, largest process", mb, target=words, note=note, unit="MB").judge(
        limit
    )


def project(results: Results, n: int, runners: Sequence[int]) -> list[Row]:
    """50,000 aid builds (5,000 aids × 10 languages) from the measured cost per aid:
    wall hours, and cpu hours (what CI bills; steadier when the machine was busy)."""
    cold, big, noop = results.row("cold"), results.row("linear"), results.row("noop")
    if cold is None or cold.seconds is None:
        return [Row("projection", "projection", status="n/a (no cold build)")]
    wall, basis = _per_aid(cold.seconds, big.seconds if big else None, n)
    cpu, _ = _per_aid(cold.cpu or 0.0, big.cpu if big else None, n)
    fixed = max(cold.seconds - wall * n, 0.0)
    total = 5000 * 10
    rows = [
        Row(
            "projection-1",
            "5,000 aids × 10 languages, this machine",
            fixed + wall * total,
            cpu=cpu * total,
            note=f"{basis}; fixed {fixed:.1f} s" if fixed else basis,
            unit="h",
        )
    ]
    merge = _merge_note(noop, n, total, results.features)
    for k in runners:
        label = f"… on {k} CI runners like this one"
        note = f"{total // k:,} aids each, then the merge: {merge}"
        rows.append(
            Row(f"projection-{k}", label, fixed + wall * total / k, cpu * total / k, note=note)
        )
        rows[-1].unit = "h"
    return rows


def _per_aid(n_seconds: float, big_seconds: float | None, n: int) -> tuple[float, str]:
    """The marginal cost of one aid: start-up and the index cancel out between N and 4N."""
    if big_seconds is not None and big_seconds > n_seconds:
        per_aid = (big_seconds - n_seconds) / (3 * n)
        return per_aid, f"marginal {per_aid:.2f} s/aid from N={n} and 4N={4 * n}"
    per_aid = n_seconds / n
    return per_aid, f"{per_aid:.2f} s/aid from N={n} (no 4N build)"


def _merge_note(noop: Row | None, n: int, total: int, features: Features) -> str:
    if noop is None or noop.seconds is None:
        return "not measured"
    hours = noop.seconds / n * total / 3600
    if not features.force:  # no incremental builds yet: the "no-op" rendered everything
        return f"today a full build on one machine ({hours:.1f} h); see the TODO below"
    return f"≈ {hours:.1f} h (the no-op rate over all {total:,} aids) plus copying the files"


# ------------------------------------------------------------------ the report


def machine() -> dict[str, str]:
    cpu = re.search(r"^model name\s*:\s*(.*)$", _read("/proc/cpuinfo"), re.MULTILINE)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.MULTILINE)
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cores": str(os.cpu_count()),
        "cpu": cpu.group(1).strip() if cpu else platform.processor() or "unknown",
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "unknown",
        "python": platform.python_version(),
        "weasyprint": _version("weasyprint"),
        "decisionaid": _version("decisionaid"),
        "commit": _run_text(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]).strip(),
        "chromium": _chromium_version(),
        "load": _load(),  # at the start
    }


def _chromium_version() -> str:
    if not CHROMIUM.exists():
        return "no Chromium"
    found = re.search(r"Chromium [\d.]+", _run_text([str(CHROMIUM), "--version"]))
    return found.group(0) if found else "Chromium (version unknown)"


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _cell_value(row: Row) -> str:
    if row.seconds is None:
        return "—"
    if row.unit == "MB":
        return f"{row.seconds:.0f} MB"
    if row.unit == "h":
        return f"{row.seconds / 3600:.1f} h"
    return f"{row.seconds:.2f} s"


def _cell_cpu(row: Row) -> str:
    if row.cpu is None:
        return ""
    return f"{row.cpu / 3600:.1f} h" if row.unit == "h" else f"{row.cpu:.1f} s"


def _cell_ratio(row: Row) -> str:
    if row.ratio is None:
        return ""
    cpu = f" (cpu {row.cpu_ratio:.2f})" if row.cpu_ratio is not None else ""
    if row.key == "noop":
        return f"{row.ratio:.1%} of {row.against}{cpu}"
    return f"{row.ratio:.2f} × {row.against}{cpu}"


def table_lines(rows: list[Row], markdown: bool) -> list[str]:
    header = ["measure", "wall", "cpu", "ratio", "target", "result", "note"]
    cells = [
        [r.label, _cell_value(r), _cell_cpu(r), _cell_ratio(r), r.target, r.status, r.note]
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + [
            "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells
        ]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(6)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row[:6], widths, strict=True)) + "  " + row[6]
        for row in [header, *cells]
    ]


def describe(results: Results) -> list[str]:
    m, s = results.machine, results.settings
    return [
        f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), {m['memory']} memory; "
        f"Python {m['python']}, WeasyPrint {m['weasyprint']}, decisionaid {m['decisionaid']} "
        f"(commit {m['commit']}), {m['chromium']}.",
        f"Synthetic catalog: N = {s.n} aid files copied from every example file, "
        "translations included "
        f"(4N = {4 * s.n} for the linearity row); cold builds and floor the median of "
        f"{s.repeats}; {results.seconds / 60:.1f} min in all. Flags found: --jobs "
        f"{_yes(results.features.jobs)}, --force {_yes(results.features.force)}, --language "
        f"{_yes(results.features.language)}.",
        f"Load average (1 min) {m['load']} at the start, {results.load_end} at the end"
        + (
            ": other work shared the cores, so wall times (and the ratios) are less sure "
            "than the cpu column."
            if _busy(m["load"], results.load_end)
            else "."
        ),
    ]


def _busy(*loads: str) -> bool:
    """Busy: more than half a core's worth of load from others (we use one or all)."""
    try:
        return max(float(load) for load in loads) > 1.5
    except ValueError:
        return False


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def markdown_block(results: Results) -> str:
    lines = [START, "", *describe(results), ""]
    lines += table_lines(results.rows, markdown=True)
    lines += ["", "Projection (from the rows above):", ""]
    lines += table_lines(results.projection, markdown=True)
    return "\n".join([*lines, "", END])


def write_doc(results: Results) -> bool:
    """Replace the block between the markers in docs/performance.md."""
    if not DOC.is_file():
        say(f"{DOC}: missing; not written")
        return False
    text = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        say(f"{DOC}: no {START} … {END} markers; not written")
        return False
    DOC.write_text(pattern.sub(lambda _: markdown_block(results), text, count=1), "utf-8")
    return True


def as_json(results: Results) -> str:
    data = {
        "machine": results.machine,
        "settings": asdict(results.settings),
        "features": asdict(results.features),
        "rows": [asdict(r) for r in results.rows],
        "projection": [asdict(r) for r in results.projection],
        "rss_mb": results.rss,
        "seconds": results.seconds,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
