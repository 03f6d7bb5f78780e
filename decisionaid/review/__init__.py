"""Approval of an exact version, and the review cycle.

Low in the layers (content ← review ← handout): fingerprint.py (what a handout is made
from, as one digest), store.py (the approval history under `approvals/`), state.py
(draft, approved, changed since approval), edit.py (status and approved_by set in the
aid file, its comments and layout kept), diff.py (what changed since approval, in
words). At the top, beside cli/: status.py (every aid's state and review date) and
commands.py (`approve`, `diff`, `status`), which use the pipeline.
"""
