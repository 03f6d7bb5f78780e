"""A translation keeps the figures: the same options, benefits and risks with the same
chances, the same sources and compare rows as the aid it translates, and as many items
in every list (translation_items.py). Words may change; numbers may not. A translation
of an older text is stale."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.load import line_of
from ..content.models import Aid, Option
from ..content.root import Loaded
from ..problems import display_path
from . import translation_items as items
from .findings import Collector
from .translation_items import OPTIONS, SOURCES, Item, Lists, Noun


@dataclass
class Differences:
    """What a translation changed of what it keeps, each with its line in both files."""

    found: list[tuple[tuple, tuple, object, object, str]] = field(default_factory=list)

    def compare(self, loc: tuple, mine: object, other: object, what: str, their_loc=None) -> None:
        if mine != other:
            self.found.append((loc, loc if their_loc is None else their_loc, mine, other, what))

    def in_order(self, loc: tuple, what: str, pairs: list[tuple[Item, Item]]) -> None:
        """Items matched by key, across lists of different lengths, keep the order."""
        mine = [a.key for a, _ in pairs]
        other = [b.key for _, b in sorted(pairs, key=lambda pair: pair[1].loc)]
        self.compare(loc, mine, other, f"{what} order")


# What each list's items are called in a message ("2 signs here, 3 in ...").
TEXT_LISTS = {
    "uncertainties": Noun("uncertainty", "uncertainties"),
    "expectations": Noun("expectation", "expectations"),
    "values": Noun("value", "values"),
    "questions": Noun("question", "questions"),
    "feelings": Noun("feeling", "feelings"),
}


def translation(loaded: Loaded, source: Loaded | None, c: Collector) -> None:
    """Compare a translation with its source aid; an error names both files and lines."""
    aid = loaded.aid
    if aid is None or source is None:
        return
    if source.aid is None:
        c.add("error", "translation-mismatch", f"its source {_where(source, ())} is not valid")
        return
    lists = Lists(source, c, items.length_ratio(aid, source.aid))
    for loc, their_loc, ours, theirs, what in _differences(aid, source.aid, lists):
        c.add(
            "error",
            "translation-mismatch",
            f"{what}: here {ours}, in {_where(source, their_loc)} {theirs}; a translation "
            "keeps the options, figures, sources, compare rows, goals' answers and quiz "
            "answers of its source",
            loc,
        )
    if source.aid.updated > aid.updated:
        c.add(
            "warning",
            "translation-stale",
            f"its source was updated {source.aid.updated.isoformat()}, after this translation "
            f"({aid.updated.isoformat()}): translate the changes, then update `updated`",
            ("updated",),
        )


def _where(source: Loaded, loc: tuple) -> str:
    return f"{display_path(source.path)}:{line_of(source.data, loc)}"


def _differences(ours: Aid, theirs: Aid, lists: Lists) -> list:
    d = Differences()
    options = lists.pair(("options",), OPTIONS, items.options(ours), items.options(theirs))
    _keys(d, ("options",), "options", options, len(ours.options) == len(theirs.options))
    for a, b in options:
        _option(d, ours.options[int(a.loc[1])], theirs.options[int(b.loc[1])], a.loc, b.loc, lists)
    sources = lists.pair(("sources",), SOURCES, items.sources(ours), items.sources(theirs))
    _keys(d, ("sources",), "sources", sources, len(ours.sources) == len(theirs.sources))
    rows = items.compare_rows(ours), items.compare_rows(theirs)
    lists.pair(("compare",), Noun("compare row", "compare rows"), *rows)
    _goals(d, ours, theirs, lists)
    _quiz(d, ours, theirs, lists)
    _text_lists(ours, theirs, lists)
    _pictures(d, (), (), ours, theirs, lists)
    return d.found


def _keys(d: Differences, loc: tuple, what: str, pairs: list, same_length: bool) -> None:
    """A list of ids: of one length, the same ids in order (a renamed id is a mismatch,
    not a missing item); else the ids both have, in the same order."""
    if same_length:
        d.compare(loc, [a.key for a, _ in pairs], [b.key for _, b in pairs], what)
    else:
        d.in_order(loc, what, pairs)


def _option(d: Differences, mine: Option, other: Option, loc, their_loc, lists: Lists) -> None:
    """One option's benefits and risks (their figures), recovery steps and pictures."""
    for kind in ("benefits", "risks"):
        pairs = lists.pair(
            (*loc, kind), Noun(kind[:-1], kind),
            items.outcomes(mine, loc, kind), items.outcomes(other, their_loc, kind),
            (*their_loc, kind),
        )  # fmt: skip
        for a, b in pairs:
            x, y = getattr(mine, kind)[int(a.loc[-1])], getattr(other, kind)[int(b.loc[-1])]
            d.compare((*a.loc, "chance"), _figures(x), _figures(y), "chance", (*b.loc, "chance"))
            d.compare((*a.loc, "source"), x.source, y.source, "source", (*b.loc, "source"))
            ids = (x.id or "no id", y.id or "no id")
            d.compare((*a.loc, "id"), *ids, "figure id", (*b.loc, "id"))
            groups = [(sorted(g.factors), _numbers(g.chance)) for g in x.groups]
            their_groups = [(sorted(g.factors), _numbers(g.chance)) for g in y.groups]
            d.compare((*a.loc, "for"), groups, their_groups, "group figures", (*b.loc, "for"))
    steps = lists.pair(
        (*loc, "recovery"), Noun("recovery step", "recovery steps"),
        items.recovery(mine, loc), items.recovery(other, their_loc), (*their_loc, "recovery"),
    )  # fmt: skip
    for a, b in steps:
        at, their_at = mine.recovery[int(a.loc[-1])].at, other.recovery[int(b.loc[-1])].at
        d.compare((*a.loc, "at"), at, their_at, "recovery step time (at)", (*b.loc, "at"))
    if len(mine.recovery) != len(other.recovery):
        d.in_order((*loc, "recovery"), "recovery steps", steps)
    _pictures(d, loc, their_loc, mine, other, lists)


