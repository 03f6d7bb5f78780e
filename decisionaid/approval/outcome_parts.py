"""The clinic's own results as parts of the approval fingerprint, and their changes.

Each audited count the handout can print is a part of its own, kept as words
(`outcomes:surgery/dry-eyes` → "27 of 212"), so that `diff` can say what changed:
"Dry eyes, in our clinic: 27 of 212 → 30 of 240". The audit's period and who checked
it are one more part. Comments in the file change nothing a patient reads, and are not
parts. An aid without an outcomes file has no such parts (its fingerprint is as before).
"""

from __future__ import annotations

from ..content.models import Aid
from ..content.root import ContentRoot
from ..output.inputs import digest

PREFIX = "outcomes:"
AUDIT = "outcomes:audit"
BROKEN = "outcomes:file"


def outcome_parts(content: ContentRoot, aid: Aid) -> dict[str, str]:
    """The parts of the aid's outcomes file (none when it has none)."""
    audit, problems = content.outcomes(aid.id)
    if problems:  # nothing is printed from it; a change to it still counts
        text = "\n".join(str(p) for p in problems)
        return {BROKEN: digest(text.encode("utf-8"))}
    if audit is None:
        return {}
    parts = {AUDIT: f"{audit.years}, audited by {audit.audited_by} on {audit.audited_on}"}
    for ref in aid.outcomes():
        counted = audit.count(ref.option.id, ref.item.id) if ref.item.id else None
        if counted is not None:
            parts[f"{PREFIX}{ref.option.id}/{ref.item.id}"] = f"{counted[0]} of {counted[1]}"
    return parts


def outcome_changes(
    approved: dict[str, str], now: dict[str, str], aid: Aid
) -> list[tuple[str, str]]:
    """The clinic's counts that changed since approval, in words: (where, what)."""
    labels = {
        f"{PREFIX}{ref.option.id}/{ref.item.id}": ref.label for ref in aid.outcomes() if ref.item.id
    }
    found = []
    for key in dict.fromkeys(k for k in [*approved, *now] if k.startswith(PREFIX)):
        before, after = approved.get(key), now.get(key)
        if before == after:
            continue
        if key == AUDIT:
            where = f"outcomes/{aid.id}.yaml"
            found.append((where, f"the audit: {before or 'none'} → {after or 'none'}"))
        elif key == BROKEN:
            what = "has problems, so nothing of it is printed" if after else "fixed"
            found.append((f"outcomes/{aid.id}.yaml", what))
        else:
            name = labels.get(key, key.removeprefix(PREFIX))
            what = f"{before or 'not shown'} → {after or 'not shown'}"
            found.append((f"{name}, in our clinic", what))
    return found
