"""Content words of a sentence, per language, for checks that ask whether two texts
speak of the same thing ("call us if you cannot see well" and the emergency sign
"Sudden trouble seeing") or whether a sentence names an option.

Light on purpose: lower case, accents and Arabic letter forms folded, a stop-word
list, a few suffixes (and Arabic prefixes) stripped, and a short list of words that
name the same sign in other words ("hurts" and "pain", "ve" and "vista"). No
dictionary, no network. `degree` words ("bad", "sudden", "heavy", "stop") tell
two signs apart ("heavy bleeding" is not "light bleeding"), but alone they do not
make a sentence about a sign.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class WordRules:
    """How one language's words are folded into stems."""

    language: str  # the primary subtag: "en", "es", "ar"
    name: str  # for messages: "English"
    normalize: Callable[[str], str]  # lower case, letter forms folded
    stem: Callable[[str], str]  # one normalized word -> its stem
    stop: frozenset[str]  # normalized words that say nothing about a sign
    degree: frozenset[str]  # normalized words that qualify a sign ("bad", "sudden")
    same: Mapping[str, str]  # normalized word or stem -> the stem of its synonym

    def stems(self, text: str, degree: bool = True) -> set[str]:
        """The stems of the content words of `text`; without `degree`, only the words
        that say what the sign is (not how bad or how sudden)."""
        found = set()
        for word in _WORD.findall(self.normalize(text)):
            if word in self.stop or (not degree and word in self.degree):
                continue
            stem = self.same.get(word) or self.stem(word)
            stem = self.same.get(stem, stem)
            if stem in self.stop or (not degree and stem in self.degree):
                continue
            if len(stem) >= 2:
                found.add(stem)
        return found


def _listed(text: str, normalize: Callable[[str], str]) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return frozenset(normalize(text).split())


def _same(groups: Mapping[str, str], normalize: Callable[[str], str]) -> dict[str, str]:
    """{stem: "word word ..."} -> {word: stem}: words that name the same sign."""
    return {word: stem for stem, words in groups.items() for word in _listed(words, normalize)}


# English


def _normalize_en(text: str) -> str:
    return text.lower().replace("’", "'")


_EN_SUFFIXES = (("ies", "y"), ("ness", ""), ("ful", ""), ("ing", ""), ("ed", ""), ("ly", ""))


def _stem_en(word: str) -> str:
    w = re.sub(r"'s$|s'$", "", word)
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    for suffix, replacement in _EN_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "ed" and w.endswith("eed"):  # "bleed", "need"
                continue
            w = w[: -len(suffix)] + replacement
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":  # "running" -> run
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:  # "breathe", "breath"
        w = w[:-1]
    return w