def _pictures(d: Differences, loc: tuple, their_loc: tuple, mine, other, lists: Lists) -> None:
    """The pictures of the aid (`loc` ()) or of one option: the same files."""
    pairs = lists.pair(
        (*loc, "illustrations"), Noun("picture", "pictures"),
        items.pictures(loc, mine), items.pictures(their_loc, other),
        (*their_loc, "illustrations"),
    )  # fmt: skip
    for a, b in pairs:
        d.compare((*a.loc, "file"), a.key, b.key, "picture file", (*b.loc, "file"))


def _text_lists(ours: Aid, theirs: Aid, lists: Lists) -> None:
    """Lists of words only: uncertainties, ..., feelings, warning signs, authors."""
    for key, noun in TEXT_LISTS.items():
        mine, other = getattr(ours, key), getattr(theirs, key)
        lists.pair((key,), noun, items.texts((key,), mine), items.texts((key,), other))
    for kind in ("call_us", "emergency"):
        loc = ("warning_signs", kind)
        mine = getattr(ours.warning_signs, kind) if ours.warning_signs else []
        other = getattr(theirs.warning_signs, kind) if theirs.warning_signs else []
        lists.pair(loc, Noun("sign", "signs"), items.texts(loc, mine), items.texts(loc, other))
    names = [a.name for a in ours.authors], [a.name for a in theirs.authors]
    lists.pair(
        ("authors",), Noun("author", "authors"),
        items.texts(("authors",), names[0]), items.texts(("authors",), names[1]),
    )  # fmt: skip


def _goals(d: Differences, ours: Aid, theirs: Aid, lists: Lists) -> None:
    """The goals' ids and answers (can, may, cannot), which a translation keeps."""
    goals = lists.pair(("goals",), Noun("goal", "goals"), items.goals(ours), items.goals(theirs))
    _keys(d, ("goals",), "goals", goals, len(ours.goals) == len(theirs.goals))
    for a, b in goals:
        mine, other = ours.goals[int(a.loc[1])], theirs.goals[int(b.loc[1])]
        answers = {key: _answer(x) for key, x in mine.answers.items()}
        their_answers = {key: _answer(x) for key, x in other.answers.items()}
        loc, their_loc = (*a.loc, "answers"), (*b.loc, "answers")
        d.compare(loc, answers, their_answers, "goal answers", their_loc)


def _quiz(d: Differences, ours: Aid, theirs: Aid, lists: Lists) -> None:
    """The quiz's answers and where each is explained (`see`)."""
    noun = Noun("quiz statement", "quiz statements")
    for a, b in lists.pair(("quiz",), noun, items.quiz(ours), items.quiz(theirs)):
        mine, other = ours.quiz[int(a.loc[1])], theirs.quiz[int(b.loc[1])]
        answer, their_answer = str(mine.answer).lower(), str(other.answer).lower()
        d.compare((*a.loc, "answer"), answer, their_answer, "quiz answer", (*b.loc, "answer"))
        d.compare((*a.loc, "see"), mine.see, other.see, "quiz pointer (see)", (*b.loc, "see"))


def _answer(given) -> str:
    """A hope's answer as a translation keeps it: by hand, or from the same figure."""
    if given.figure is None:
        return str(given.answer)
    return f"figure {given.figure}, met when it {given.met_when.replace('avoided', 'is avoided')}"


def _figures(item) -> object:
    return _numbers(item.chance) if item.chance else None


def _numbers(chance) -> tuple:
    """What a translation keeps of a figure: the numbers, and how sure they are."""
    return (chance.count, chance.per, chance.range, chance.certainty)
