"""Placeholders must never reach a patient: texts left from the `decisionaid new`
skeleton, and the usual stand-ins (TODO, Lorem ipsum, "Author A", [insert ...]).

The skeleton's texts are read from the built-in template itself, so this check follows
the template when its wording changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML

from ..content.models import Aid
from ..content.reading import read_text
from ..content.texts import Loc
from ..settings import builtin_templates
from .findings import Collector
from .language import clip, sentence_line

# Keys whose values are ids, codes or addresses, not words anyone writes.
_NOT_TEXT = frozenset({"id", "language", "status", "severity", "source", "url", "answer", "see"})
# Skeleton values that are real wording, fine to keep as they are: the clinic's usual
# funding and update policy (the examples keep them), credentials, time frames, the
# sample compare question (a question patients ask about any procedure; its answers are
# placeholders) and the time to decide. A goal's `answer` and a quiz's `see` are codes.
_KEEPABLE = frozenset(
    {"update_policy", "funding", "credentials", "timeframe", "question", "time_to_decide"}
)

# Capitals only where lower case is a real word ("todo" is Spanish for "all").
_STAND_INS = re.compile(
    r"(?-i:\b(?:TODO|TBD|TBA|FIXME|XXX|XX)\b|\bAuthor [A-Z]\b)|\blorem ipsum\b"
    r"|[\[<]\s*(?:insert\b[^\]>]*|your name\s*)[\]>]|^\s*your name\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def placeholders(aid: Aid, c: Collector) -> None:
    """Report, as errors, every paragraph left where the skeleton put it, and every
    stand-in. An error, so that an approved aid cannot be built with one (a draft can)."""
    skeleton = skeleton_texts()
    for loc, text in _texts(aid):
        for paragraph in _paragraphs(text):
            line = sentence_line(c.data, loc, text, paragraph)
            for message in _found(paragraph, _field(loc), skeleton):
                c.add("error", "placeholder", message, loc, line)


def _found(paragraph: str, field: tuple[str, ...], skeleton: frozenset) -> list[str]:
    """What is wrong with one paragraph: left from the skeleton (said once), or stand-ins."""
    if (field, _normal(paragraph)) in skeleton:
        return [
            f"'{clip(paragraph)}' is left from the `decisionaid new` skeleton; "
            "write it for this aid"
        ]
    return [
        f"'{match.group(0).strip()}' is a placeholder; write the real text"
        for match in _STAND_INS.finditer(paragraph)
    ]


@cache
def skeleton_texts() -> frozenset[tuple[tuple[str, ...], str]]:
    """The skeleton's texts, normalised, paragraph by paragraph, with their fields. Its
    `{{ }}` lines (id and dates, filled in by `new`) are left out: they are not texts."""
    path = builtin_templates() / "new-aid.yaml"
    lines = read_text(path, builtin_templates()).splitlines()
    data = YAML(typ="safe").load("\n".join(line for line in lines if "{{" not in line))
    return frozenset(
        (_field(loc), _normal(paragraph))
        for loc, text in _leaves(data)
        if not set(loc) & (_NOT_TEXT | _KEEPABLE)
        for paragraph in _paragraphs(text)
    )


def _texts(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text of an aid with its YAML location: the model's field names are its keys."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in _NOT_TEXT:
                yield from _texts(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, key))
    elif isinstance(value, str):
        yield loc, value


def _leaves(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """The text values of parsed YAML, with the keys and indexes above each."""
    if isinstance(data, dict):
        for key, item in data.items():
            yield from _leaves(item, (*loc, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _leaves(item, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def _field(loc: tuple) -> tuple[str, ...]:
    """Which field a location is, whatever its item: ("options", 1, "name") and
    ("options", 0, "name") are both option names; compare answers are keyed by option id."""
    keys = [key for key in loc if isinstance(key, str)]
    return tuple(keys[: keys.index("answers") + 1] if "answers" in keys else keys)


def _paragraphs(text: str) -> list[str]:
    """A text's paragraphs: an author may rewrite one and leave the next."""
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _normal(text: str) -> str:
    """Compare words only: case, spacing and punctuation do not make a text new."""
    return " ".join(re.findall(r"[\w']+", text.casefold()))
