"""The field types every content model shares: strict models, ids, text and Markdown
with their limits (docs/authoring.md, "Limits").

They live apart from models.py so that the parts of an aid modelled in modules of
their own (expectations.py, certainty.py, development.py, interests.py) can use them,
and models.py can use those parts, without an import cycle.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from .load import as_written

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Limits (docs/authoring.md, "Limits"). The examples' longest text is 330 characters.
MAX_TEXT = 1000  # a title, a risk, a question, a definition
MAX_MARKDOWN = 5000  # a paragraph or a few, with lists
# Python-Markdown takes quadratic time over '[' and '<' (2,000 '[' take most of a
# second): far more than any field links to, and it keeps a field's rendering in
# milliseconds (measured: a fifth of a second for the worst field within the limits).
MAX_BRACKETS = 100
MAX_LIST = 50  # benefits, risks, questions... of one aid
MAX_OPTIONS = 10
MAX_ALIASES = 20
MAX_LANGUAGE = 35  # the longest tag BCP 47 implementations must support


# Lists and quotes opened on one line ("1. 1. 1. ...", "> > >"): Python-Markdown
# recurses once for each, and about 500 of them exhaust Python's stack.
MAX_NESTING = 8
_MARKER = re.compile(r"[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$)")


def _markdown_limits(text: str) -> str:
    for char, what in (("[", "a link is [words](https://...)"), ("<", "write 'less than'")):
        count = text.count(char)
        if count > MAX_BRACKETS:
            raise ValueError(
                f"this text has {count:,} '{char}' characters; at most {MAX_BRACKETS} "
                f"({what}): remove the extra ones"
            )
    deepest = max(_markers(line) for line in text.splitlines() or [""])
    if deepest > MAX_NESTING:
        raise ValueError(
            f"a line here opens {deepest:,} lists or quotes inside each other (like '1. 1. 1.' "
            f"or '> > >'); at most {MAX_NESTING}: start the line with the words"
        )
    return text


def _markers(line: str) -> int:
    """How many list or quote markers open a line, one inside the other."""
    count = position = 0
    while (found := _MARKER.match(line, position)) and found.end() > position:
        count, position = count + 1, found.end()
    return count


# A number written where text is wanted keeps the author's text ("0x1F", "1.50").
Str = Annotated[str, BeforeValidator(as_written)]


def decimal(value: object) -> object:
    """A count as a clinician reads it: decimal digits only. YAML also reads `0o7`,
    `0x5`, `0b11` and `1_0` as 7, 5, 3 and 10, silently; those are refused."""
    written = getattr(value, "written", None)
    if isinstance(value, int) and written is not None and not _DECIMAL.match(written):
        raise ValueError(f"write the number in decimal: {int(value)}")
    return value


_DECIMAL = re.compile(r"^[+-]?[0-9]+$")
# An id names files (`aids/<id>.yaml`, `out/<language>/<id>.pdf`), whose names are short.
MAX_ID = 100
Id = Annotated[Str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID)]
Text = Annotated[Str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
# Rendered with Python-Markdown, then sanitised.
Markdown = Annotated[
    Str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MARKDOWN),
    AfterValidator(_markdown_limits),
]


class Strict(BaseModel):
    """Base for content models: unknown keys are errors; text fields take numbers as
    the author wrote them (`Str`), and nothing else turns into text."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
