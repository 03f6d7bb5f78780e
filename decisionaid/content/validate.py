"""Checking content against the contract, with every problem tied to a line."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from ..problems import Problem
from .load import dotted, line_of
from .models import (
    ID_PATTERN,
    Aid,
    Author,
    Benefit,
    Chance,
    Clinic,
    CompareRow,
    GlossaryEntry,
    Option,
    Risk,
    Source,
)

T = TypeVar("T")

# Every key the contract knows, to suggest the intended one for a typo.
KNOWN_KEYS = sorted(
    {
        name
        for model in (
            Aid,
            Option,
            Benefit,
            Risk,
            Chance,
            CompareRow,
            Author,
            Source,
            GlossaryEntry,
            Clinic,
        )
        for name in model.model_fields
    }
)


def to_model(kind: type[T] | Any, data: Any, path: Path) -> tuple[T | None, list[Problem]]:
    """Validate raw YAML data as `kind` (a model or a type); map errors to lines."""
    if data is None:
        return None, [Problem(path, 1, "", "the file is empty")]
    adapter = TypeAdapter(kind)
    try:
        return adapter.validate_python(data), []
    except ValidationError as exc:
        return None, [_problem(error, data, path) for error in exc.errors()]


def _problem(error: ErrorDetails, data: Any, path: Path) -> Problem:
    loc = [part for part in error["loc"] if part != "[key]"]
    return Problem(path, line_of(data, loc), dotted(loc), _message(error))


def _message(error: ErrorDetails) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key '{key}'{hint}"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        return (
            f"'{error['input']}' is not a valid id: use lowercase letters, digits and "
            "single hyphens, like upper-eyelid-surgery"
        )
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("model_type", "dict_type") and not loc:
        return "the file must be a mapping of keys (id:, title:, ...), not a list or text"
    got = error.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
    return f"{error['msg']}{shown}"


def aid_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """The rules that span fields: ids unique and referred to, one no-action option."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    if aid.id != path.stem:
        found.append((("id",), f"id '{aid.id}' must match the file name '{path.stem}.yaml'"))
    if aid.status == "approved" and not aid.approved_by:
        found.append((("status",), "an approved aid needs approved_by (who approved it)"))
    if aid.review_by <= aid.updated:
        found.append((("review_by",), "review_by must be after updated"))

    found += _duplicates("options", "id", [o.id for o in aid.options])
    found += _duplicates("sources", "id", [s.id for s in aid.sources])

    # A missing no-action option is an IPDAS finding (quality/ipdas.py); two are an error.
    no_action = [i for i, option in enumerate(aid.options) if option.no_action]
    for i in no_action[1:]:
        found.append((("options", i, "no_action"), "only one option may have no_action: true"))

    source_ids = {s.id for s in aid.sources}
    for i, option in enumerate(aid.options):
        for kind in ("benefits", "risks"):
            for j, item in enumerate(getattr(option, kind)):
                if item.source is not None and item.source not in source_ids:
                    found.append(
                        (
                            ("options", i, kind, j, "source"),
                            f"source '{item.source}' is not one of the sources "
                            f"({', '.join(sorted(source_ids)) or 'none listed'})",
                        )
                    )

    option_ids = list(dict.fromkeys(o.id for o in aid.options))
    for i, row in enumerate(aid.compare):
        for key in row.answers:
            if key not in option_ids:
                found.append(
                    (
                        ("compare", i, "answers", key),
                        f"'{key}' is not an option id ({', '.join(option_ids)})",
                    )
                )
        for key in option_ids:
            if key not in row.answers:
                found.append((("compare", i, "answers"), f"no answer for option '{key}'"))

    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def _duplicates(field: str, key: str, ids: list[str]) -> list[tuple[tuple[str | int, ...], str]]:
    counts = Counter(ids)
    seen: set[str] = set()
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, value in enumerate(ids):
        if counts[value] > 1 and value in seen:
            found.append(((field, i, key), f"{key} '{value}' is used more than once"))
        seen.add(value)
    return found


def glossary_rules(entries: list[GlossaryEntry], data: Any, path: Path) -> list[Problem]:
    """Each term or alias may be defined only once, whatever its case."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        for word in (entry.term, *entry.aliases):
            key = word.casefold()
            if key in seen and seen[key] != i:
                loc = (i, "term")
                problems.append(
                    Problem(
                        path,
                        line_of(data, loc),
                        dotted(loc),
                        f"'{word}' is already defined by entry {seen[key]} "
                        f"('{entries[seen[key]].term}')",
                    )
                )
            seen.setdefault(key, i)
    return problems
