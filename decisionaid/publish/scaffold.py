"""`decisionaid new`: a commented skeleton aid that already passes validation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content.models import ID_PATTERN
from ..content.root import ContentRoot
from ..handout.render import Renderer
from ..output.files import write_atomic
from ..settings import ContentLayout


class AidExists(FileExistsError):
    """Refuse to overwrite an author's work."""


def new_aid(root: Path, aid_id: str, today: dt.date | None = None) -> Path:
    """Write `ROOT/aids/ID.yaml` and return its path."""
    if not re.fullmatch(ID_PATTERN, aid_id):
        raise ValueError(
            f"'{aid_id}' is not a valid id: use lowercase letters, digits and single "
            "hyphens, like upper-eyelid-surgery"
        )
    layout = ContentLayout(root)
    path = layout.aid_file(aid_id)
    if path.exists():
        raise AidExists(f"{path} already exists; not overwriting it")
    today = today or ContentRoot.at(root).today()  # the clinic's day
    review_by = (
        today.replace(year=today.year + 1)
        if (today.month, today.day) != (2, 29)
        else (today + dt.timedelta(days=365))
    )
    text = Renderer(layout).page(
        "new-aid.yaml", id=aid_id, today=today.isoformat(), review_by=review_by.isoformat()
    )
    write_atomic(path, text + "\n")
    return path
