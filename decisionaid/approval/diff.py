"""What changed since an aid was approved, in words.

The approved version's copy (approval/store.py) and the aid as it is now are compared
as data, field by field: a figure "from about 8 in 100 to about 12 in 100", an option
or a goal added or removed, a certainty lowered, a sentence changed word by word, and,
beside the aid file, a glossary definition or a patient factor it uses, and its
pictures. Lists of items with an `id` are matched by id, other items by their name or
text, so that adding a risk is said as one risk added, not as every later risk changed.
The words are for authors and reviewers (the terminal and the quality page), in
English like the check's messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ..content.certainty import rank
from ..content.glossary import Glossary, Term
from ..content.load import read_yaml
from ..content.models import Aid, Factor
from ..content.root import AID_FILE, ContentRoot, Loaded
from ..content.texts import glossary_terms
from ..content.validate import to_model
from ..output.inputs import MISSING
from ..problems import display_path, shown
from .fingerprint import BUILTIN, TOOL, Fingerprint
from .outcome_parts import outcome_changes
from .state import ApprovalState
from .store import Approval, approved_copy

MAX_EDITS = 6  # word-level edits listed for one text; past that it was rewritten
# The singular of a list's key, for "risk 'Bruising' added".
NOUNS = {
    "options": "option",
    "benefits": "benefit",
    "risks": "risk",
    "sources": "source",
    "authors": "author",
    "compare": "compare row",
    "uncertainties": "item of 'what we do not know'",
    "expectations": "item of 'what to expect'",
    "values": "value",
    "questions": "question",
    "recovery": "recovery step",
    "illustrations": "picture",
    "for": "group figure",
    "keywords": "keyword",
    "reviewed_by": "reviewer",
    "interests": "interest",
}
LABELS = ("id", "name", "question", "term", "at", "file", "factors", "text")


@dataclass(frozen=True)
class Change:
    """One change, where it is and what it is, in words."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


@dataclass(frozen=True)
class Diff:
    """The changes since `approval` (none found: the file changed in comments only)."""

    approval: Approval
    changes: tuple[Change, ...]


def changes_since(
    content: ContentRoot, loaded: Loaded, glossary: Glossary, state: ApprovalState
) -> Diff | None:
    """What changed since the aid's last approval (None when it was never approved)."""
    if loaded.aid is None or state.last is None:
        return None
    factors, _ = content.factors(loaded.aid.language)
    terms = glossary_terms(loaded.aid, glossary)
    return since_approval(content, loaded, state.last, state.fingerprint, terms, factors)


def since_approval(
    content: ContentRoot,
    loaded: Loaded,
    approval: Approval,
    now: Fingerprint,
    terms: Iterable[Term],
    factors: dict[str, Factor],
) -> Diff:
    """What changed in the loaded aid (and what it uses) since `approval`."""
    aid = loaded.aid
    assert aid is not None
    found: list[Change] = []
    copy = approved_copy(content.layout, aid.id, aid.language, approval)
    data, problems = read_yaml(copy, AID_FILE, content.root)
    old, more = to_model(Aid, data, copy) if data is not None else (None, [])
    if old is None:
        reason = "; ".join(p.message for p in [*problems, *more][:1]) or "it cannot be read"
        found.append(Change("", f"the approved copy {display_path(copy)} cannot be read: {reason}"))
    else:
        found += aid_changes(old, aid)
    found += _terms(approval.terms, list(terms))
    found += _factors(approval.factors, {f: factors[f] for f in aid.factor_ids() if f in factors})
    found += _pictures(approval.parts, now.parts)
    found += shared_changes(approval.parts, now.parts)
    found += [Change(*pair) for pair in outcome_changes(approval.parts, now.parts, aid)]
    if not found and approval.fingerprint != now.digest:
        found.append(
            Change("aid file", "changed in comments or layout only: nothing a patient reads")
        )
    return Diff(approval, tuple(found))


def aid_changes(old: Aid, new: Aid) -> list[Change]:
    """Every change between two versions of an aid, field by field."""
    found: list[Change] = []
    _value((), _plain(old), _plain(new), found)
    return found


def _plain(aid: Aid) -> dict[str, Any]:
    return aid.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def _value(path: tuple[str, ...], old: Any, new: Any, found: list[Change]) -> None:
    if old == new:
        return
    where = " › ".join(path)
    if isinstance(old, dict) and isinstance(new, dict):
        if {"count", "per"} <= old.keys() & new.keys():
            found += [Change(where, "; ".join(chance_changes(old, new)))]
            return
        for key in [*new, *(k for k in old if k not in new)]:
            _key((*path, key), key, old.get(key), new.get(key), found)
    elif isinstance(old, list) and isinstance(new, list):
        _list(path, old, new, found)
    elif isinstance(old, str) and isinstance(new, str):
        found.append(Change(where, words(old, new)))
    else:
        found.append(Change(where, f"from {_short(old)} to {_short(new)}"))


