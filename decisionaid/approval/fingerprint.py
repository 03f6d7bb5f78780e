"""One digest of everything an aid's handout is made from, so that an approval holds
only while the patient's pages are what the approver saw.

The aid's own inputs (output/inputs.py's MadeFrom): the aid file, the source of a
translation, the glossary entries and patient factors it uses, the clinic's audited
counts it prints (outcomes/<id>.yaml, each count a part in words: outcome_parts.py), its
pictures and every file a picture refers to (an SVG's `<image href>`). What it shares
with other aids, as far as it reaches a patient's page: the clinic's printed settings
in clinic.yaml (each on its own), the logo, the root's template overrides (but the
staff's own pages) and the aid's language's message catalogs, the built-in templates
and messages, and the tool's version. Not the staff's settings (front desk, reading
grade, paper, jargon list) and not the fonts (they change how text is set, not what it says).

Each part is kept with its own digest, so that `diff` can say which picture,
definition, setting or template changed (docs/security.md, promise 16).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..content.glossary import Glossary
from ..content.models import Factor
from ..content.reading import Unreadable, read_bytes
from ..content.root import ContentRoot, Loaded
from ..content.texts import glossary_terms
from ..content.translated import source_path
from ..output.inputs import MISSING, Inputs, digest, made_from, term_digest
from ..settings import BuildOptions, ContentLayout
from .outcome_parts import outcome_parts

SHORT = 10  # hex digits printed on a copy or a chart note


@dataclass(frozen=True)
class Fingerprint:
    """The digest of an aid's inputs, and each part's (`aid`, `picture:images/x.svg`,
    `term:implant`, `factor:smoking`)."""

    digest: str
    parts: dict[str, str]

    @property
    def short(self) -> str:
        return self.digest[:SHORT]

    @classmethod
    def of(cls, parts: dict[str, str]) -> Fingerprint:
        lines = "".join(f"{name}\0{value}\n" for name, value in sorted(parts.items()))
        return cls(hashlib.sha256(lines.encode("utf-8")).hexdigest(), dict(sorted(parts.items())))


def factor_digest(factor: Factor) -> str:
    return digest("\0".join([factor.id, factor.label, factor.question, factor.group]).encode())


def fingerprint(content: ContentRoot, loaded: Loaded, glossary: Glossary) -> Fingerprint | None:
    """The fingerprint of the aid as its files are now (None: the file is not an aid)."""

    aid = loaded.aid
    if aid is None:
        return None
    made = made_from(content.layout, loaded.path, aid, glossary_terms(aid, glossary))
    inputs = Inputs(content.layout, BuildOptions())
    parts = {"aid": inputs.file(inputs.name(made.aid_file))}
    source = source_path(loaded.path, aid.translation_of)
    if source is not None:
        parts[f"source:{inputs.name(source)}"] = inputs.file(inputs.name(source))
    for picture in made.pictures:
        name = inputs.name(picture)
        parts[f"picture:{name}"] = inputs.file(name)
    for term in made.terms:
        parts[f"term:{term.term}"] = term_digest(term)
    factors, _ = content.factors(aid.language) if made.factors else ({}, [])
    for factor_id in made.factors:
        factor = factors.get(factor_id)
        parts[f"factor:{factor_id}"] = factor_digest(factor) if factor else MISSING
    # The clinic's own results (outcomes/<id>.yaml): each count printed, in words.
    parts.update(outcome_parts(content, aid))
    parts.update(shared_parts(content, aid.language, inputs))
    return Fingerprint.of(parts)


# What clinic.yaml prints on a patient's page (the logo is its own part, by its bytes).
PRINTED = (
    "name",
    "phone",
    "address",
    "website",
    "handouts_url",
    "accent",
    "after_hours_phone",
    "emergency_number",
)
# Templates of the staff's own pages: the catalog, the quality page, the app, the
# chart note and the skeleton of a new aid. Any other template may reach a patient.
STAFF = ("index.html", "check.html", "staff.html", "note.txt", "new-aid.yaml", "app/")
TOOL = "tool"  # the part an approval recorded before it covered the shared inputs lacks
BUILTIN = "templates:built-in"


def shared_parts(content: ContentRoot, language: str, inputs: Inputs) -> dict[str, str]:
    """The parts an aid shares with others, as they reach its pages."""
    clinic, _ = content.clinic()
    parts = {f"clinic:{key}": _value(getattr(clinic, key)) for key in PRINTED}
    if clinic.logo:
        parts[f"logo:{clinic.logo}"] = inputs.file(inputs.name(content.layout.root / clinic.logo))
    layout = content.layout
    for name in patient_templates(layout.templates, language):
        parts[f"template:{name}"] = inputs.file(f"templates/{name}")
    parts[BUILTIN] = _builtin(layout, language)
    parts[TOOL] = __version__
    return parts


def _value(value: object) -> str:
    return MISSING if value is None else digest(str(value).encode("utf-8"))


def patient_templates(folder: Path, language: str) -> list[str]:
    """The files of a templates folder that may reach a patient's page in `language`:
    not the staff's pages, and of the message catalogs only that language's."""
    if not folder.is_dir():
        return []
    names = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if "__pycache__" in path.parts or name.startswith(STAFF) or path.is_dir():
            continue
        if name.startswith("locale/") and not _of_language(name, language):
            continue
        names.append(name)
    return names


def _of_language(name: str, language: str) -> bool:
    """`locale/es/LC_MESSAGES/messages.po` is of `es` and `es-MX`; `locale/messages.pot`
    (the translators' template) of none."""
    folder = name.split("/")[1].casefold().replace("_", "-") if name.count("/") > 1 else ""
    tag = language.casefold().replace("_", "-")
    return bool(folder) and folder in (tag, tag.split("-")[0])


def _builtin(layout: ContentLayout, language: str) -> str:
    """One digest of the built-in templates and messages that reach the aid's pages."""
    folder = layout.builtin_templates
    h = hashlib.sha256()
    for name in patient_templates(folder, language):
        h.update(name.encode("utf-8") + b"\0")
        try:
            h.update(read_bytes(folder / name, folder))
        except Unreadable:
            h.update(MISSING.encode())
    return h.hexdigest()[:16]
