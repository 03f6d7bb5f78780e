"""DecisionAid: patient decision aids (web page and print-ready PDF) from structured content.

Start at `pipeline.py`: `make_aid` checks one aid and makes its handout in memory
(`make_copy` a patient's copy; `notes.py` the chart note).
The layers, each a folder: `content/` (load, models, validate, glossary) → `handout/`
(risk, icons, texts, enrich, render) → `quality/` (the checks and what blocks a
build) → `publish/` (pdf, output, build, manifest, index), `review/` (approval of an
exact version) and `web/` (the staff app).
`cli/` is the command line; `settings.py` the typed settings.
"""

__version__ = "0.1.0"
