"""The rules of the development record across fields: a reviewer did not write the aid.

NICE asks for a check by someone who did not draft the aid, and IPDAS for testing with
clinicians who did not write it: a name under `development.reviewed_by` that is also an
author is an error at that line. Which criteria the record meets is for the quality
report (quality/standards.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..problems import Problem, shown
from .load import dotted, line_of
from .models import Aid


def _person(name: str) -> str:
    """A name compared as a person: case, spaces and full stops do not count."""
    return " ".join(name.replace(".", " ").split()).casefold()


def development_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    if aid.development is None:
        return []
    authors = {_person(a.name) for a in aid.authors}
    problems = []
    for i, reviewer in enumerate(aid.development.reviewed_by):
        if _person(reviewer.name) in authors:
            loc = ("development", "reviewed_by", i, "name")
            problems.append(
                Problem(
                    path,
                    line_of(data, loc),
                    dotted(loc),
                    f"'{shown(reviewer.name)}' is an author: a review is by someone who did "
                    "not write the aid; name that person, or leave reviewed_by out",
                )
            )
    return problems
