"""Balance: the aid does not lean towards one option.

- `hopes-favour-one-option`: every hope (two or more) gives the same option the
  better answer (can over likely over may over cannot) than another option: each answered can or
  may for one and cannot for the no-action option, say. The patient who leans the
  other way finds nothing for them in "What can each option do for you?". A hope both
  get the same answer for (a hope no option can meet, say) favours neither.
- `time-to-decide-steers`: a sentence of `time_to_decide` that names one option (by
  the words of its name no other option's name has, its id, or for the no-action
  option words such as "wait") and says it is safe, best, right or recommended. Time
  to decide is about time, not about which option.
"""

from __future__ import annotations

import re
from itertools import permutations

from ..content.expectations import ANSWERS
from ..content.models import Aid, Option
from ..handout.figures import handout_answers
from .findings import Collector
from .language import clip, sentence_line
from .readability import sentences
from .stems import WordRules, word_rules

MIN_HOPES = 2  # one hope that favours an option is no pattern
_RANK = {answer: len(ANSWERS) - i for i, answer in enumerate(ANSWERS)}  # can 4 … cannot 1

# Words that say one option is the one to choose, on the text as WordRules.normalize
# folds it (Spanish without accents; Arabic with one alef and ه for ة).
_STEERS = {
    "en": re.compile(
        r"\b(?:safe|safer|safest|best|better|right|wise|wiser|wisest|sensible|ideal|preferred|"
        r"recommend\w*|advise\w*|should|good\s+(?:choice|idea|option|first\s+step))\b"
    ),
    "es": re.compile(
        r"\b(?:segur[oa]s?|mejor(?:es)?|correct[oa]s?|adecuad[oa]s?|sensat[oa]s?|ideal|"
        r"recomend\w*|aconse\w*|deberia\w*|conviene|buena\s+(?:opcion|idea|eleccion))\b"
    ),
    "ar": re.compile(
        r"(?:^|\s)(?:امن|امنه|الامن|افضل|الافضل|الانسب|الصحيح|الصائب|ننصح|نوصي|ينصح|يوصي|"
        r"ينبغي|خيار\s+جيد)(?=\s|$|[.,،؛!؟])"
    ),
}
# Words for the no-action option, whatever its name ("It is safest to wait").
_NO_ACTION = {
    "en": ("wait", "waiting", "nothing", "no treatment", "no surgery"),
    "es": ("esperar", "espere", "nada", "sin cirugia", "sin tratamiento"),
    "ar": ("الانتظار", "انتظر", "بدون جراحه", "دون جراحه"),
}


def balance(aid: Aid, c: Collector) -> None:
    _hopes(aid, c)
    _time_to_decide(aid, c)


def _hopes(aid: Aid, c: Collector) -> None:
    ids = [option.id for option in aid.options]
    names = {option.id: option.name for option in aid.options}
    answers = handout_answers(aid)  # derived from their figures where they name one
    for better, worse in permutations(ids, 2):
        ranks = [
            (_RANK[answers[goal.id, better]], _RANK[answers[goal.id, worse]])
            for goal in aid.goals
            if better in goal.answers and worse in goal.answers
        ]
        if len(ranks) >= MIN_HOPES and all(b > w for b, w in ranks):
            c.add(
                "warning",
                "hopes-favour-one-option",
                f"every hope favours '{names[better]}' over '{names[worse]}' (a better "
                f"answer in all {len(ranks)}): add what people who "
                f"choose '{names[worse]}' often hope for and can get (such as \"Avoid the "
                'risks of an operation"), so that the table is fair to both',
                ("goals",),
            )
            return


def _time_to_decide(aid: Aid, c: Collector) -> None:
    text = aid.time_to_decide
    if not text:
        return
    language = aid.language.split("-")[0].lower()
    rules, steers = word_rules(aid.language), _STEERS.get(language)
    if rules is None or steers is None:
        c.add(
            "info",
            "steering-not-checked",
            f"not checked in '{aid.language}': whether time_to_decide steers towards one "
            "option is checked in English, Spanish and Arabic only",
            ("time_to_decide",),
        )
        return
    for sentence in sentences(text):
        folded = rules.normalize(sentence)
        word = steers.search(folded)
        named = _options_named(aid, sentence, rules, language)
        if word is None or len(named) != 1:
            continue
        c.add(
            "warning",
            "time-to-decide-steers",
            f"'{clip(sentence)}' steers towards '{named[0].name}' ('{word.group(0).strip()}'): "
            "time to decide is about time, not which option; say that the patient can take the "
            'time they need ("You do not have to decide today. Take the time you need.")',
            ("time_to_decide",),
            sentence_line(c.data, ("time_to_decide",), text, sentence),
        )


def _options_named(aid: Aid, sentence: str, rules: WordRules, language: str) -> list[Option]:
    """The options a sentence names: by a word of its name that no other option's name
    has, by its id ("splint-and-wait" as words), or the no-action option by words such
    as "wait". A mention inside a longer one ("surgery" in "no surgery") is the longer's."""
    tokens = re.findall(r"\w+", rules.normalize(sentence))
    stems = [rules.same.get(t) or rules.stem(t) for t in tokens]
    own = {option.id: rules.stems(option.name) for option in aid.options}
    spans: dict[str, list[range]] = {}
    for option in aid.options:
        others = set().union(*(s for key, s in own.items() if key != option.id))
        phrases = [option.id.replace("-", " ")]
        if option.no_action:
            phrases += [rules.normalize(p) for p in _NO_ACTION.get(language, ())]
        found = [span for p in phrases for span in _find(tokens, p.split())]
        found += [range(i, i + 1) for i, s in enumerate(stems) if s in own[option.id] - others]
        spans[option.id] = found
    named = []
    for option in aid.options:
        longer = [s for key, found in spans.items() if key != option.id for s in found]
        if any(not _inside(span, longer) for span in spans[option.id]):
            named.append(option)
    return named


def _find(tokens: list[str], phrase: list[str]) -> list[range]:
    n = len(phrase)
    return [range(i, i + n) for i in range(len(tokens) - n + 1) if tokens[i : i + n] == phrase]


def _inside(span: range, others: list[range]) -> bool:
    """Within a longer span of another option."""
    return any(o.start <= span.start and span.stop <= o.stop and len(o) > len(span) for o in others)
