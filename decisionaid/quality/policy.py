"""What stops an aid from being built, or handed to a patient, beside the rules it applies.

An approved aid goes to patients: every check error blocks its build. A draft prints
the draft mark on every page, so only the errors that make it no decision aid at all
block its build (its authors need to see it); its other errors stay on its quality
page and in the summary line. A copy for a patient (the web app, `handout`, `note`)
is stricter: any check error refuses it, draft or not.
"""

from __future__ import annotations

from ..content.models import Aid
from ..problems import Problem
from .check import AidCheck

# Check errors that stop even a draft from being built.
ALWAYS_BLOCKING = frozenset(
    {"ipdas-options", "ipdas-no-action", "updated-in-future", "translation-mismatch"}
)


def blocking(aid: Aid | None, check: AidCheck) -> list[Problem]:
    """The check errors that stop `aid` from being built (validation problems are
    reported on their own, so the `invalid` findings are not repeated here)."""
    approved = aid is not None and aid.status == "approved"
    return [
        f.as_problem()
        for f in check.errors
        if f.code != "invalid" and (approved or f.code in ALWAYS_BLOCKING)
    ]


def not_ready(check: AidCheck) -> list[Problem]:
    """The check errors that stop a copy for a patient: all of them, draft or not."""
    return [f.as_problem() for f in check.errors if f.code != "invalid"]
