"""One place to call in an emergency.

The emergency box sends the patient to the emergency number at once. Any other text
of the aid that tells the patient to call the clinic ("call us") or to wait ("wait",
"at your next visit") about a sign listed under `warning_signs.emergency` gives the
patient two places to call for one sign: an error at the line of that sentence. A
`call_us` sign that is the same as an emergency sign (one's words all in the other's)
is the same error in a list: the patient cannot tell which box it belongs to.

A sentence is about an emergency sign when they share a content word (quality/stems.py:
light stemming, stop words, a few synonyms) that no `call_us` sign has; a word both
lists have ("eye", "bleeding") counts only beside what sets the emergency sign apart
("heavy bleeding"). A quiz statement answered false is not read:
the quiz says it is wrong (its explanation is read). The phrases are per language;
an aid in a language without them gets a note, never a silent pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.models import Aid
from ..content.texts import TextItem, patient_texts
from .findings import Collector
from .language import clip, sentence_line
from .readability import sentences
from .stems import WordRules, languages_with_rules, word_rules


@dataclass(frozen=True)
class Phrases:
    """What sends a patient to the clinic, or tells them to wait, in one language
    (matched on the text as `WordRules.normalize` folds it)."""

    call: re.Pattern[str]
    wait: re.Pattern[str]
    negation: re.Pattern[str]  # just before a phrase, it says the opposite: "do not wait"


_PHRASES = {
    "en": Phrases(
        call=re.compile(
            r"\b(?:call|phone|ring|contact|text|e-?mail|message)\s+(?:us|the\s+(?:clinic|"
            r"office|practice|surgeon|doctor|nurse|team|ward)|your\s+(?:surgeon|doctor|nurse|"
            r"clinic|care\s+team|team))\b|\b(?:tell|visit)\s+us\b|\bcome\s+(?:and\s+)?see\s+us\b"
            r"|\blet\s+us\s+know\b|\bget\s+in\s+touch\b|\bcome\s+(?:back\s+)?to\s+the\s+clinic\b"
        ),
        wait=re.compile(
            r"\bwait(?:s|ing)?(?:\s+and\s+see)?\b|\b(?:at|until|till|before)\s+your\s+(?:next\s+)?(?:visit|"
            r"appointment|check-?up|follow-?up)\b|\bnext\s+(?:visit|appointment)\b"
            r"|\bduring\s+(?:office|clinic|opening)\s+hours\b|\bin\s+the\s+morning\b"
            r"|\btomorrow\b|\bsee\s+if\s+it\s+(?:gets\s+better|goes\s+away|stops)\b"
        ),
        negation=re.compile(r"\b(?:not|never|no\s+need\s+to|n't)\s+(?:\w+\s+)?$"),
    ),
    "es": Phrases(
        call=re.compile(
            r"\bllam(?:enos|arnos|anos)\b|\bllame\s+(?:a\s+(?:la\s+clinica|nosotros|su\s+"
            r"(?:cirujan[oa]|medic[oa]|clinica|enfermer[oa]|equipo))|al\s+(?:consultorio|"
            r"cirujan[oa]|medic[oa]|equipo))\b|\b(?:contactenos|contactarnos|avisenos|avisarnos"
            r"|diganos|decirnos|escribanos|escribirnos|consultenos)\b|\bcomuniquese\s+con\s+"
            r"(?:nosotros|la\s+clinica|su\s+\w+)\b|\bvenga\s+a\s+(?:la\s+clinica|vernos)\b"
        ),
        wait=re.compile(
            r"\besper(?:e|ar|ando|en|ad)(?:\s+y\s+ver)?\b|\b(?:en|hasta)\s+(?:su|la)\s+(?:proxima|siguiente)\s+"
            r"(?:visita|cita|consulta|revision)\b|\ben\s+su\s+(?:control|revision|cita|visita)\b"
            r"|\ben\s+horario\s+de\s+(?:oficina|consulta)\b|\bmanana\b"
        ),
        negation=re.compile(r"\b(?:no|nunca|sin)\s+(?:\w+\s+)?$"),
    ),
    "ar": Phrases(
        call=re.compile(
            r"\bاتصل(?:ي|وا)?\s+(?:بنا|بالعياده|بعيادتنا|بالطبيب|بطبيبك|بالجراح|بجراحك|بفريقنا)\b"
            r"|\bتواصل(?:ي|وا)?\s+معنا\b|\bراجع(?:ي|وا)?\s*(?:نا|العياده)\b"
            r"|\b(?:اخبر|ابلغ|كلم)(?:ي|وا)?نا\b"
        ),
        wait=re.compile(
            r"\b(?:ا|ت)نتظر(?:ي|وا)?\b|\b(?:في|حتي|حتى)\s+(?:زيارتك|موعدك|الموعد|موعد)\s+"
            r"(?:القادم|التالي|المتابعه)\b|\bموعد\s+المتابعه\b"
        ),
        negation=re.compile(r"(?:^|\s)(?:لا|لم|لن)\s+(?:\S+\s+)?$"),
    ),
}


def emergency(aid: Aid, c: Collector) -> None:
    """Every sentence that sends an emergency sign to the clinic, or tells the patient
    to wait with it, and every call_us sign that is an emergency sign."""
    signs = aid.warning_signs
    if signs is None or not signs.emergency:
        return
    rules, phrases = word_rules(aid.language), _PHRASES.get(aid.language.split("-")[0].lower())
    if rules is None or phrases is None:
        c.add(
            "info",
            "emergency-not-checked",
            f"not checked in '{aid.language}': whether any text sends an emergency sign to the "
            f"clinic is checked in {', '.join(languages_with_rules())} only; read the text "
            "with a clinician who reads the language",
            ("warning_signs", "emergency"),
        )
        return
    call_us = set().union(*(rules.stems(text) for text in signs.call_us))
    emergency_signs = [_Sign.of(text, rules, call_us) for text in signs.emergency]
    for item in _texts(aid):
        for sentence in sentences(item.text):
            _sentence(item, sentence, emergency_signs, rules, phrases, c)
    _call_us_signs(aid, rules, c)


@dataclass(frozen=True)
class _Sign:
    """An emergency sign's words: what it is about, and what sets it apart from the
    clinic's signs."""

    text: str
    words: frozenset[str]  # its content words but the degree words
    call_us: frozenset[str]  # of those, the words a call_us sign has too
    apart: frozenset[str]  # its words (degree words too) that no call_us sign has

    @classmethod
    def of(cls, text: str, rules: WordRules, call_us: set[str]) -> _Sign:
        words = frozenset(rules.stems(text, degree=False))
        return cls(text, words, words & call_us, frozenset(rules.stems(text) - call_us))

    def about(self, sentence: set[str], sentence_all: set[str]) -> bool:
        shared = self.words & sentence
        if shared - self.call_us:
            return True
        return bool(shared) and bool(self.apart) and self.apart <= sentence_all


