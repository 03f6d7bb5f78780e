"""The patient's-copy form: read, check, and turned into a Consult.

Error messages name the field and what to do, never what was typed in it: at most
the characters of a name that no installed font can print, each on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from starlette.datastructures import FormData

from ..content.models import Aid
from ..handout.consult import MAX_NAME, Consult, validate
from ..output import fonts
from ..settings import BuildOptions, Edition, Kind, Paper, Size


@dataclass
class ConsultForm:
    """What the form holds: the typed values (to show them again) and the errors."""

    patient: str = ""
    clinician: str = ""
    date: str = ""
    options: list[str] = field(default_factory=list)
    kind: str = "handout"  # "handout" | "summary"
    large_print: bool = False
    paper: str = ""
    factors: list[str] = field(default_factory=list)  # health information: this request only
    goals: list[str] = field(default_factory=list)  # what the patient hopes for: the same
    errors: dict[str, str] = field(default_factory=dict)  # field → message key
    unprintable: dict[str, list[str]] = field(default_factory=dict)  # name field → characters
    max_name: int = MAX_NAME  # the name fields' maxlength, the same limit as the server's

    @classmethod
    def blank(cls, aid: Aid, today: dt.date) -> ConsultForm:
        return cls(date=today.isoformat(), options=[o.id for o in aid.options])

    @classmethod
    def read(cls, form: FormData, aid: Aid) -> ConsultForm:
        data = cls(
            patient=str(form.get("patient", "")).strip(),
            clinician=str(form.get("clinician", "")).strip(),
            date=str(form.get("date", "")).strip(),
            options=[str(v) for v in form.getlist("options")],
            kind="summary" if form.get("kind") == "summary" else "handout",
            large_print=form.get("large_print") == "on",
            paper=str(form.get("paper", "")),
            factors=[str(v) for v in form.getlist("factors")],
            goals=[str(v) for v in form.getlist("goals")],
        )
        for name in ("patient", "clinician"):  # a character no font has prints as a box
            if missing := fonts.unprintable(getattr(data, name)):
                data.unprintable[name] = missing
        data.errors = data._errors(aid)
        return data

    def _errors(self, aid: Aid) -> dict[str, str]:
        errors = {}
        for name in ("patient", "clinician"):
            if len(getattr(self, name)) > MAX_NAME:
                errors[name] = "too_long"
            elif name in self.unprintable:
                errors[name] = "unprintable"
        if self.day() is None:
            errors["date"] = "date"
        if self.paper not in ("", "letter", "a4"):
            errors["paper"] = "paper"
        for invalid in validate(aid, self.consult(aid), self.large_print):
            errors.setdefault(invalid.field, invalid.error.value)
        return errors

    def unprintable_named(self, name: str) -> str:
        """The characters of a name field that cannot print, for its error message."""
        return fonts.in_a_name(self.unprintable[name])

    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.date)
        except ValueError:
            return None

    @property
    def edition(self) -> Edition | None:
        """Which copy the form asks for; None for one that does not exist (a large-print
        summary, which `validate` refuses)."""
        kind: Kind = "summary" if self.kind == "summary" else "full"
        size: Size = "large" if self.large_print else "standard"
        return Edition(kind, size) if Edition.allows(kind, size) else None

    def build_options(self, today: dt.date) -> BuildOptions:
        """How the copy is made: a PDF, in the print size and on the paper chosen."""
        return BuildOptions(
            formats=("pdf",),
            large_print=self.large_print,
            paper=cast("Paper | None", self.paper or None),  # checked in _errors
            today=today,
        )

    def consult(self, aid: Aid) -> Consult:
        """The consult the form asks for. The form lists every option, the no-action one
        always included (its box cannot be unticked, so the browser does not send it):
        the options ticked are the options, and none ticked is only that one, which
        `validate` refuses (an empty `Consult.options` would mean every option)."""
        ticked = [o for o in self.options if o]
        always = [o.id for o in aid.options if o.no_action]
        chosen = tuple(dict.fromkeys([*ticked, *always])) if ticked or always else ()
        return Consult(
            self.patient or None,
            self.clinician or None,
            self.day(),
            chosen,
            self.kind == "summary",
            tuple(self.factors),
            tuple(self.goals),
        )
