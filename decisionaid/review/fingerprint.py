"""One digest of everything an aid's handout is made from: the aid file, the glossary
entries and patient factors it uses, and its pictures (publish/inputs.py's MadeFrom).

What all aids share (templates, clinic.yaml, fonts, the tool) is left out: a clinic
that changes its address has not changed what a clinician approved. Each part is kept
with its own digest, so that `diff` can say which picture or definition changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..content.glossary import Glossary
from ..content.models import Factor
from ..content.root import ContentRoot, Loaded
from ..handout.texts import glossary_terms
from ..publish.inputs import MISSING, Inputs, digest, made_from, term_digest
from ..settings import BuildOptions

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
    for picture in made.pictures:
        name = inputs.name(picture)
        parts[f"picture:{name}"] = inputs.file(name)
    for term in made.terms:
        parts[f"term:{term.term}"] = term_digest(term)
    factors, _ = content.factors(aid.language) if made.factors else ({}, [])
    for factor_id in made.factors:
        factor = factors.get(factor_id)
        parts[f"factor:{factor_id}"] = factor_digest(factor) if factor else MISSING
    return Fingerprint.of(parts)
