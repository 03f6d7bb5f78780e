"""The building blocks every content model shares: text as the author wrote it, ids,
the common limits and the strict base class.

They live apart from models.py so that the parts of an aid modelled in modules of
their own (certainty.py, development.py, interests.py) can use them, and models.py
can use those parts, without an import cycle.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from .load import as_written

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Limits (docs/authoring.md, "Limits"). The examples' longest text is 330 characters.
MAX_TEXT = 1000  # a title, a risk, a question, a definition
MAX_LIST = 50  # benefits, risks, questions... of one aid

# A number written where text is wanted keeps the author's text ("0x1F", "1.50").
Str = Annotated[str, BeforeValidator(as_written)]
# An id names files (`aids/<id>.yaml`, `out/<language>/<id>.pdf`), whose names are short.
MAX_ID = 100
Id = Annotated[Str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID)]
Text = Annotated[Str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]


class Strict(BaseModel):
    """Base for content models: unknown keys are errors; text fields take numbers as
    the author wrote them (`Str`), and nothing else turns into text."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
