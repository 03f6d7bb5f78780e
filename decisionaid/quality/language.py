"""Plain-language checks on the patient-facing text, each pointing at a line."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ..content.glossary import Glossary
from ..content.texts import TextItem
from ..handout.locale import babel_locale
from .findings import Collector
from .readability import measure, sentences, syllables, words

MAX_SENTENCE_WORDS = 25

_RELATIVE_RISK = re.compile(
    r"\b(?:twice|three times|\d+(?:\.\d+)?\s*times|half) as (?:likely|common|often)\b"
    r"|\b\d+(?:\.\d+)?\s*(?:times|x)\s+(?:more|less|higher|lower)\b"
    r"|\b\d+(?:\.\d+)?\s*%\s*(?:lower|higher|less|more|reduction|increase)\b"
    r"|\b(?:halves|doubles|triples|cuts)\s+(?:the|your)\s+(?:risk|chance)\b"
    r"|\breduces? (?:the|your) (?:risk|chance) by\b|\brelative risk\b",
    re.IGNORECASE,
)
# Words that look medical: Greek and Latin endings of clinical terms.
_MEDICAL = re.compile(
    r"\b[a-z]+(?:itis|ectomy|otomy|ostomy|plasty|oscopy|osis|emia|aemia|algia|oma|opathy|"
    r"ectasia|genic|lysis|plegia|rrhea|rrhoea|trophy)\b",
    re.IGNORECASE,
)
_BE = r"(?:is|are|was|were|be|been|being|will be|may be|can be|should be|must be)"
# Words ending in -ed that are not past participles ("It is red at first").
_NOT_PARTICIPLES = (
    "red|bed|shed|need|seed|bleed|speed|hundred|feed|breed|greed|deed|heed|weed|"
    "sacred|naked|wicked|crooked|rugged|jagged|ragged|kindred"
)
_PASSIVE = re.compile(
    rf"\b{_BE}\s+(?:\w+ly\s+)?(?!(?:{_NOT_PARTICIPLES})\b)"
    r"(\w+ed|done|given|taken|seen|made|put|shown|known|told|"
    r"kept|held|sent|brought|found|left|set|cut|worn|written)\b",
    re.IGNORECASE,
)
INSTRUCTION_FIELDS = ("next_steps", "living_with")


@cache
def common_words() -> frozenset[str]:
    text = files("decisionaid.quality").joinpath("common_words.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def sentence_line(data: Any, loc: tuple, text: str, sentence: str) -> int:
    """How many lines below its key a sentence of a multi-line (block) value stands."""
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return 0
    if not isinstance(node, LiteralScalarString | FoldedScalarString):
        return 0
    start = text.find(sentence[:20])
    before = text[: max(start, 0)]
    if isinstance(node, LiteralScalarString):
        return 1 + before.count("\n")
    return 1 + _folded_lines(before, getattr(node, "fold_pos", None) or ())


def _folded_lines(before: str, folds: Any) -> int:
    """Source lines a folded (`>`) value's text spans: a run of n line breaks in the
    value was n + 1 in the file (the end of a line and n blank lines), and each line
    that was folded into a space is one more (ruamel keeps where: `fold_pos`)."""
    runs = re.findall(r"\n+", before)
    spaces = sum(1 for i in folds if i < len(before) and before[i] == " ")
    return sum(len(run) + 1 for run in runs) + spaces


def hardest_sentence(items: list[TextItem], language: str) -> tuple[TextItem, str, float]:
    """The sentence with the highest reading grade, and the text it stands in: a finding
    about a section's grade is only useful if it says which sentence to rewrite."""
    graded = [
        (measure([sentence], language).grade, i, sentence)
        for i, item in enumerate(items)
        for sentence in sentences(item.text)
    ]
    grade, i, sentence = max(graded, key=lambda g: g[0])  # the first of equals
    return items[i], sentence, grade