_EN_STOP = _listed(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can cannot can't could did do does doing don't
    down during each either few for from further get gets getting got had has have having
    he her here hers him his how i if in into is it it's its itself just let like may me
    might more most must my no nor not now of off on once one only or other our ours out
    over own please same she should so some such than that the their them then there these
    they this those through to too under until up us very was we were what when where which
    while who whom why will with within would you your yours yourself afterwards afterward
    well anything something thing things way back go goes going gone come comes feel feels
    felt seem seems keep keeps kept stay stays stayed turn turns turned become becomes make
    makes made take takes took happen happens sign signs day days week weeks hour hours
    minute minutes time times people person sure call phone contact tell wait waiting waits
    ask know need needs needed behind around near inside outside beside""",
    _normalize_en,
)
_EN_DEGREE = _listed(
    """bad badly severe severely sudden suddenly lot lots much worse worst heavy heavily
    light mild slight slightly new quick quickly slow slowly still really big large small
    little great strong stop stops stopped start starts started better high low""",
    _normalize_en,
)
_EN_SAME = _same(
    {
        "pain": "pain pains painful hurt hurts hurting ache aches aching",
        "see": "see sees seeing seen saw sight vision eyesight",
        "breath": "breath breathe breathes breathing breathless",
        "bleed": "bleed bleeds bleeding bled blood bloody",
        "swell": "swell swells swelling swollen",
        "numb": "numb numbness",
    },
    _normalize_en,
)

# Spanish


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    # Keep the tilde of ñ: "año" is not "ano".
    kept = "".join(
        ch for i, ch in enumerate(decomposed) if not (unicodedata.combining(ch) and ch != "\u0303")
    )
    return unicodedata.normalize("NFC", kept)


def _normalize_es(text: str) -> str:
    return _fold_accents(text.lower())


def _stem_es(word: str) -> str:
    w = word
    if w.endswith("es") and len(w) > 5:
        w = w[:-2]
    elif w.endswith("s") and len(w) > 4:
        w = w[:-1]
    if w[-1:] in ("a", "o", "e") and len(w) > 4:
        w = w[:-1]
    return w


_ES_STOP = _listed(
    """a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien cada
    como con contra cual cuando de del desde despues donde dos el ella ellas ello ellos
    en entre era eres es esa ese eso esta estan estar este esto estos fue ha hace hacer
    han hasta hay la las le les lo los mas me mi mis mismo mucho muy nada ni no nos
    nosotros o otra otro otros para pero poco por porque puede pueden que quien se sea
    segun ser si sin sobre solo son su sus tambien tan tanto te tener tiene tienen todo
    todos tu tus un una uno unos usted ustedes y ya debe deben vez veces dia dias semana
    semanas hora horas minuto minutos persona personas gente llamar llame llamenos
    llamarnos esperar espere seguir sigue siguen queda quedan quedar pasa pasar tenga
    tengo sentir siente cosa cosas luego enseguida seguida""",
    _normalize_es,
)
_ES_DEGREE = _listed(
    """mucho mucha muchos muchas fuerte fuertes grave graves repentina repentino
    repentinamente subito subita peor peores nuevo nueva leve leves poco lento lenta
    rapido rapida para parar detiene detener""",
    _normalize_es,
)
_ES_SAME = _same(
    {
        "dolor": "duele duelen doler dolor dolores adolorido adolorida adoloridos adoloridas "
        "dolorido dolorida doloroso dolorosa",
        "ver": "ve ver veo ven vista vision",
        "sangr": "sangra sangran sangrado sangrar sangre sangrando hemorragia",
        "respir": "respirar respira respiracion aliento",
        "hinch": "hinchazon hinchado hinchada hinchados hinchadas",
    },
    _normalize_es,
)

# Arabic

_TASHKEEL = re.compile(r"[\u064b-\u0652\u0670\u0640]")  # vowel marks and the tatweel


def _normalize_ar(text: str) -> str:
    text = _TASHKEEL.sub("", text.lower())
    return text.translate(str.maketrans("أإآةى", "اااهي"))


_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("ات", "ون", "ين", "ها", "هم", "كم", "ه", "ي")


def _stem_ar(word: str) -> str:
    w = word
    for prefix in _AR_PREFIXES:
        if w.startswith(prefix) and len(w) - len(prefix) >= 3:
            w = w[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w


_AR_STOP = _listed(
    """في من على الى إلى عن مع هذا هذه ذلك تلك هو هي هم أن إن ان او أو ثم لا لم لن ما
    ماذا كل بعض قد كان كانت يكون تكون إذا اذا لو حتى بعد قبل عند أي اي التي الذي الذين
    هناك هنا لك لكم لديك لدي لدينا ولا أيضا ايضا غير بين خلال منذ نحو يوم أيام اسبوع
    أسبوع أسابيع ساعة ساعات دقيقة دقائق شخص الناس اتصل اتصلي بنا انتظر تنتظر الانتظار
    يجب ظهر تصبح يصبح يبقى تبقى فوراً فورا""",
    _normalize_ar,
)
_AR_DEGREE = _listed(
    """شديد شديدة كثيرا كثيراً جدا جداً مفاجئ مفاجئة فجأة أسوأ اسوا سوءا سوءاً جديد
    جديدة خفيف خفيفة بطيء يتوقف توقف""",
    _normalize_ar,
)
_AR_SAME = _same(
    {
        "الم": "ألم الم يؤلم تؤلم مؤلم مؤلمة الألم",
        "نزف": "نزيف ينزف نزف النزيف",
        "رؤي": "رؤية الرؤية ترى يرى البصر النظر بصر نظر",
        "تنفس": "تنفس التنفس يتنفس تتنفس",
    },
    _normalize_ar,
)

_RULES = {
    "en": WordRules("en", "English", _normalize_en, _stem_en, _EN_STOP, _EN_DEGREE, _EN_SAME),
    "es": WordRules("es", "Spanish", _normalize_es, _stem_es, _ES_STOP, _ES_DEGREE, _ES_SAME),
    "ar": WordRules("ar", "Arabic", _normalize_ar, _stem_ar, _AR_STOP, _AR_DEGREE, _AR_SAME),
}


@cache
def word_rules(language: str) -> WordRules | None:
    """The rules for a language tag ("es-MX" uses Spanish's); None where there are none."""
    return _RULES.get(language.split("-")[0].lower())


def languages_with_rules() -> tuple[str, ...]:
    return tuple(_RULES)