def _texts(aid: Aid) -> list[TextItem]:
    """Every text a patient reads but the emergency list itself, the options' names (a
    label: the no-action option may well be called "Wait and see"), and a quiz
    statement answered false (the quiz teaches that it is wrong)."""
    false = {("quiz", i, "statement") for i, q in enumerate(aid.quiz) if not q.answer}
    names = {("options", i, "name") for i in range(len(aid.options))}
    return [
        item
        for item in patient_texts(aid)
        if item.loc[:2] != ("warning_signs", "emergency") and item.loc not in false | names
    ]


def _sentence(
    item: TextItem,
    sentence: str,
    emergency_signs: list[_Sign],
    rules: WordRules,
    phrases: Phrases,
    c: Collector,
) -> None:
    folded = rules.normalize(sentence)
    said = _phrase(phrases.call, folded, phrases) or _phrase(phrases.wait, folded, phrases)
    if said is None:
        return
    # The phrases' own words ("see" in "wait and see") say nothing about a sign.
    rest = phrases.wait.sub(" ", phrases.call.sub(" ", folded))
    words, all_words = rules.stems(rest, degree=False), rules.stems(rest)
    about = [sign.text for sign in emergency_signs if sign.about(words, all_words)]
    if not about:
        return
    what = "to wait" if phrases.wait.search(said) else "to call the clinic"
    signs = " and ".join(f"'{clip(text, 50)}'" for text in about)
    c.add(
        "error",
        "emergency-sent-to-clinic",
        f"'{clip(sentence)}' tells the patient {what} ('{said}') about {signs}, listed "
        "under emergency: the emergency box says to call the emergency number at once. Say "
        'the same here ("call the emergency number at once"), or take the sign out of '
        "warning_signs.emergency if it is not an emergency",
        item.loc,
        sentence_line(c.data, item.loc, item.text, sentence),
    )


def _phrase(pattern: re.Pattern[str], folded: str, phrases: Phrases) -> str | None:
    """The first phrase of `pattern` in the sentence that no negation turns around."""
    for match in pattern.finditer(folded):
        if not phrases.negation.search(folded[: match.start()]):
            return match.group(0)
    return None


def _call_us_signs(aid: Aid, rules: WordRules, c: Collector) -> None:
    signs = aid.warning_signs
    if signs is None:
        return
    emergency_signs = [(text, rules.stems(text)) for text in signs.emergency]
    for i, text in enumerate(signs.call_us):
        stems = rules.stems(text)
        for sign, theirs in emergency_signs:
            if stems and theirs and (stems <= theirs or theirs <= stems):
                c.add(
                    "error",
                    "emergency-sign-in-call-us",
                    f"call_us sign '{clip(text, 50)}' is the emergency sign '{clip(sign, 50)}' "
                    "in other words: the patient cannot tell whether to call the clinic or the "
                    "emergency number. Keep it in one list, or say what tells them apart "
                    '("light bleeding ..." under call_us, "heavy bleeding ..." under emergency)',
                    ("warning_signs", "call_us", i),
                )
                break
