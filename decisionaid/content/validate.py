"""Checking content against the contract, with every problem tied to a line.

`to_model` validates parsed YAML against a model (models.py) and turns each pydantic
error into a `PATH:LINE: field: message` with the author's fix where a first mistake
is common (an empty value, a colon or comma inside plain text; a chance written as a
percentage: chance_hints.py). The rules across fields live by what they judge: an
aid's own (aid_rules.py) and the files it shares (shared_rules.py: glossary,
clinic.yaml, pictures); they are imported here too, for callers that know this module.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from ..problems import SHOWN_CHARS as SHOWN_CHARS
from ..problems import Problem, shown
from .aid_rules import aid_rules as aid_rules
from .aid_rules import factor_rules as factor_rules
from .aid_rules import illustration_rules as illustration_rules
from .aid_rules import link_rules as link_rules
from .aid_rules import markdown_fields as markdown_fields
from .aid_rules import recovery_rules as recovery_rules
from .chance_hints import chance_hint, whole_number_hint
from .expectations import Goal, GoalAnswer, QuizItem, WarningSigns
from .load import as_written, dotted, example, holds, line_of, node_at, quoted
from .models import (
    AT_PATTERN,
    ID_PATTERN,
    Aid,
    Author,
    Benefit,
    Chance,
    Clinic,
    CompareRow,
    Factor,
    GlossaryEntry,
    GroupChance,
    Illustration,
    Option,
    RecoveryStep,
    Risk,
    Source,
)
from .shared_rules import AA_CONTRAST as AA_CONTRAST
from .shared_rules import IMAGE_LIMIT as IMAGE_LIMIT
from .shared_rules import clinic_rules as clinic_rules
from .shared_rules import contrast as contrast
from .shared_rules import glossary_rules as glossary_rules
from .shared_rules import image_problem as image_problem
from .shared_rules import image_type as image_type

T = TypeVar("T")

# Every key the contract knows, to suggest the intended one for a typo.
KNOWN_KEYS = sorted(
    {
        field.alias or name
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
            Factor,
            GroupChance,
            RecoveryStep,
            Illustration,
            Goal,
            GoalAnswer,
            QuizItem,
            WarningSigns,
        )
        for name, field in model.model_fields.items()
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
        problems = [_problem(error, data, path) for error in exc.errors()]
        # One mistake can give several errors (a text split at a comma: a bad key with
        # no value; a fraction in count and range): report it once.
        return None, list(dict.fromkeys(problems))


ErrorLoc = list[str | int]
# Where the fix goes, and what it is.
Hint = tuple[ErrorLoc, str]


def _problem(error: ErrorDetails, data: Any, path: Path) -> Problem:
    """An author's fix for the common first mistakes; pydantic's words for the rest."""
    loc = [part for part in error["loc"] if part != "[key]"]
    hints = (_split_at_comma, _empty_hint, chance_hint, whole_number_hint, _colon_item_hint)
    for hint in hints:
        found = hint(error, data, loc)
        if found is not None:
            where, message = found
            return Problem(path, line_of(data, where), dotted(where), message)
    return Problem(path, line_of(data, loc), dotted(loc), _plain_message(error))


def _plain_message(error: ErrorDetails) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        if key in KNOWN_KEYS:  # a real key in the wrong place: suggesting it again is no help
            return f"'{key}' is not a key here: remove it, or move it to where it belongs"
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key '{key}'{hint}"
    if kind == "string_too_long" or (kind == "too_long" and isinstance(error.get("input"), str)):
        limit = error.get("ctx", {}).get("max_length", 0)
        got = error.get("input")
        length = f" is {len(got.strip()):,} characters long" if isinstance(got, str) else ""
        return f"this text{length}; at most {limit:,} fit here: shorten it or split it"
    if kind == "too_long":
        limit = error.get("ctx", {}).get("max_length", 0)
        return f"too many items; at most {limit:,}: keep the ones that matter most"
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == AT_PATTERN:
        return (
            f"'{shown(error['input'])}' is not a time: write a number and a unit (hour, day, week, "
            "month or year), like 2 weeks"
        )
    if kind == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == ID_PATTERN:
        return (
            f"'{shown(error['input'])}' is not a valid id: use lowercase letters, digits and "
            "single hyphens, like upper-eyelid-surgery"
        )
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("model_type", "dict_type") and not loc:
        return "the file must be a mapping of keys (id:, title:, ...), not a list or text"
    got = error.get("input")
    seen = "" if isinstance(got, dict | list) else f" (got {shown(as_written(got), quote=repr)})"
    return f"{error['msg']}{seen}"


# `title:` with nothing after it


_EMPTY_WANTS = {
    "string_type": "the text",
    "string_too_short": "the text",
    "list_type": "the list ('- ' before each item)",
    "date_type": "the date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "the date (YYYY-MM-DD)",
    "model_type": "its keys",
    "dict_type": "its keys",
    "int_type": "a whole number",
    "bool_type": "true or false",
}


def _empty_hint(error: ErrorDetails, data: Any, loc: ErrorLoc) -> Hint | None:
    """An empty value reads to pydantic as 'not a string'; the author left it blank."""
    if not loc or "[key]" in error["loc"] or not _exists(data, loc):
        return None
    value = node_at(data, loc)
    if value is not None and not (isinstance(value, str) and not value.strip()):
        return None
    if error["type"] == "literal_error":
        wants = error["msg"].removeprefix("Input should be ")
    else:
        wants = _EMPTY_WANTS.get(error["type"], "the value")
    return loc, f"this is empty: write {wants} here"


def _exists(data: Any, loc: ErrorLoc) -> bool:
    """Whether the key or item at `loc` is written in the file (perhaps with no value)."""
    return holds(node_at(data, loc[:-1]), loc[-1])


# A colon or a comma inside plain text


def _colon_item_hint(error: ErrorDetails, data: Any, loc: ErrorLoc) -> Hint | None:
    """`- Note: this matters` is valid YAML, but a mapping where text was meant."""
    got = error.get("input")
    if error["type"] != "string_type" or not isinstance(got, dict) or len(got) != 1:
        return None
    ((key, value),) = got.items()
    if isinstance(value, dict | list):
        return None
    text = quoted(f"{key}: {'' if value is None else value}".strip())
    written = f"- {text}" if loc and isinstance(loc[-1], int) else f"{loc[-1]}: {text}"
    return loc, f"put this text in quotes: {example(written)}"


def _split_at_comma(error: ErrorDetails, data: Any, loc: ErrorLoc) -> Hint | None:
    """In `{...}` a comma starts a new entry, so `{surgery: One week, low on the belly.}`
    makes `low on the belly.` a key with no value. Returns where the text starts and the fix."""
    parent = node_at(data, loc[:-1]) if loc else None
    if not isinstance(parent, CommentedMap) or not parent.fa.flow_style():
        return None
    keys = list(parent)
    if not _is_fragment(parent, loc[-1], data):
        return None
    first = last = keys.index(loc[-1])
    while first > 0 and _is_fragment(parent, keys[first], data):
        first -= 1
    while last + 1 < len(keys) and _is_fragment(parent, keys[last + 1], data):
        last += 1
    owner = keys[first]
    if _is_fragment(parent, owner, data) or parent[owner] is None:
        return None
    text = ", ".join(str(part) for part in (parent[owner], *keys[first + 1 : last + 1]))
    message = (
        f"put this text in quotes: {example(f'{owner}: {quoted(text)}')} "
        "(inside {...} a comma starts a new entry)"
    )
    return [*loc[:-1], owner], message


def _is_fragment(parent: CommentedMap, key: Any, data: Any) -> bool:
    """A key with no value that no model or option knows: the tail of a split text."""
    return (
        isinstance(key, str)
        and key in parent
        and parent[key] is None
        and not key.endswith(":")  # `{wait:}`: a key left empty, not a split text
        and key not in KNOWN_KEYS
        and key not in _option_ids(data)
    )


def _option_ids(data: Any) -> set[str]:
    options = data.get("options") if isinstance(data, dict) else None
    if not isinstance(options, list):
        return set()
    return {str(o.get("id")) for o in options if isinstance(o, dict)}
