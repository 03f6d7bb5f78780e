"""The criteria of two standards that content can show, each met, partly met or not
met, with the field that meets it: the IPDAS certification criteria (Joseph-Williams
et al., 2014) and the essential criteria of NICE's standards framework for shared
decision-making support tools (ECD8, 2021).

The labels are our own words. Only what an aid file can show is listed: how a tool was
scoped or used in practice is for the people who make it. `approve` refuses an aid
that does not meet every IPDAS certification criterion listed here; the check shows
them all but raises no finding for them (a draft is on its way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..content.certainty_rules import figures
from ..content.models import Aid

Met = Literal["met", "partly", "not_met"]
IPDAS = "IPDAS certification"
NICE = "NICE ECD8 essential"


@dataclass(frozen=True)
class Standard:
    framework: str  # IPDAS or NICE
    code: str
    label: str
    met: Met
    field: str  # the field that meets it
    missing: str = ""  # what to add, when not met

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "code": self.code,
            "label": self.label,
            "met": self.met,
            "field": self.field,
            "missing": self.missing,
        }


def _share(done: int, total: int) -> Met:
    if total and done == total:
        return "met"
    return "partly" if done else "not_met"


def _flag(present: object) -> Met:
    return "met" if present else "not_met"


def standards(aid: Aid) -> list[Standard]:
    """Every criterion of both standards that content can show, for one aid."""
    dev = aid.development
    chances = list(figures(aid))
    sourced = sum(1 for f in chances if f.source is not None)
    ranged = sum(1 for f in chances if f.chance.range is not None)
    certain = sum(1 for f in chances if f.chance.certainty is not None)
    credentials = sum(1 for a in aid.authors if a.credentials)
    declared = sum(1 for a in aid.authors if a.interests)
    interests = _share(declared + bool(aid.conflicts), len(aid.authors) + 1)
    patients = bool(dev and dev.tested_with_patients)
    clinicians = bool(dev and dev.tested_with_clinicians)
    reviewed = bool(dev and dev.reviewed_by)
    searched = bool(dev and dev.evidence_search)
    n = len(chances)

    def row(framework: str, code: str, label: str, met: Met, field: str, missing: str):
        return Standard(framework, code, label, met, field, "" if met == "met" else missing)

    return [
        row(IPDAS, "ipdas-cert-sources", "cites the evidence for every figure",
            _share(sourced, n), "sources; each chance's source", "a source for every chance"),
        row(IPDAS, "ipdas-cert-date", "gives the date it was made or updated",
            "met", "updated", ""),
        row(IPDAS, "ipdas-cert-update-policy", "says how and when it is updated",
            _flag(aid.update_policy), "update_policy", "update_policy"),
        row(IPDAS, "ipdas-cert-uncertainty", "shows how uncertain every figure is",
            _share(ranged, n), "each chance's range", "a range for every chance"),
        row(IPDAS, "ipdas-cert-funding", "says who paid for it",
            _flag(aid.funding), "funding", "funding"),
        row(IPDAS, "ipdas-cert-interests", "declares conflicts and each author's interests",
            interests, "conflicts; authors[].interests", "conflicts and every author's interests"),
        row(IPDAS, "ipdas-cert-credentials", "gives the authors' credentials",
            _share(credentials, len(aid.authors)), "authors[].credentials",
            "credentials for every author"),
        row(IPDAS, "ipdas-cert-evidence-search", "gives the date of the evidence search",
            _flag(searched), "development.evidence_search", "development.evidence_search"),
        row(IPDAS, "ipdas-cert-tested-patients", "was tested with patients",
            _flag(patients), "development.tested_with_patients",
            "development.tested_with_patients"),
        row(IPDAS, "ipdas-cert-tested-clinicians",
            "was tested with clinicians who did not write it",
            "met" if clinicians else "partly" if reviewed else "not_met",
            "development.tested_with_clinicians", "development.tested_with_clinicians"),
        row(NICE, "nice-audience", "says who it is for", "met", "audience", ""),
        row(NICE, "nice-condition", "describes the condition and what the options aim to do",
            "met", "condition; options[].description", ""),
        row(NICE, "nice-options", "sets out every option, doing nothing included",
            _flag(len(aid.options) > 1 and any(o.no_action for o in aid.options)),
            "options; no_action", "a second option, and one with no_action: true"),
        row(NICE, "nice-outcomes",
            "gives each option's benefits and harms, with chances shown as pictures",
            _outcomes(aid, n), "options[].benefits, risks; chance",
            "benefits and risks for every option, with chances"),
        row(NICE, "nice-values", "helps the person weigh what matters to them",
            _flag(aid.values), "values", "values"),
        row(NICE, "nice-evidence", "says where the evidence comes from and how sure it is",
            _evidence(sourced, certain, n), "sources; each chance's certainty",
            "a source and a certainty for every chance"),
        row(NICE, "nice-development", "keeps a record of how it was developed",
            _share(searched + (patients or clinicians) + reviewed, 3), "development",
            "development: evidence_search, testing and reviewed_by"),
        row(NICE, "nice-interests", "declares the interests of those who made it",
            interests, "conflicts; authors[].interests", "conflicts and every author's interests"),
        row(NICE, "nice-independent-check", "was checked by someone who did not write it",
            _flag(reviewed), "development.reviewed_by", "development.reviewed_by"),
        row(NICE, "nice-user-testing", "was tested with the people who will use it",
            _share(patients + clinicians, 2),
            "development.tested_with_patients, tested_with_clinicians",
            "testing with patients and with clinicians"),
        row(NICE, "nice-review", "is reviewed by a set date and when the evidence changes",
            _flag(aid.update_policy), "update_policy; review_by", "update_policy"),
    ]  # fmt: skip


def _outcomes(aid: Aid, chances: int) -> Met:
    both = all(o.benefits and o.risks for o in aid.options)
    if both and chances:
        return "met"
    return "partly" if any(o.benefits or o.risks for o in aid.options) else "not_met"


def _evidence(sourced: int, certain: int, total: int) -> Met:
    if total and sourced == certain == total:
        return "met"
    return "partly" if sourced or certain else "not_met"


def unmet(rows: Sequence[Standard], framework: str = IPDAS) -> list[Standard]:
    """The rows of a framework that are not fully met."""
    return [row for row in rows if row.framework == framework and row.met != "met"]
