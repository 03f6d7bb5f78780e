"""Where things are, what the patient is called, and the targets the rows are judged by."""

from __future__ import annotations

from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmark.py"  # workers run through it
REPO = SCRIPT.parent.parent
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
CHROMIUM = Path("/usr/bin/chromium")
GNU_TIME = Path("/usr/bin/time")
# Made up; it travels only in POST bodies and CLI arguments, and every PDF it goes
# into is discarded unread (-o - to a pipe, a response body).
PATIENT = "Benchmark Example-Patient"
CONSULT_DATE = "2027-03-01"
SITES = ("", " at the North clinic", " (day surgery)", " at the Riverside clinic")
STEP_TIMEOUT = 1800  # seconds; a hung step must not hang the whole run
TARGETS = {  # key: (limit, words) — the issues' targets on this 2-core machine
    "cold-jobs1": (1.15, "≤ 1.15 × floor"),
    "cold": (0.70, "≤ 0.70 × floor"),
    "noop": (0.03, "≤ 3% of cold"),
    "edit-aid": (2.0, "≤ 2 × that aid alone"),
    "web": (1.3, "≤ 1.3 × WeasyPrint"),
    "linear": (4.4, "≤ 4.4 × N"),
    "rss": (400.0, "≤ 400 MB"),
    "glossary": (1.5, "≤ 1.5 × with the examples' glossary"),
    "desks-memory": (1.2, "≤ 1.2 × after the first copies"),
    "healthz": (1.0, "≤ 1 s"),
}
AT_LEAST = {  # key: (limit, words) — rows where more is better
    "desks": (1.8, "≥ 1.8 × one at a time"),
}
PROFILE_STEPS = (
    "floor",
    "cold-jobs1",
    "cold",
    "noop",
    "edit-aid",
    "edit-glossary",
    "alone",
    "cli-handout",
    "web-copy",
)
