"""Approval of an exact version: what a handout is made from as one digest
(fingerprint.py), the approval history under `approvals/` (store.py), the state an aid
is in (state.py: draft, approved, changed since approval), the aid file's `status` and
`approved_by` set with its comments kept (edit.py), and what changed since approval, in
words (diff.py).

Low in the layers (content ← output ← approval ← handout): the handout prints the
state, the check judges it. The commands (`approve`, `diff`, `status`) are in
cli/review.py, the review cycle's report in pipeline/status.py.
"""
