"""A translation matches its source item for item: every list (options, benefits,
risks, goals, quiz, warning signs, feelings, ...) has as many items as the source's.

A missing or extra item is reported at the translation's line (of the list, or of the
extra item), naming the source's item with its file, line and words. Items with an id
(options, goals, sources), a time (recovery steps) or a file (pictures) are matched by
it. Items of words only cannot be matched by their words across languages, so they
are matched by what a translation keeps: the numbers in them ("38 °C"), their figures,
answers and `see`, and their length (a translation runs longer or shorter than its
source by about the same ratio throughout, the idea of Gale and Church's sentence
alignment, 1993); such a match is a best guess, and the message says "probably".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..content.load import line_of
from ..content.models import Aid, Option
from ..content.root import Loaded
from ..content.texts import patient_texts
from ..problems import display_path
from .findings import Collector

SHOWN_CHARS = 60  # an item's words in a message, shortened to this
NUMBER = re.compile(r"\d+")
# Two items whose kept parts (a figure, an answer and `see`) differ are less alike
# than any two lengths; numbers in the words ("38 °C") weigh less, and numbers on one
# side only least, as a translation may write "day 3" for "the third day".
KEPT_WEIGHT, NUMBERS_WEIGHT, ONE_SIDED_NUMBERS = 4.0, 2.0, 0.5
# Below this difference in cost, two matches are as likely as each other: one item's
# length over its source's ranges from 0.7 to 1.4 in the examples (log: -0.35 to 0.34).
UNSURE = 0.5


@dataclass(frozen=True)
class Item:
    """One item of a list, as compared across languages."""

    loc: tuple[str | int, ...]  # where it stands in its file
    label: str  # its words, as a message shows them
    key: object = None  # what matches it for sure (an id, a time, a file), if anything
    kept: object = None  # what a translation keeps of it (a figure, an answer)
    numbers: tuple[int, ...] = ()
    length: int = 0


def item(loc: tuple, label: str, key: object = None, kept: object = None, words: str = "") -> Item:
    """An item; `words` (default: the label) give its numbers and its length."""
    words = words or label
    numbers = tuple(sorted(int(n) for n in NUMBER.findall(words)))
    return Item(loc, label, key, kept, numbers, len(words))


def texts(loc: tuple, strings: Iterable[str]) -> list[Item]:
    return [item((*loc, i), s) for i, s in enumerate(strings)]


@dataclass(frozen=True)
class Noun:
    one: str
    many: str

    def count(self, n: int) -> str:
        return f"{n} {self.one if n == 1 else self.many}"


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, int]]  # (index here, index in the source)
    missing: list[int]  # indexes in the source
    extra: list[int]  # indexes here
    guessed: bool  # matched by likeness, not by a key
    # When likeness cannot tell: every item that may be the missing (or extra) one.
    among: list[int] = field(default_factory=list)


class Lists:
    """Pairs each list of a translation with its source's, reporting what is missing or
    extra; the pairs are then compared field by field (translation.py)."""

    def __init__(self, source: Loaded, c: Collector, ratio: float) -> None:
        self.source, self.c, self.ratio = source, c, ratio

    def pair(
        self, loc: tuple, noun: Noun, ours: list[Item], theirs: list[Item], their_loc=None
    ) -> list[tuple[Item, Item]]:
        """The items of the list at `loc` here and its source's (at `their_loc`, by
        default the same), paired; what is missing or extra is reported."""
        found = align(ours, theirs, self.ratio)
        if found.missing or found.extra:
            self._report(loc, their_loc or loc, noun, ours, theirs, found)
        return [(ours[i], theirs[j]) for i, j in found.pairs]

    def where(self, loc: tuple) -> str:
        return f"{display_path(self.source.path)}:{line_of(self.source.data, loc)}"

    def _report(self, loc, their_loc, noun, ours, theirs, found: Alignment) -> None:
        counts = f"{noun.count(len(ours))} here, {len(theirs)} in {self.where(their_loc)}"
        if found.among:
            self._unsure(loc, counts, ours, theirs, found)
            return
        maybe = "probably " if found.guessed else ""
        for j in found.missing:
            self.c.add(
                "error",
                "translation-missing-item",
                f"{counts}; {maybe}missing: {shorten(theirs[j].label)} "
                f"({self.where(theirs[j].loc)}): translate it here, in the same place",
                loc,
            )
        for i in found.extra:
            self.c.add(
                "error",
                "translation-extra-item",
                f"{counts}; {maybe}not in the source: {shorten(ours[i].label)}: delete it "
                "here, or add it to the source first",
                ours[i].loc,
            )

    def _unsure(self, loc, counts: str, ours, theirs, found: Alignment) -> None:
        """Words alone cannot tell which item is missing (or extra): name each that may
        be, once, at the list's line."""
        if found.missing:
            named = [
                f"{shorten(theirs[j].label)} ({self.where(theirs[j].loc)})" for j in found.among
            ]
            self.c.add(
                "error",
                "translation-missing-item",
                f"{counts}; {len(found.missing)} missing, one of: {', '.join(named)}: "
                "translate it here, in the same place",
                loc,
            )
            return
        here = display_path(self.c.path)
        named = [
            f"{shorten(ours[i].label)} ({here}:{line_of(self.c.data, ours[i].loc)})"
            for i in found.among
        ]
        self.c.add(
            "error",
            "translation-extra-item",
            f"{counts}; {len(found.extra)} not in the source, one of: {', '.join(named)}: "
            "delete it here, or add it to the source first",
            loc,
        )


def shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 3].rstrip() + "..."
    return f"'{text}'"


