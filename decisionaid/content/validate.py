"""Checking content against the contract, with every problem tied to a line."""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml.comments import CommentedMap

from ..problems import Problem
from .links import SCHEMES, refused_links
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


Loc = list[str | int]
# Where the fix goes, and what it is.
Hint = tuple[Loc, str]


def _problem(error: ErrorDetails, data: Any, path: Path) -> Problem:
    """An author's fix for the common first mistakes; pydantic's words for the rest."""
    loc = [part for part in error["loc"] if part != "[key]"]
    hints = (_split_at_comma, _empty_hint, _chance_hint, _whole_number_hint, _colon_item_hint)
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


SHOWN_CHARS = 60  # of a wrong value quoted back in a message


def shown(value: Any, quote: Callable[[Any], str] = str) -> str:
    """A wrong value as a message quotes it: at most SHOWN_CHARS characters of it."""
    text = quote(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


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


def _empty_hint(error: ErrorDetails, data: Any, loc: Loc) -> Hint | None:
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


def _exists(data: Any, loc: Loc) -> bool:
    """Whether the key or item at `loc` is written in the file (perhaps with no value)."""
    return holds(node_at(data, loc[:-1]), loc[-1])


# `chance: 85%`, `chance: 15 in 100`, `count: 0.5`

_PERS: tuple[int, ...] = get_args(Chance.model_fields["per"].annotation)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_IN = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:in|out of|of|/)\s*(\d+(?:,\d{3})*)(?:\s+\w+)*$", re.I)


def _chance_hint(error: ErrorDetails, data: Any, loc: Loc) -> Hint | None:
    """A chance written as a percentage or "15 in 100" instead of a mapping."""
    got = error.get("input")
    if loc[-1:] != ["chance"] or error["type"] not in ("model_type", "dict_type"):
        return None
    if isinstance(got, bool) or not isinstance(got, str | int | float):
        return None
    count, per = _as_count_per(got) or ("N", 100)
    return loc, (
        f"write it as count: {count}, per: {per} (with range and timeframe), like "
        f"chance: {{count: {count}, per: {per}, range: [LOW, HIGH], timeframe: TIME}}"
    )


def _as_count_per(got: str | int | float) -> tuple[int, int] | None:
    """`85%` → (85, 100); `15 in 100` → (15, 100); `1 in 20` → (5, 100)."""
    text = str(got).strip()
    if match := _PERCENT.match(text):
        return _natural(Decimal(match[1]), Decimal(100))
    if match := _IN.match(text):
        return _natural(Decimal(match[1]), Decimal(match[2].replace(",", "")))
    if isinstance(got, float) and 0 < got < 1:  # a proportion: 0.15
        return _natural(Decimal(repr(got)), Decimal(1))
    if isinstance(got, int) and 0 <= got <= 100:
        return got, 100
    return None


def _natural(count: Decimal, per: Decimal) -> tuple[int, int] | None:
    """`count` in `per` as a whole number out of one of the allowed denominators."""
    if per <= 0:
        return None
    if per in _PERS and count == count.to_integral_value():
        return int(count), int(per)
    share = count / per
    for denominator in _PERS[1:]:
        if share * denominator == (share * denominator).to_integral_value():
            return int(share * denominator), denominator
    denominator = next((d for d in _PERS[1:] if share * d >= 10), _PERS[-1])
    return int((share * denominator).to_integral_value(ROUND_HALF_UP)), denominator


def _whole_number_hint(error: ErrorDetails, data: Any, loc: Loc) -> Hint | None:
    """`count: 0.5`: the fix is a larger `per`, computed from the numbers written.
    Reported once per chance, at its count, even if the range has fractions too."""
    if error["type"] not in ("int_type", "int_from_float"):
        return None
    got = error.get("input")
    if not isinstance(got, float) or not _is_number(got) or got.is_integer():
        return None
    if loc[-1:] == ["count"]:
        chance_loc = loc[:-1]
    elif len(loc) >= 2 and loc[-2] == "range":
        chance_loc = loc[:-2]
    else:
        return None
    chance = node_at(data, chance_loc)
    if not isinstance(chance, dict):
        return None
    where = [*chance_loc, "count" if isinstance(chance.get("count"), float) else "range"]
    per = chance.get("per")
    if per in _PERS and per * 10 > _PERS[-1]:
        return where, f"use whole numbers (per is at most {per}): round it, e.g. {_scaled(chance)}"
    return where, f"use a larger per, e.g. {_scaled(chance)} (a chance uses whole numbers)"


