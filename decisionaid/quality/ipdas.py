"""The IPDAS criteria that structured content can show, and the quality items beside them.

IPDAS minimum standards: Joseph-Williams et al., Med Decis Making 2014;34:699.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.models import Aid, Benefit, Chance
from .certainty import certain_words, missing_certainty
from .findings import Collector, Level
from .wording import scale_words


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    group: str  # "qualifying" | "certification" | "project" | "quality"
    met: bool


Failures = list[tuple[tuple, str]]  # (where, what is wrong and how to fix it)


@dataclass(frozen=True)
class _Spec:
    """One criterion as the aid meets it or not: each failure is a finding at its place."""

    code: str
    label: str
    group: str
    failures: Failures
    level: Level = "error"


def ipdas(aid: Aid, c: Collector) -> list[Criterion]:
    """Check every machine-checkable IPDAS criterion; add an error for each unmet one."""
    criteria = []
    for spec in (*_qualifying(aid), *_certification(aid), _quality(aid)):
        for loc, message in spec.failures:
            c.add(spec.level, spec.code, message, loc)
        criteria.append(Criterion(spec.code, spec.label, spec.group, not spec.failures))
    return criteria


def _qualifying(aid: Aid) -> list[_Spec]:
    """Without these it is not a decision aid (and the project's own rules beside
    them). The schema already requires the condition, the decision, two options, the
    living-with text and every chance's time frame."""
    options = list(enumerate(aid.options))
    two = "only one option: a decision needs at least two (one of them not having the procedure)"
    no_action = (
        "no option has no_action: true; add the option of not having the procedure (no "
        "treatment / wait) and mark it no_action: true"
    )
    return [
        _Spec(
            "ipdas-condition",
            "describes the condition (and what happens without treatment)",
            "qualifying",
            [],
        ),
        _Spec("ipdas-decision", "states the decision", "qualifying", []),
        _Spec(
            "ipdas-options",
            "describes at least two options",
            "qualifying",
            [] if len(options) >= 2 else [(("options",), two)],
        ),
        _Spec(
            "ipdas-benefits",
            "gives the benefits of each option",
            "qualifying",
            [
                (
                    ("options", i),
                    f"option '{o.id}' lists no benefits; add what it can do for the patient",
                )
                for i, o in options
                if not o.benefits
            ],
        ),
        _Spec(
            "ipdas-harms",
            "gives the harms of each option",
            "qualifying",
            [
                (
                    ("options", i),
                    f"option '{o.id}' lists no risks; add its harms or downsides "
                    "(for waiting: what may happen without treatment)",
                )
                for i, o in options
                if not o.risks
            ],
        ),
        _Spec("ipdas-living-with", "says what living with each option is like", "qualifying", []),
        _Spec(
            "ipdas-no-action",
            "offers not having the procedure (no treatment / wait)",
            "project",
            [] if any(o.no_action for _, o in options) else [(("options",), no_action)],
        ),
        _Spec("ipdas-timeframe", "gives every chance a time frame", "project", []),
    ]


def _certification(aid: Aid) -> list[_Spec]:
    """Missing one of these means a high risk of harmful bias."""
    chances = _all_chances(aid)
    return [
        _Spec(
            "ipdas-range",
            "shows the uncertainty (range) of every chance",
            "certification",
            [
                (loc, f"{what}: the chance has no range; add range: [low, high] from the evidence")
                for loc, what, chance, _ in chances
                if chance.range is None
            ],
        ),
        _Spec(
            "ipdas-source",
            "cites the evidence for every chance",
            "certification",
            [
                (loc, f"{what}: the chance cites no source; add source: <id>")
                for loc, what, _, source in chances
                if source is None
            ],
        ),
        _Spec("ipdas-date", "gives the production date (updated)", "certification", []),
        _Spec(
            "ipdas-update-policy",
            "states the update policy",
            "certification",
            [] if aid.update_policy else [((), "no update_policy: say how and when it is checked")],
        ),
        _Spec(
            "ipdas-funding",
            "states who funded it",
            "certification",
            []
            if aid.funding
            else [((), "no funding: say who paid for this handout (or that no one outside did)")],
        ),
        _Spec(
            "ipdas-conflicts",
            "states conflicts of interest",
            "certification",
            []
            if aid.conflicts
            else [((), "no conflicts: say whether the authors or reviewers gain from any option")],
        ),
    ]


def _quality(aid: Aid) -> _Spec:
    """Describes the quality of the evidence: a patient reads how sure each figure is;
    an approved aid must say it for every figure, a draft is warned."""
    return _Spec(
        "ipdas-certainty",
        "says how sure the evidence is of every chance (certainty)",
        "quality",
        missing_certainty(aid),
        "error" if aid.status == "approved" else "warning",
    )


def quality(aid: Aid, c: Collector) -> None:
    """IPDAS quality items: comparable chances, words that agree with them and with how
    sure they are, values and questions."""
    chances = aid.chances()
    if not chances:
        c.add(
            "warning",
            "no-chances",
            "no outcome has a chance; give the probabilities of the main benefits and risks",
            ("options",),
        )
    pers = sorted({ch.per for ch in chances})
    if len(pers) > 1:
        c.add(
            "info",
            "mixed-denominators",
            f"chances use {', '.join(f'{p:,}' for p in pers)} people; the handout shows "
            f"them all out of {pers[-1]:,} (and says so)",
            ("options",),
        )
    if not aid.values:
        c.add(
            "warning",
            "no-values",
            "no values: add 'what matters to you' statements so the patient can weigh the options",
        )
    if not aid.questions:
        c.add("warning", "no-questions", "no questions: add questions to ask the care team")
    _same_timeframe(aid, c)
    scale_words(aid, c)
    certain_words(aid, c)


def _same_timeframe(aid: Aid, c: Collector) -> None:
    """The same outcome in two options should be counted over the same time."""
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for ref in aid.outcomes():
        item, option = ref.item, ref.option
        if item.chance is None:
            continue
        key = _outcome_words(item)
        for other_key, (other_option, timeframe) in seen.items():
            alike = len(key & other_key) / max(len(key | other_key), 1) >= 0.5
            if alike and other_option != option.id and timeframe != item.chance.timeframe:
                c.add(
                    "warning",
                    "same-timeframe",
                    f"{_what(item)}: the same outcome in option '{other_option}' is "
                    f"counted '{timeframe}', here '{item.chance.timeframe}'; use one "
                    "time frame so the options can be compared",
                    (*ref.loc, "chance"),
                )
        seen.setdefault(key, (option.id, item.chance.timeframe))


def _outcome_words(item: Benefit) -> frozenset[str]:
    text = getattr(item, "name", None) or item.text
    return frozenset(w for w in re.findall(r"[a-z]{4,}", text.lower()))


def _all_chances(aid: Aid) -> list[tuple[tuple, str, Chance, str | None]]:
    """(where, what, chance, source) of every chance, the groups' included."""
    found = []
    for ref in aid.outcomes():
        item = ref.item
        if item.chance is not None:
            found.append(((*ref.loc, "chance"), _what(item), item.chance, item.source))
        for g, group in enumerate(item.groups):
            what = f"{_what(item)} for {' + '.join(group.factors)}"
            found.append(((*ref.loc, "for", g, "chance"), what, group.chance, group.source))
    return found


def _what(item: Benefit) -> str:
    return f"'{getattr(item, 'name', None) or item.text}'"
