"""The content contract: typed models of an aid, a glossary and a clinic.

These classes describe the *shape* of the YAML (types, required keys, allowed
values). Rules that span several fields (references between ids, exactly one
no-action option) live in `validate.py`, where each problem gets its own path.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

from .certainty import Certainty
from .development import Development
from .expectations import Goal, QuizItem, WarningSigns
from .fields import ID_PATTERN as ID_PATTERN
from .fields import (
    MAX_ALIASES,
    MAX_LANGUAGE,
    MAX_LIST,
    MAX_OPTIONS,
    MAX_TEXT,
    Id,
    Markdown,
    Str,
    Strict,
    Text,
    decimal,
)
from .fields import MAX_ID as MAX_ID
from .interests import Interests
from .load import MAX_ITEMS

# BCP 47's shape: language, script, region, variants ("en", "es-419", "zh-Hant-TW").
_LANGUAGE = re.compile(
    r"^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$",
    re.IGNORECASE,
)


def canonical_language(tag: str) -> str:
    """A BCP 47 tag in its canonical case ("EN-gb" → "en-GB"), or ValueError."""
    if len(tag) > MAX_LANGUAGE or not _LANGUAGE.match(tag):
        shown = tag if len(tag) <= 40 else tag[:40] + "..."
        raise ValueError(f"'{shown}' is not a language tag: write a code like en, es, ar or en-GB")
    first, *rest = tag.split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())  # script: Hant
        elif len(part) == 2 and part.isalpha():
            parts.append(part.upper())  # region: GB
        else:
            parts.append(part.lower())
    return "-".join(parts)


Language = Annotated[Str, AfterValidator(canonical_language)]
Url = Annotated[Str, StringConstraints(pattern=r"^https?://\S+$", max_length=MAX_TEXT)]


# A count, written in decimal digits (fields.decimal).
Count = Annotated[StrictInt, BeforeValidator(decimal)]


class Chance(Strict):
    """How many people out of `per` have an outcome, over a time frame."""

    count: Count = Field(ge=0)
    per: Annotated[Literal[10, 100, 1000, 10000], BeforeValidator(decimal)]
    range: tuple[Count, Count] | None = None
    timeframe: Text
    # How sure the evidence is of this figure (GRADE), and why, in a patient's words.
    certainty: Certainty | None = None
    certainty_why: Text | None = None

    @model_validator(mode="after")
    def _counts_fit(self) -> Chance:
        if self.count > self.per:
            raise ValueError(f"count ({self.count}) is more than per ({self.per})")
        if self.range is not None:
            low, high = self.range
            if not low <= self.count <= high <= self.per:
                raise ValueError(
                    f"range [{low}, {high}] must satisfy low <= count ({self.count}) "
                    f"<= high <= per ({self.per})"
                )
        return self


class GroupChance(Strict):
    """The chance for people with some factors (`factors/<language>.yaml`), from its
    own evidence. A combined group is listed only where the evidence gives one."""

    factors: list[Id] = Field(min_length=1, max_length=MAX_LIST)
    chance: Chance
    source: Id | None = None  # required by the IPDAS check, like any chance


class Benefit(Strict):
    # What text elsewhere and a hope's answer refer to it by ("{dry-eyes}", figure:
    # dry-eyes): the number is then printed from this figure (content/figures.py).
    id: Id | None = None
    text: Text
    chance: Chance | None = None
    source: Id | None = None
    groups: list[GroupChance] = Field(default_factory=list, alias="for", max_length=MAX_LIST)


class Risk(Benefit):
    name: Text
    severity: Literal["minor", "moderate", "serious"]


AT_PATTERN = r"^\d+(\.\d+)?\s+(hour|day|week|month|year)s?$"
UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "year": 365.25}
MAX_RECOVERY_YEARS = 100  # past a lifetime, a time is a typo (and 400 digits overflow a float)


def _within_a_lifetime(at: str) -> str:
    amount, unit = at.split()
    if float(amount) * UNIT_DAYS[unit.rstrip("s")] > MAX_RECOVERY_YEARS * UNIT_DAYS["year"]:
        shown = at if len(at) <= 40 else at[:37] + "..."
        raise ValueError(
            f"'{shown}' is more than {MAX_RECOVERY_YEARS} years: write when this happens in "
            "recovery, like 2 weeks or 6 months"
        )
    return at


class RecoveryStep(Strict):
    """One moment of recovery: `at` is a number and a unit ("2 weeks")."""

    at: Annotated[
        Str,
        StringConstraints(strip_whitespace=True, pattern=AT_PATTERN),
        AfterValidator(_within_a_lifetime),
    ]
    what: Text

    @property
    def amount(self) -> float:
        return float(self.at.split()[0])

    @property
    def unit(self) -> str:
        return self.at.split()[1].rstrip("s")

    @property
    def days(self) -> float:
        return self.amount * UNIT_DAYS[self.unit]


class Illustration(Strict):
    """A picture from the content root, with the words a screen reader says instead."""

    file: Text  # PNG, JPEG or SVG inside the content root (checked by content)
    alt: Text
    caption: Text | None = None


class Option(Strict):
    id: Id
    name: Text
    no_action: bool = False
    description: Markdown
    living_with: Markdown
    benefits: list[Benefit] = Field(default_factory=list, max_length=MAX_LIST)
    risks: list[Risk] = Field(default_factory=list, max_length=MAX_LIST)
    recovery: list[RecoveryStep] = Field(default_factory=list, max_length=MAX_LIST)
    illustrations: list[Illustration] = Field(default_factory=list, max_length=MAX_LIST)


class CompareRow(Strict):
    question: Text
    answers: dict[Id, Text]


class Author(Strict):
    name: Text
    credentials: Text | None = None
    interests: Interests | None = None  # declared; "None" declares that there are none


class Source(Strict):
    id: Id
    citation: Text
    url: Url | None = None


class Aid(Strict):
    """One decision aid: a decision, its options and everything a patient needs."""

    id: Id
    language: Language = "en"
    title: Text
    decision: Text
    audience: Text
    condition: Markdown
    status: Literal["draft", "approved"]
    approved_by: Text | None = None
    updated: dt.date
    review_by: dt.date
    # Required by the IPDAS standards, and so checked by `decisionaid check` (an
    # error there), not here: a missing one is reported with every other finding.
    update_policy: Text | None = None
    funding: Text | None = None
    conflicts: Text | None = None
    authors: list[Author] = Field(min_length=1, max_length=MAX_LIST)
    development: Development | None = None  # how it was made and tested
    sources: list[Source] = Field(default_factory=list, max_length=MAX_LIST)
    # Two or more: an IPDAS check.
    options: list[Option] = Field(min_length=1, max_length=MAX_OPTIONS)
    compare: list[CompareRow] = Field(default_factory=list, max_length=MAX_LIST)
    uncertainties: list[Markdown] = Field(default_factory=list, max_length=MAX_LIST)
    expectations: list[Markdown] = Field(default_factory=list, max_length=MAX_LIST)
    values: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    questions: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    next_steps: Markdown
    # About the condition.
    illustrations: list[Illustration] = Field(default_factory=list, max_length=MAX_LIST)
    # For a translation: the language of the aid it translates (default: aids/<id>.yaml).
    translation_of: Language | None = None
    # Other names staff and patients use ("tummy tuck"): the web app's search finds them.
    keywords: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    # The same, in other languages, for staff who search in theirs: `es: [rinoplastia,
    # nariz]`. Never printed on a copy.
    keywords_in: dict[Language, Annotated[list[Text], Field(max_length=MAX_LIST)]] = Field(
        default_factory=dict, max_length=MAX_LIST
    )
    # What patients hope for against what each option can do, a check of what they
    # understood, how they may feel, when to call, and time to decide
    # (content/expectations.py). Optional for a draft: `check` says what is missing.
    goals: list[Goal] = Field(default_factory=list, max_length=MAX_LIST)
    quiz: list[QuizItem] = Field(default_factory=list, max_length=MAX_LIST)
    feelings: list[Markdown] = Field(default_factory=list, max_length=MAX_LIST)
    warning_signs: WarningSigns | None = None
    time_to_decide: Text | None = None

    def outcomes(self) -> Iterator[OutcomeRef]:
        """Every benefit and risk of every option, in handout order, with where it stands."""
        for i, option in enumerate(self.options):
            for kind in ("benefits", "risks"):
                for j, item in enumerate(getattr(option, kind)):
                    yield OutcomeRef(i, option, kind, j, item)

    def chances(self) -> list[Chance]:
        """Every chance in the aid (the groups' too), in the order the handout shows them."""
        return [
            chance
            for ref in self.outcomes()
            for chance in (ref.item.chance, *(g.chance for g in ref.item.groups))
            if chance is not None
        ]

    def figures(self) -> dict[str, OutcomeRef]:
        """The benefits and risks with an id, by id (the first of a repeated id)."""
        found: dict[str, OutcomeRef] = {}
        for ref in self.outcomes():
            if ref.item.id is not None:
                found.setdefault(ref.item.id, ref)
        return found

    def picture_files(self) -> list[str]:
        """The picture files of the aid and its options, each once, in order."""
        names = [p.file for p in self.illustrations]
        names += [p.file for option in self.options for p in option.illustrations]
        return list(dict.fromkeys(names))

    def factor_ids(self) -> list[str]:
        """The patient factors any outcome of this aid has a figure for, in order."""
        ids = (f for ref in self.outcomes() for g in ref.item.groups for f in g.factors)
        return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class OutcomeRef:
    """One benefit or risk, with its option and its place in the file."""

    option_index: int
    option: Option
    kind: Literal["benefits", "risks"]
    index: int
    item: Benefit | Risk

    @property
    def loc(self) -> tuple[str | int, ...]:
        return ("options", self.option_index, self.kind, self.index)

    @property
    def label(self) -> str:
        """How the author names it: a risk's name, else a benefit's text."""
        return getattr(self.item, "name", None) or self.item.text


class Factor(Strict):
    """A patient factor the clinic asks about (`factors/<language>.yaml`)."""

    id: Id
    label: Text  # short, for staff and for "chances shown for": "Smokes or vapes nicotine"
    question: Text  # what staff ask: "Does the patient smoke or vape?"
    group: Text  # the patient's words for the group: "people who smoke or vape nicotine"


class GlossaryEntry(Strict):
    term: Text
    aliases: list[Text] = Field(default_factory=list, max_length=MAX_ALIASES)
    definition: Text


class Clinic(Strict):
    """`clinic.yaml`: who hands the aid out, and how it prints."""

    name: Text | None = None
    phone: Text | None = None
    address: Text | None = None
    website: Text | None = None
    # Where the handouts are published: the summary's QR code points at
    # <handouts_url>/<language>/<id>.html.
    handouts_url: Url | None = None
    paper: Literal["letter", "a4"] = "letter"
    # The staff's language: the catalog, quality reports, web app and chart notes.
    language: Language = "en"
    reading_grade: float = Field(default=8, gt=0, le=20)
    jargon: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    # Branding: a logo inside the content root (PNG, JPEG or SVG) and an accent colour
    # for headings and rules (it must pass WCAG AA contrast on white: validate.py).
    logo: Text | None = None
    accent: Annotated[Str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    # "When to call us" in every handout with warning signs: the phone for after hours,
    # and the emergency number ("911", "112", "999"). No default: a clinic must say it.
    after_hours_phone: Text | None = None
    emergency_number: Text | None = None
    # What the app and `handout` may print for a patient: only aids approved and
    # unchanged since (the default), only those whose approval is signed by a key of
    # `allowed_signers` ("signed"), or drafts too, each with its mark on every page.
    front_desk: Literal["approved", "signed", "drafts"] = "approved"
    # The approvers' public keys (an ssh-keygen allowed signers file) inside the root:
    # an approval signed with `approve --sign KEY` is verified against it.
    allowed_signers: Text | None = None
    # The clinic's time zone (an IANA name: Europe/Madrid), for "today" on a consult's
    # copy and note; none: the server's own. A UTC server in Madrid is hours off.
    time_zone: Text | None = None

    def day(self, now: dt.datetime) -> dt.date:
        """The clinic's date at the instant `now`, in its time zone (the server's own
        when it has none, or one this computer does not know: clinic_rules says so)."""
        return now.astimezone(time_zone(self.time_zone)).date()


def time_zone(name: str | None) -> ZoneInfo | None:
    """The zone an IANA name names; None for none or an unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # unknown, a path, a folder
        return None