def align(ours: list[Item], theirs: list[Item], ratio: float) -> Alignment:
    """Lists of one length pair item by item (a changed id or figure is a mismatch, not
    a missing item); others by key where the items have one, else by likeness."""
    if len(ours) == len(theirs):
        return Alignment([(i, i) for i in range(len(ours))], [], [], False)
    if all(x.key is not None for x in (*ours, *theirs)):
        return _by_key(ours, theirs)
    if len(ours) < len(theirs):
        kept, among = _likeliest(ours, theirs, ratio)
        missing = [j for j in range(len(theirs)) if j not in kept]
        return Alignment(list(enumerate(kept)), missing, [], True, among)
    kept, among = _likeliest(theirs, ours, 1 / ratio)
    extra = [i for i in range(len(ours)) if i not in kept]
    return Alignment([(i, j) for j, i in enumerate(kept)], [], extra, True, among)


def _by_key(ours: list[Item], theirs: list[Item]) -> Alignment:
    unmatched = list(range(len(theirs)))
    pairs, extra = [], []
    for i, mine in enumerate(ours):
        j = next((j for j in unmatched if theirs[j].key == mine.key), None)
        if j is None:
            extra.append(i)
        else:
            unmatched.remove(j)
            pairs.append((i, j))
    return Alignment(pairs, unmatched, extra, False)


def _likeliest(short: list[Item], long: list[Item], ratio: float) -> tuple[list[int], list[int]]:
    """Which items of `long` match `short`, in order, and, when the match is unsure,
    every item of `long` that may as well be the one left over (else none)."""
    kept, best = _subsequence(short, long, ratio)
    among = []
    for j in range(len(long)):
        others = long[:j] + long[j + 1 :]
        if j not in kept or _subsequence(short, others, ratio)[1] <= best + UNSURE:
            among.append(j)
    return kept, (among if len(among) > len(long) - len(short) else [])


def _subsequence(short: list[Item], long: list[Item], ratio: float) -> tuple[list[int], float]:
    """Which items of `long`, in order, match `short` item for item at the least cost
    (the others are left over), and that cost: dynamic programming over both lists."""
    n, m = len(long), len(short)
    if m == 0:
        return [], 0.0
    inf = math.inf
    # cost[i][j]: the least cost of matching short[:j] within long[:i].
    cost = [[0.0] + [inf] * m for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, min(i, m) + 1):
            match = cost[i - 1][j - 1] + _unlike(short[j - 1], long[i - 1], ratio)
            cost[i][j] = min(cost[i - 1][j], match)
    kept, i, j = [], n, m
    while j > 0:
        if i - 1 >= j and cost[i][j] == cost[i - 1][j]:
            i -= 1
            continue
        kept.append(i - 1)
        i, j = i - 1, j - 1
    return kept[::-1], cost[n][m]


def _unlike(short: Item, long: Item, ratio: float) -> float:
    """How unlike two items are: their lengths against the usual ratio, and the parts a
    translation keeps. `ratio`: the length of `short`'s text over `long`'s."""
    lengths = abs(math.log((short.length + 10) / (long.length + 10)) - math.log(ratio))
    kept = KEPT_WEIGHT if short.kept != long.kept else 0.0
    numbers = 0.0
    if short.numbers != long.numbers:
        both = short.numbers and long.numbers
        numbers = NUMBERS_WEIGHT if both else ONE_SIDED_NUMBERS
    return lengths + kept + numbers


def length_ratio(ours: Aid, theirs: Aid) -> float:
    """How much longer the translation runs than its source, over all its words."""
    mine = sum(len(t.text) for t in patient_texts(ours))
    other = sum(len(t.text) for t in patient_texts(theirs))
    return mine / other if mine and other else 1.0


# The items of each list, as `translation.py` pairs them.


OPTIONS, SOURCES = Noun("option", "options"), Noun("source", "sources")


def options(aid: Aid) -> list[Item]:
    return [item(("options", i), o.name, key=o.id) for i, o in enumerate(aid.options)]


def sources(aid: Aid) -> list[Item]:
    return [item(("sources", i), s.id, key=s.id) for i, s in enumerate(aid.sources)]


def outcomes(option: Option, loc: tuple, kind: str) -> list[Item]:
    """An option's benefits or risks (`loc`: the option's), known by their figures."""
    found = []
    for j, x in enumerate(getattr(option, kind)):
        figure = (x.chance.count, x.chance.per) if x.chance else None
        label = getattr(x, "name", None) or x.text
        kept = (figure, getattr(x, "severity", None), x.source)
        found.append(item((*loc, kind, j), label, kept=kept, words=f"{label} {x.text}"))
    return found


def recovery(option: Option, loc: tuple) -> list[Item]:
    return [
        item((*loc, "recovery", j), f"{s.at}: {s.what}", key=(s.amount, s.unit))
        for j, s in enumerate(option.recovery)
    ]


def pictures(loc: tuple, aid_or_option) -> list[Item]:
    return [
        item((*loc, "illustrations", j), p.caption or p.alt, key=p.file)
        for j, p in enumerate(aid_or_option.illustrations)
    ]


def compare_rows(aid: Aid) -> list[Item]:
    return [
        item(
            ("compare", i),
            row.question,
            kept=tuple(sorted(row.answers)),
            words=" ".join((row.question, *row.answers.values())),
        )
        for i, row in enumerate(aid.compare)
    ]


def quiz(aid: Aid) -> list[Item]:
    return [
        item(("quiz", i), q.statement, kept=(q.answer, q.see), words=f"{q.statement} {q.explain}")
        for i, q in enumerate(aid.quiz)
    ]


def goals(aid: Aid) -> list[Item]:
    return [item(("goals", i), g.hope, key=g.id) for i, g in enumerate(aid.goals)]
