"""How an aid was made and tested: its development record (`development:`).

IPDAS certification asks an aid to say when its evidence was searched, whether it was
tested with patients and with clinicians who did not write it; NICE's standards
framework for shared decision-making support tools asks for a development record and a
check by someone who did not draft it. These models hold what content can show; the
rules across fields (a reviewer is not an author) are in development_rules.py, and the
criteria each field meets in quality/standards.py.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictInt

from .fields import MAX_LIST, Strict, Text

MAX_PEOPLE = 1_000_000  # people in one round of testing: a typo past this


class EvidenceSearch(Strict):
    """When the evidence was last searched for, and how (where, which years, words)."""

    date: dt.date
    how: Text


class Testing(Strict):
    """One round of testing the aid with people who will use it."""

    count: StrictInt = Field(ge=1, le=MAX_PEOPLE)
    date: dt.date


class Reviewer(Strict):
    """Someone who checked the aid and did not write it."""

    name: Text
    credentials: Text | None = None
    date: dt.date


class Development(Strict):
    """The development record: every part optional, each meets its own criterion."""

    evidence_search: EvidenceSearch | None = None
    tested_with_patients: Testing | None = None
    tested_with_clinicians: Testing | None = None
    reviewed_by: list[Reviewer] = Field(default_factory=list, max_length=MAX_LIST)
