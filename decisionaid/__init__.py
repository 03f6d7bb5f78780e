"""DecisionAid: patient decision aids (web page and print-ready PDF) from structured content.

The data flow, one module each: `load` (YAML with line numbers) → `validate`
(models and rules) → `handout` (Markdown, glossary, risk figures, icon arrays) →
`render` (Jinja) → `pdf` (WeasyPrint) → `output` (atomic writes). `builder` runs
it for a content root and `cli` is the command line.
"""

__version__ = "0.1.0"
