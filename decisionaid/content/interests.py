"""What an author declares that could sway what they write (`authors[].interests`).

A declaration is one text or a list of them ("Paid to do this surgery."); "None" is a
declaration too, and the only way to say there is nothing to declare: a missing
`interests:` says nothing, which is not the same (NICE asks for interests declared).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from .fields import MAX_LIST, Text


def _as_list(value: object) -> object:
    """One text is a list of one."""
    return [value] if isinstance(value, str) else value


Interests = Annotated[
    list[Text], BeforeValidator(_as_list), Field(min_length=1, max_length=MAX_LIST)
]