def _scaled(chance: dict[str, Any]) -> str:
    """The chance's count (and range) out of the smallest larger per that makes them whole."""
    per = chance.get("per") if chance.get("per") in _PERS else 100
    numbers = {"count": chance.get("count"), "low": None, "high": None}
    written = chance.get("range")
    if isinstance(written, list) and len(written) == 2:
        numbers["low"], numbers["high"] = written
    values = {k: Decimal(repr(v)) for k, v in numbers.items() if _is_number(v)}
    factors = [f for f in (10, 100, 1000) if per * f <= _PERS[-1]] or [1]
    factor = next(
        (f for f in factors if all(v * f == (v * f).to_integral_value() for v in values.values())),
        factors[-1],
    )
    whole = {k: int((v * factor).to_integral_value(ROUND_HALF_UP)) for k, v in values.items()}
    parts = [f"count: {whole['count']}"] if "count" in whole else []
    parts.append(f"per: {per * factor}")
    if "low" in whole and "high" in whole:
        parts.append(f"range: [{whole['low']}, {whole['high']}]")
    return ", ".join(parts)


def _is_number(value: Any) -> bool:
    """A number that can be scaled to a whole count (YAML also has .inf and .nan)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# A colon or a comma inside plain text


def _colon_item_hint(error: ErrorDetails, data: Any, loc: Loc) -> Hint | None:
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


def _split_at_comma(error: ErrorDetails, data: Any, loc: Loc) -> Hint | None:
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


def aid_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """The rules that span fields: ids unique and referred to, one no-action option."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    # aids/<id>.yaml, or aids/<id>.<language>.yaml for a translation.
    stem_id, _, stem_language = path.stem.partition(".")
    if aid.id != stem_id:
        found.append((("id",), f"id '{shown(aid.id)}' must match the file name '{path.stem}.yaml'"))
    if stem_language and aid.language.casefold() != stem_language.casefold():
        found.append(
            (
                ("language",),
                f"language '{aid.language}' must match the file name's '.{stem_language}'",
            )
        )
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
    for ref in aid.outcomes():
        source = ref.item.source
        if source is not None and source not in source_ids:
            found.append(
                (
                    (*ref.loc, "source"),
                    f"source '{source}' is not one of the sources "
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


AA_CONTRAST = 4.5  # WCAG 2.1 AA for body text


def clinic_rules(clinic: Clinic, data: Any, path: Path, root: Path) -> list[Problem]:
    """The logo is an image inside the content root; the accent colour is readable on white."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if clinic.logo is not None:
        message = image_problem(root, clinic.logo)
        if message:
            found.append((("logo",), message))
    if clinic.accent is not None:
        ratio = contrast(clinic.accent, "#ffffff")
        if ratio < AA_CONTRAST:
            found.append(
                (
                    ("accent",),
                    f"{clinic.accent} on white has a contrast of {ratio:.1f}:1, below the "
                    f"{AA_CONTRAST}:1 that WCAG AA needs for text; choose a darker colour",
                )
            )
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def factor_rules(
    aid: Aid, data: Any, path: Path, factors: dict[str, Factor], factors_file: Path
) -> list[Problem]:
    """A group figure names known factors, sits beside a general figure with the same
    time frame, and each set of factors appears once per outcome."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for ref in aid.outcomes():
        general = ref.item.chance
        seen: set[frozenset[str]] = set()
        for g, group in enumerate(ref.item.groups):
            loc = (*ref.loc, "for", g)
            for k, factor in enumerate(group.factors):
                if factor not in factors:
                    known = ", ".join(sorted(factors)) or f"none: add factors/{factors_file.name}"
                    found.append(
                        ((*loc, "factors", k), f"unknown factor '{factor}' (factors: {known})")
                    )
            if general is None:
                found.append((loc, "a group figure needs the general chance beside it"))
            elif group.chance.timeframe != general.timeframe:
                found.append(
                    (
                        (*loc, "chance", "timeframe"),
                        f"time frame '{group.chance.timeframe}' differs from the general "
                        f"figure's '{general.timeframe}': count both over the same time",
                    )
                )
            key = frozenset(group.factors)
            if key in seen:
                found.append(((*loc, "factors"), "this set of factors is listed twice"))
            seen.add(key)
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


IMAGE_LIMIT = 2 * 1024 * 1024  # bytes: a picture in a handout, not a photo archive


def recovery_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """Each option's recovery steps are in time order (an error where the order breaks)."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, option in enumerate(aid.options):
        steps = option.recovery
        for j in range(1, len(steps)):
            before, step = steps[j - 1], steps[j]
            if step.days <= before.days:
                found.append(
                    (
                        ("options", i, "recovery", j, "at"),
                        f"'{step.at}' does not come after '{before.at}': put the steps in "
                        "time order",
                    )
                )
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def illustration_rules(aid: Aid, data: Any, path: Path, root: Path) -> list[Problem]:
    """Every picture is a PNG, JPEG or SVG file inside the content root, by its content."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    places: list[tuple[tuple[str | int, ...], Illustration]] = [
        (("illustrations", k), picture) for k, picture in enumerate(aid.illustrations)
    ]
    for i, option in enumerate(aid.options):
        places += [
            (("options", i, "illustrations", k), picture)
            for k, picture in enumerate(option.illustrations)
        ]
    for loc, picture in places:
        message = image_problem(root, picture.file)
        if message:
            found.append(((*loc, "file"), message))
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def image_problem(root: Path, name: str) -> str | None:
    """Why `name` cannot be shown, or None: inside the root (links resolved), a file,
    not too big, and a PNG, JPEG or SVG by its first bytes."""
    file = (root / name).resolve()
    if not file.is_relative_to(root.resolve()):
        return f"'{name}' is outside the content root: keep pictures in it (e.g. images/)"
    if not file.is_file():
        return f"no file '{name}' in the content root"
    if file.stat().st_size > IMAGE_LIMIT:
        return f"'{name}' is over {IMAGE_LIMIT // (1024 * 1024)} MB: make it smaller"
    if image_type(file) is None:
        return f"'{name}' is not a PNG, JPEG or SVG picture"
    return None


def image_type(file: Path) -> str | None:
    """The media type of a picture by its content, not its name."""
    head = file.read_bytes()[:1024]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "image/svg+xml"
    return None


def markdown_fields(aid: Aid) -> list[tuple[tuple[str | int, ...], str]]:
    """Every Markdown field of an aid, with where it stands."""
    fields: list[tuple[tuple[str | int, ...], str]] = [
        (("condition",), aid.condition),
        (("next_steps",), aid.next_steps),
    ]
    for i, option in enumerate(aid.options):
        fields += [(("options", i, "description"), option.description)]
        fields += [(("options", i, "living_with"), option.living_with)]
    for name in ("uncertainties", "expectations"):
        fields += [((name, i), text) for i, text in enumerate(getattr(aid, name))]
    return fields


def link_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """Links may be https:, http:, mailto: or tel: only (content/links.py says why)."""
    schemes = ", ".join(f"{s}:" for s in sorted(SCHEMES, reverse=True))
    return [
        Problem(
            path,
            line_of(data, loc),
            dotted(loc),
            f"the link '{shown(href)}' is not allowed: a handout links only to {schemes} "
            "(a relative link or a file path would point into the computer that made it); "
            "write the full https:// address, or the words without a link",
        )
        for loc, text in markdown_fields(aid)
        for href in refused_links(text)
    ]