def _key(path: tuple[str, ...], key: str, old: Any, new: Any, found: list[Change]) -> None:
    where = " › ".join(path)
    if old is None:
        found.append(Change(where, f"added: {_short(new)}"))
    elif new is None:
        found.append(Change(where, f"removed (it was {_short(old)})"))
    else:
        _value(path, old, new, found)


def _list(path: tuple[str, ...], old: list[Any], new: list[Any], found: list[Change]) -> None:
    key = path[-1] if path else ""
    noun = NOUNS.get(key, key.removesuffix("s") or "item")
    parent = path[:-1]
    if all(isinstance(x, dict) and "id" in x for x in [*old, *new]):
        before = {x["id"]: x for x in old}
        after = {x["id"]: x for x in new}
        for item_id, item in after.items():
            label = f"{noun} '{_called(key, item)}'"
            if item_id not in before:
                found.append(Change(" › ".join(parent), f"{label} added{_named(item)}"))
            else:
                _value((*parent, label), before[item_id], item, found)
        for item_id, item in before.items():
            if item_id not in after:
                label = f"{noun} '{_called(key, item)}'"
                found.append(Change(" › ".join(parent), f"{label} removed{_named(item)}"))
        return
    labels_old, labels_new = [_label(x) for x in old], [_label(x) for x in new]
    matcher = SequenceMatcher(None, labels_old, labels_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # Equal labels, and replaced ones as far as both sides go, are the same item.
        pairs = (
            []
            if tag in ("insert", "delete")
            else list(zip(range(i1, i2), range(j1, j2), strict=False))
        )
        for i, j in pairs:
            if old[i] == new[j]:
                continue
            if isinstance(old[i], str) and isinstance(new[j], str):
                label = f"{noun} {j + 1}"
                found.append(Change(" › ".join((*parent, label)), words(old[i], new[j])))
            else:
                _value((*parent, f"{noun} '{_clip(labels_new[j])}'"), old[i], new[j], found)
        for i in range(i1 + len(pairs), i2):
            found.append(Change(" › ".join(parent), f"{noun} '{_clip(labels_old[i])}' removed"))
        for j in range(j1 + len(pairs), j2):
            found.append(Change(" › ".join(parent), f"{noun} '{_clip(labels_new[j])}' added"))


def _called(key: str, item: dict[str, Any]) -> str:
    """An item matched by its id, as the reader knows it: an option or a hope by its id,
    a benefit or a risk (whose id is only for referring to its figure) by its name or
    text."""
    if key in ("benefits", "risks"):
        return _clip(_label({k: v for k, v in item.items() if k != "id"}))
    return str(item["id"])


def _label(item: Any) -> str:
    if isinstance(item, dict):
        for key in LABELS:
            if key in item:
                value = item[key]
                return " + ".join(value) if isinstance(value, list) else str(value)
    return str(item)


def _named(item: dict[str, Any]) -> str:
    name = item.get("name") or item.get("text")
    return f" ({_clip(str(name))})" if name else ""


def chance_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """A figure's changes in words: the number, its range, its time frame, its certainty."""
    found = []
    if (old["count"], old["per"]) != (new["count"], new["per"]):
        found.append(f"the chance went from {about(old)} to {about(new)}")
    if old.get("range") != new.get("range"):
        found.append(f"its range went from '{_range(old)}' to '{_range(new)}'")
    if old.get("timeframe") != new.get("timeframe"):
        found.append(f"its time frame: {words(old.get('timeframe', ''), new.get('timeframe', ''))}")
    before, after = old.get("certainty"), new.get("certainty")
    if before != after:
        found.append(certainty_change(before, after))
    if old.get("certainty_why") != new.get("certainty_why"):
        why_old, why_new = old.get("certainty_why"), new.get("certainty_why")
        if why_old and why_new:
            found.append(f"why it is that sure: {words(why_old, why_new)}")
        else:
            found.append(f"why it is that sure: {'added' if why_new else 'removed'}")
    return found


def about(chance: dict[str, Any]) -> str:
    return f"about {chance['count']:,} in {chance['per']:,}"


def _range(chance: dict[str, Any]) -> str:
    low_high = chance.get("range")
    return f"{low_high[0]:,} to {low_high[1]:,}" if low_high else "none"


def certainty_change(before: str | None, after: str | None) -> str:
    def name(level: str | None) -> str:
        return (level or "").replace("_", " ")

    if before is None:
        return f"certainty added: {name(after)}"
    if after is None:
        return f"certainty removed (it was {name(before)})"
    direction = "lowered" if rank(after) > rank(before) else "raised"
    return f"certainty {direction} from {name(before)} to {name(after)}"


def words(old: str, new: str) -> str:
    """What changed in a text, word by word: "'fold' became 'crease'; added 'of the lid'
    after 'crease'"."""
    a, b = old.split(), new.split()
    edits = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace":
            edits.append(f"'{_join(a[i1:i2])}' became '{_join(b[j1:j2])}'")
        elif tag == "delete":
            edits.append(f"removed '{_join(a[i1:i2])}'")
        elif tag == "insert":
            place = f"after '{_join(b[max(0, j1 - 3) : j1])}'" if j1 else "at the start"
            edits.append(f"added '{_join(b[j1:j2])}' {place}")
    if not edits:  # only spacing or line breaks
        return "spacing changed"
    if len(edits) > MAX_EDITS:
        return f"rewritten: it was '{_clip(old)}', it is '{_clip(new)}'"
    return "; ".join(edits)


def _terms(approved: dict[str, str], now: list[Term]) -> list[Change]:
    found = []
    current = {term.term: term.definition for term in now}
    for term, definition in current.items():
        where = f"glossary '{term}'"
        if term not in approved:
            found.append(Change(where, "now in 'Words to know' (the text uses it)"))
        elif approved[term] != definition:
            found.append(Change(where, f"its definition: {words(approved[term], definition)}"))
    for term in approved:
        if term not in current:
            found.append(Change(f"glossary '{term}'", "no longer in 'Words to know'"))
    return found


def _factors(approved: dict[str, str], now: dict[str, Factor]) -> list[Change]:
    found = []
    for factor_id, factor in now.items():
        where = f"factor '{factor_id}'"
        if factor_id not in approved:
            found.append(Change(where, "added"))
        elif approved[factor_id] != factor.group:
            found.append(
                Change(where, f"its group's words: {words(approved[factor_id], factor.group)}")
            )
    for factor_id in approved:
        if factor_id not in now:
            found.append(Change(f"factor '{factor_id}'", "no longer used"))
    return found


def _pictures(approved: dict[str, str], now: dict[str, str]) -> list[Change]:
    found = []
    names = dict.fromkeys(k for k in [*now, *approved] if k.startswith("picture:"))
    for key in names:
        name = key.removeprefix("picture:")
        if key not in approved:
            found.append(Change(f"picture {name}", "added"))
        elif key not in now:
            found.append(Change(f"picture {name}", "removed"))
        elif approved[key] != now[key]:
            found.append(Change(f"picture {name}", "the file changed"))
    return found


# What each kind of part is called in `diff`: the file a change is in, from its name.
_WHERE = {
    "source:": lambda name: f"translation source {name}",
    "logo:": lambda name: f"logo {name}",
    "template:": lambda name: f"templates/{name}",
}


def shared_changes(approved: dict[str, str], now: dict[str, str]) -> list[Change]:
    """Changes in what the aid shares with others (clinic.yaml's printed settings, the
    logo, template overrides and catalogs, the built-in templates, the tool), and in a
    translation's source. An approval recorded before the fingerprint covered them says
    so once, instead of naming each as added."""
    if TOOL not in approved:
        return [
            Change(
                "approval",
                "the fingerprint now covers more inputs (the translation source, the "
                "clinic's printed settings, the logo, templates and messages, the tool's "
                "version); approve again",
            )
        ]
    found = []
    for key in dict.fromkeys([*now, *approved]):
        before, after = approved.get(key), now.get(key)
        if before == after:
            continue
        if key.startswith("clinic:"):
            setting = key.removeprefix("clinic:")
            state = "set" if before == MISSING else "removed" if after == MISSING else "changed"
            found.append(Change("clinic.yaml", f"{setting} {state}"))
        elif key == BUILTIN:
            found.append(
                Change("built-in templates", "changed (the words or layout the tool prints)")
            )
        elif key == TOOL:
            found.append(Change("DecisionAid", f"version {before} became {after}"))
        else:
            prefix = next((p for p in _WHERE if key.startswith(p)), None)
            if prefix is None:
                continue
            what = "added" if before is None else "removed" if after is None else "changed"
            found.append(Change(_WHERE[prefix](key.removeprefix(prefix)), what))
    return found


def _join(items: list[str]) -> str:
    return _clip(" ".join(items))


def _clip(text: str) -> str:
    return shown(" ".join(text.split()))


def _short(value: Any) -> str:
    if isinstance(value, str):
        return f"'{_clip(value)}'"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return f"'{_clip(', '.join(value))}'"
    if isinstance(value, dict | list):
        return _clip(_label(value)) if isinstance(value, dict) else f"{len(value)} items"
    return _clip(str(value))
