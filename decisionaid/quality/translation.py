"""A translation keeps the figures: the same options, benefits and risks with the same
chances, the same sources and compare rows as the aid it translates. Words may change;
numbers may not. A translation of an older text is stale."""

from __future__ import annotations

from pathlib import Path

from ..content.load import line_of
from ..content.models import Aid
from ..content.root import Loaded
from ..problems import display_path
from .findings import Collector


def translation(loaded: Loaded, source: Loaded | None, c: Collector) -> None:
    """Compare a translation with its source aid; an error names both files and lines."""
    aid = loaded.aid
    if aid is None or source is None:
        return
    if source.aid is None:
        c.add("error", "translation-mismatch", f"its source {_where(source, ())} is not valid")
        return
    for loc, ours, theirs, what in _differences(aid, source.aid):
        c.add(
            "error",
            "translation-mismatch",
            f"{what}: here {ours}, in {_where(source, loc)} {theirs}; a translation keeps the "
            "options, figures, sources, compare rows, goals' answers and quiz answers of its "
            "source",
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


def _differences(ours: Aid, theirs: Aid) -> list[tuple[tuple, object, object, str]]:
    found: list[tuple[tuple, object, object, str]] = []

    def compare(loc: tuple, mine: object, other: object, what: str) -> None:
        if mine != other:
            found.append((loc, mine, other, what))

    compare(("options",), [o.id for o in ours.options], [o.id for o in theirs.options], "options")
    compare(("sources",), [s.id for s in ours.sources], [s.id for s in theirs.sources], "sources")
    compare(("compare",), len(ours.compare), len(theirs.compare), "compare rows")
    mine, other = list(ours.outcomes()), list(theirs.outcomes())
    compare(("options",), len(mine), len(other), "benefits and risks")
    for a, b in zip(mine, other, strict=False):
        compare(a.loc, (a.option.id, a.kind), (b.option.id, b.kind), "outcome")
        compare((*a.loc, "chance"), _figures(a.item), _figures(b.item), "chance")
        compare((*a.loc, "source"), a.item.source, b.item.source, "source")
        compare((*a.loc, "id"), a.item.id or "no id", b.item.id or "no id", "figure id")
        groups = [(sorted(g.factors), _numbers(g.chance)) for g in a.item.groups]
        theirs_groups = [(sorted(g.factors), _numbers(g.chance)) for g in b.item.groups]
        compare((*a.loc, "for"), groups, theirs_groups, "group figures")
    for loc, mine, other, what in expectation_differences(ours, theirs):
        compare(loc, mine, other, what)
    return found


def expectation_differences(ours: Aid, theirs: Aid) -> list[tuple[tuple, object, object, str]]:
    """The goals' ids and answers and the quiz's answers, which a translation keeps."""
    found: list[tuple[tuple, object, object, str]] = [
        (("goals",), [g.id for g in ours.goals], [g.id for g in theirs.goals], "goals"),
        (("quiz",), len(ours.quiz), len(theirs.quiz), "quiz statements"),
    ]
    for i, (mine, other) in enumerate(zip(ours.goals, theirs.goals, strict=False)):
        answers = {key: _answer(a) for key, a in mine.answers.items()}
        their_answers = {key: _answer(a) for key, a in other.answers.items()}
        found.append((("goals", i, "answers"), answers, their_answers, "goal answers"))
    for i, (mine, other) in enumerate(zip(ours.quiz, theirs.quiz, strict=False)):
        answer, their_answer = str(mine.answer).lower(), str(other.answer).lower()
        found.append((("quiz", i, "answer"), answer, their_answer, "quiz answer"))
        found.append((("quiz", i, "see"), mine.see, other.see, "quiz pointer (see)"))
    return found


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


def source_path(path: Path, translation_of: str | None = None) -> Path | None:
    """`aids/x.es.yaml` translates `aids/x.yaml`, or `aids/x.<translation_of>.yaml` when
    it says so (and that file exists); an untranslated file has no source, and a file
    never translates itself (`translation_of` naming its own language is an error)."""
    stem_id, _, language = path.stem.partition(".")
    if not language:
        return None
    if translation_of:
        if translation_of.casefold() == language.casefold():
            return None
        named = path.with_name(f"{stem_id}.{translation_of}.yaml")
        if named.is_file():
            return named
    return path.with_name(f"{stem_id}.yaml")
