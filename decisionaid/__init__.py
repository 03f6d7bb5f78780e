"""DecisionAid: patient decision aids (web page and print-ready PDF) from structured content.

Start at `pipeline/core.py`: `make_aid` checks one aid and makes its handout in memory
(`make_copy` a patient's copy; `pipeline/notes.py` the chart note).
The layers, each a folder, low to high; no import goes up (`lint-imports`, pyproject.toml):
`content/` (read, model, validate, the patient's texts) ← `output/` (pdf, fonts, inputs,
files) ← `approval/` (fingerprint, store, state, edit, diff) ← `handout/` (figures,
enrich, render) ← `quality/` (the checks) ← `pipeline/` (core, notes, status) ←
`publish/` (plan, build, worker, merge, index) and `web/` (the staff app) ← `cli/`.
Below them all: `problems.py` (what went wrong, where) and `settings.py` (the typed
settings).
"""

__version__ = "0.1.0"
