"""The reading level of an aid, by a formula made for its language, over the text the
patient gets: the rendered handout's words (the template's headings, labels and key to
the chances as well as the aid's own), when the handout could be rendered.

English: Flesch-Kincaid grade and SMOG. Spanish: the Szigriszt-Pazos perspicuity on the
INFLESZ scale. Any other language: none (an English formula says nothing about Arabic),
and the report says the reading level was not measured in it. Per section, the aid's
own text is measured: that is what its author can change, at the line a finding names.
"""

from __future__ import annotations

from typing import Any

from ..content.models import Aid, Clinic
from ..content.texts import Loc, TextItem, patient_texts
from .findings import Collector
from .language import clip, hardest_sentence, language_name, sentence_line
from .page_text import page_text
from .readability import SPANISH_NORMAL, count_words, measure, spanish_ease

# What the figures were measured over (`reading.over` in `check --json`).
HANDOUT = "handout"  # the rendered handout, the template's words included
AID_TEXT = "aid"  # the aid's own fields only: the handout could not be rendered
OVER = {
    HANDOUT: "over the whole handout",
    AID_TEXT: "over the aid's own text only (the handout could not be rendered)",
}


def reading(aid: Aid, clinic: Clinic, c: Collector, html: str | None) -> dict[str, Any]:
    """The reading level of `aid`; `html` is its rendered handout (None when it could not
    be rendered: then the aid's own text is measured, and the report says so)."""
    # Labels (the title, option and risk names) are not sentences in the aid's own
    # text: measured as sentences they would make any text look easy. In the handout
    # they stand as headings, and are read as such.
    items = [item for item in patient_texts(aid) if item.loc[-1] not in ("title", "name")]
    sections: dict[str, list[TextItem]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    own = [item.text for item in items]
    texts, over = (page_text(html), HANDOUT) if html is not None else (own, AID_TEXT)
    language = aid.language.lower()
    if language.startswith("en"):
        return _english(texts, over, own, sections, aid.language, clinic, c)
    if language.startswith("es"):
        return _spanish(texts, over, own, sections, c)
    counted = count_words(texts)
    name = language_name(aid.language)
    c.add(
        "info",
        "reading-formula",
        f"reading level: not measured in {name}: no reading formula for {name} here "
        f"({counted['words']:,} words {OVER[over]}); ask a reader of {name} to check "
        "that the text is plain",
    )
    return {"formula": None, "over": over, "language_name": name, **counted}


def _spanish(
    texts: list[str],
    over: str,
    own: list[str],
    sections: dict[str, list[TextItem]],
    c: Collector,
) -> dict[str, Any]:
    overall = spanish_ease(texts)
    band = overall.band.replace("_", " ")
    c.add(
        "info" if overall.ease >= SPANISH_NORMAL else "warning",
        "reading-ease-es",
        f"Szigriszt-Pazos perspicuity {overall.ease} ({band} on the INFLESZ scale; "
        f"{SPANISH_NORMAL:g} or more is normal or easier) {OVER[over]} "
        f"({overall.words:,} words)",
    )
    return {
        "formula": "szigriszt-pazos",
        "scale": "inflesz",
        "over": over,
        **overall.as_dict(),
        "target": SPANISH_NORMAL,
        "aid_text": spanish_ease(own).as_dict(),
        "sections": {
            name: spanish_ease([t.text for t in items]).as_dict()
            for name, items in sections.items()
        },
    }


def _english(
    texts: list[str],
    over: str,
    own: list[str],
    sections: dict[str, list[TextItem]],
    language: str,
    clinic: Clinic,
    c: Collector,
) -> dict[str, Any]:
    overall = measure(texts, language)
    per_section = {
        name: measure([i.text for i in items], language).as_dict()
        for name, items in sections.items()
    }
    target = clinic.reading_grade
    c.add(
        "info",
        "reading-grade",
        f"reading grade {overall.grade} (Flesch-Kincaid grade {overall.flesch_kincaid}, "
        f"SMOG {overall.smog}) {OVER[over]} ({overall.words:,} words); target {target:g} "
        "or below",
    )
    if overall.grade > target:
        c.add(
            "warning",
            "reading-grade-high",
            f"reads at grade {overall.grade} {OVER[over]}, above the target of {target:g}: "
            "shorten the long sentences and replace the hard words listed below",
        )
    for name, measures in per_section.items():
        if measures["grade"] > target and measures["words"] >= 30:
            item, sentence, grade = hardest_sentence(sections[name], language)
            c.add(
                "info",
                "section-grade-high",
                f"section '{name}' reads at grade {measures['grade']}; its hardest sentence "
                f"(grade {grade}): '{clip(sentence)}'",
                *_section_loc(item, sentence, c),
            )
    return {
        "formula": "flesch-kincaid-smog",
        "over": over,
        **overall.as_dict(),
        "target": target,
        "aid_text": measure(own, language).as_dict(),
        "sections": per_section,
    }


def _section_loc(item: TextItem, sentence: str, c: Collector) -> tuple[Loc, int]:
    """Where to rewrite: the field of the hardest sentence, and its line in a block."""
    return item.loc, sentence_line(c.data, item.loc, item.text, sentence)