# The rules whose word lists and patterns exist in English only: in another language
# each is reported as not checked (`not-checked-in-language`), never as a clean pass.
ENGLISH_ONLY_RULES = {
    "relative-risk": "relative-risk wording",
    "passive-voice": "passive voice in instructions",
    "jargon": "medical-looking words not in the glossary",
    "hard-words": "words of three or more syllables",
}
# Run on the aid's outcomes (quality/wording.py), with an English word list.
ENGLISH_ONLY_AID_RULES = {
    "word-contradicts-scale": "frequency words that contradict a chance's scale word",
}


def language_name(tag: str) -> str:
    """ "es" → "Spanish", for the staff's English messages; the tag if Babel has no name."""
    found = babel_locale(tag)
    return (found.get_display_name("en") if found else None) or tag


def not_checked(rules: dict[str, str], language: str, c: Collector) -> list[str]:
    """Say, rule by rule, what was not checked in a language other than English; the
    codes of those rules (none for English)."""
    if language.lower().startswith("en"):
        return []
    name = language_name(language)
    for code, what in rules.items():
        c.add(
            "info",
            "not-checked-in-language",
            f"not checked in {name}: {what} ({code}); the rule exists for English only, so "
            f"ask a reader of {name} to check it",
        )
    return list(rules)


def plain_language(
    items: list[TextItem], glossary: Glossary, jargon: list[str], language: str, c: Collector
) -> list[str]:
    """Relative risks in text, long sentences, hard words, jargon, passive voice (chances
    written in text: quality/chances.py, in every language); the codes of the rules that
    could not run in `language`."""
    known = glossary.known_words
    extra_jargon = {w.casefold() for w in jargon}
    english = language.lower().startswith("en")
    unchecked = not_checked(ENGLISH_ONLY_RULES, language, c) if items else []
    for item in items:
        _long_sentences(item, c)
        if english:
            _phrases(item, c)
            _words(item, known, extra_jargon, language, c)
    return unchecked


# (code, pattern, message) for wording that misleads about chances.
_PHRASE_CHECKS = (
    (
        "relative-risk",
        _RELATIVE_RISK,
        "'{}' is relative-risk wording, which sways choices; give the absolute chance for "
        "each option instead",
    ),
)


def _phrases(item: TextItem, c: Collector) -> None:
    checks = list(_PHRASE_CHECKS)
    if item.loc[-1] in INSTRUCTION_FIELDS:
        checks.append(
            (
                "passive-voice",
                _PASSIVE,
                '\'{}\' is passive; say who does it ("you will", "we will")',
            )
        )
    for code, pattern, message in checks:
        for match in pattern.finditer(item.text):
            line = sentence_line(c.data, item.loc, item.text, match.group(0))
            c.add("warning", code, message.format(match.group(0)), item.loc, line)


def _long_sentences(item: TextItem, c: Collector) -> None:
    for sentence in sentences(item.text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            line = sentence_line(c.data, item.loc, item.text, sentence)
            c.add(
                "warning",
                "long-sentence",
                f"sentence of {count} words (over {MAX_SENTENCE_WORDS}); split it: "
                f"'{clip(sentence)}'",
                item.loc,
                line,
            )


def _words(
    item: TextItem, known: frozenset[str], extra_jargon: set[str], language: str, c: Collector
) -> None:
    """Jargon and hard words that the glossary does not explain, one finding per field."""
    hard, jargon = [], []
    for word in dict.fromkeys(w.lower().strip("'’-") for w in words(item.text)):
        if word in known:
            continue
        if word in extra_jargon or _MEDICAL.fullmatch(word):
            jargon.append(word)
        elif syllables(word, language) >= 3 and word not in common_words():
            hard.append(word)
    if jargon:
        c.add(
            "warning",
            "jargon",
            f"medical-looking word(s) not in the glossary: {', '.join(jargon)}; use a plain "
            "word or add them to the glossary",
            item.loc,
        )
    if hard:
        c.add(
            "info",
            "hard-words",
            f"words of three or more syllables: {', '.join(hard)}; use shorter words where you can",
            item.loc,
        )


def clip(text: str, limit: int = 70) -> str:
    """A quote short enough for a one-line finding."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
