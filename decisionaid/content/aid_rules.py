"""The rules across an aid's fields that the models alone cannot say: ids unique and
referred to, one no-action option, recovery steps in time order, group figures beside
a general one, pictures that exist, links of the allowed kinds. Each problem is tied
to the line of the key it is about."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..problems import Problem, shown
from .links import SCHEMES, refused_links
from .load import dotted, example, line_of
from .models import Aid, Factor, Illustration
from .shared_rules import picture_problem


def aid_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """The rules that span fields: ids unique and referred to, one no-action option."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    # aids/<id>.yaml, or aids/<id>.<language>.yaml for a translation.
    stem_id, _, stem_language = path.stem.partition(".")
    if aid.id != stem_id:
        message = f"id '{shown(aid.id)}' must match the file name '{shown(path.stem)}.yaml'"
        found.append((("id",), message))
    if stem_language and aid.language.casefold() != stem_language.casefold():
        found.append(
            (
                ("language",),
                f"language '{aid.language}' must match the file name's '.{shown(stem_language)}'",
            )
        )
    if aid.translation_of and aid.translation_of.casefold() == aid.language.casefold():
        found.append(
            (
                ("translation_of",),
                f"translation_of '{aid.translation_of}' is this file's own language, so it "
                "would be compared with itself: name the language of the aid it translates "
                f"(en for aids/{shown(aid.id)}.yaml), or remove translation_of",
            )
        )
    if aid.status == "approved" and not aid.approved_by:
        found.append((("status",), "an approved aid needs approved_by (who approved it)"))
    if aid.review_by <= aid.updated:
        found.append((("review_by",), "review_by must be after updated"))

    found += _duplicates("options", "id", [o.id for o in aid.options])
    found += _duplicates("sources", "id", [s.id for s in aid.sources])

    # A missing no-action option is an IPDAS finding (quality/ipdas.py); two are an error.
    no_action = [i for i, option in enumerate(aid.options) if option.no_action]
    for i in no_action[1:]:
        found.append((("options", i, "no_action"), "only one option may have no_action: true"))

    source_ids = {s.id for s in aid.sources}
    for ref in aid.outcomes():
        source = ref.item.source
        if source is not None and source not in source_ids:
            found.append(
                (
                    (*ref.loc, "source"),
                    f"source '{shown(source)}' is not one of the sources "
                    f"({_names(sorted(source_ids)) or 'none listed'})",
                )
            )

    option_ids = list(dict.fromkeys(o.id for o in aid.options))
    for i, row in enumerate(aid.compare):
        for key in row.answers:
            if key not in option_ids:
                found.append(
                    (
                        ("compare", i, "answers", key),
                        f"'{shown(key)}' is not an option id ({_names(option_ids)})",
                    )
                )
        for key in option_ids:
            if key not in row.answers:
                found.append((("compare", i, "answers"), f"no answer for option '{shown(key)}'"))

    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def _duplicates(field: str, key: str, ids: list[str]) -> list[tuple[tuple[str | int, ...], str]]:
    counts = Counter(ids)
    seen: set[str] = set()
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, value in enumerate(ids):
        if counts[value] > 1 and value in seen:
            found.append(((field, i, key), f"{key} '{shown(value)}' is used more than once"))
        seen.add(value)
    return found


def factor_rules(
    aid: Aid, data: Any, path: Path, factors: dict[str, Factor], factors_file: Path
) -> list[Problem]:
    """A group figure names known factors, sits beside a general figure with the same
    time frame, and each set of factors appears once per outcome."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for ref in aid.outcomes():
        general = ref.item.chance
        seen: set[frozenset[str]] = set()
        for g, group in enumerate(ref.item.groups):
            loc = (*ref.loc, "for", g)
            for k, factor in enumerate(group.factors):
                if factor not in factors:
                    known = _names(sorted(factors)) or f"none: add factors/{factors_file.name}"
                    message = f"unknown factor '{shown(factor)}' (factors: {known})"
                    found.append(((*loc, "factors", k), message))
            if general is None:
                found.append((loc, "a group figure needs the general chance beside it"))
            elif group.chance.timeframe != general.timeframe:
                found.append(
                    (
                        (*loc, "chance", "timeframe"),
                        f"time frame '{shown(group.chance.timeframe)}' differs from the general "
                        f"figure's '{shown(general.timeframe)}': count both over the same time",
                    )
                )
            key = frozenset(group.factors)
            if key in seen:
                found.append(((*loc, "factors"), "this set of factors is listed twice"))
            seen.add(key)
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def recovery_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """Each option's recovery steps are in time order (an error where the order breaks)."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, option in enumerate(aid.options):
        steps = option.recovery
        for j in range(1, len(steps)):
            before, step = steps[j - 1], steps[j]
            if step.days <= before.days:
                found.append(
                    (
                        ("options", i, "recovery", j, "at"),
                        f"'{shown(step.at)}' does not come after '{shown(before.at)}': put the "
                        "steps in time order",
                    )
                )
    return [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]


def illustration_rules(aid: Aid, data: Any, path: Path, root: Path) -> list[Problem]:
    """Every picture is a PNG, JPEG or SVG file inside the content root, by its content."""
    places: list[tuple[tuple[str | int, ...], Illustration]] = [
        (("illustrations", k), picture) for k, picture in enumerate(aid.illustrations)
    ]
    for i, option in enumerate(aid.options):
        places += [
            (("options", i, "illustrations", k), picture)
            for k, picture in enumerate(option.illustrations)
        ]
    problems = []
    for loc, picture in places:
        where = (*loc, "file")
        problem = picture_problem(root, picture.file, (path, line_of(data, where), dotted(where)))
        if problem:
            problems.append(problem)
    return problems


def markdown_fields(aid: Aid) -> list[tuple[tuple[str | int, ...], str]]:
    """Every Markdown field of an aid, with where it stands."""
    fields: list[tuple[tuple[str | int, ...], str]] = [
        (("condition",), aid.condition),
        (("next_steps",), aid.next_steps),
    ]
    for i, option in enumerate(aid.options):
        fields += [(("options", i, "description"), option.description)]
        fields += [(("options", i, "living_with"), option.living_with)]
    for name in ("uncertainties", "expectations", "feelings"):
        fields += [((name, i), text) for i, text in enumerate(getattr(aid, name))]
    return fields


def link_rules(aid: Aid, data: Any, path: Path) -> list[Problem]:
    """Links may be https:, http:, mailto: or tel: only (content/links.py says why)."""
    schemes = ", ".join(f"{s}:" for s in sorted(SCHEMES, reverse=True))
    return [
        Problem(
            path,
            line_of(data, loc),
            dotted(loc),
            f"the link '{shown(href)}' is not allowed: a handout links only to {schemes} "
            "(a relative link or a file path would point into the computer that made it); "
            "write the full https:// address, or the words without a link",
        )
        for loc, text in markdown_fields(aid)
        for href in refused_links(text)
    ]


def _names(names: list[str]) -> str:
    """Ids listed in a message, cut short when there are many long ones."""
    return example(", ".join(names))
