"""What stops an aid from being built, beside the rules it applies.

An approved aid goes to patients: every check error blocks it. A draft prints the
draft mark on every page, so only the errors that make it no decision aid at all
block it; its other errors stay on its quality page and in the summary line.
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
