"""What a build will do, decided before anything is made: which aid files there are,
which are named, and which are up to date, from hashes alone (nothing is parsed).

A root without aids, or an output folder that could be read back as content, is
refused here, before anything is touched.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..output.inputs import Inputs, date_flags
from ..problems import UnknownAid, display_path
from ..settings import BuildOptions, ContentLayout
from .manifest import Manifest, ManifestEntry, Variant


class BuildRefused(Exception):
    """Nothing can be built and nothing was touched (a usage error: exit 2)."""


MAX_SHARDS = 1000  # CI jobs; a 22-digit N is a typo
_SHARE = re.compile(r"([0-9]{1,4})/([0-9]{1,4})")


@dataclass(frozen=True)
class Shard:
    """Share `number` of `count` (1-based): a stable share of the aids, by the aid file's
    name (its id, and its language for a translation), so that `count` CI jobs, one per
    share, build every aid exactly once and `merge` joins their folders."""

    number: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` in ASCII digits (str.isdigit also takes "１", "٣" and "²"), with N at
        most MAX_SHARDS; ValueError with what to write otherwise."""
        found = _SHARE.fullmatch(text.strip())
        if found is None or not 1 <= int(found[1]) <= int(found[2]) <= MAX_SHARDS:
            shown = text if len(text) <= 20 else text[:17] + "..."
            raise ValueError(
                f"'{shown}' is not a share: write K/N in digits 0-9 with 1 <= K <= N <= "
                f"{MAX_SHARDS}, like 2/3"
            )
        return cls(int(found[1]), int(found[2]))

    def takes(self, path: Path) -> bool:
        key = path.name.removesuffix(".yaml").encode("utf-8")
        return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % self.count == (
            self.number - 1
        )


@dataclass(frozen=True)
class Freshness:
    """Whether recorded outputs are up to date with the inputs as they are now."""

    inputs: Inputs
    options: BuildOptions

    def variant(self, entry: ManifestEntry, variant: Variant, *, same_options: bool = True) -> bool:
        listing = entry.listing
        dates = date_flags(listing.review_by, listing.updated, self.options.today)
        return self.inputs.unchanged(
            variant.made, listing.language, dates, same_options=same_options
        )

    def entry(self, entry: ManifestEntry, *, same_options: bool = True) -> bool:
        """This build's variant up to date (or, for the catalog, any variant)."""
        if same_options:
            variant = entry.variants.get(self.options.variant)
            return variant is not None and self.variant(entry, variant)
        return any(self.variant(entry, v, same_options=False) for v in entry.variants.values())


@dataclass
class Plan:
    todo: list[Path] = field(default_factory=list)  # to make, largest first
    keep: dict[str, ManifestEntry] = field(default_factory=dict)  # up to date, by key: listed
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)  # changed, not named: left unlisted


def refuse_unsafe_out(layout: ContentLayout, out: Path) -> None:
    """Outputs must never be read back as content or templates: OUT may not be inside
    aids/, glossary/, factors/ or templates/, nor hold one of them."""
    target = out.resolve()
    for folder in (layout.aids, layout.glossaries, layout.factors, layout.templates):
        name = folder.relative_to(layout.root).as_posix()
        if target.is_relative_to(folder.resolve()):
            raise BuildRefused(
                f"--out {out} is inside the content folder {name}/: outputs there would be "
                f"read back as content; choose a folder of its own, such as {layout.root / 'out'}"
            )
        if folder.resolve().is_relative_to(target):
            raise BuildRefused(
                f"--out {out} holds the content folder {name}/: removing old outputs "
                f"could touch content; choose a folder of its own, such as {layout.root / 'out'}"
            )


def aids_folder(layout: ContentLayout) -> Path:
    """The root's aids/ folder; refuses a root without one (a wrong --root)."""
    if not layout.aids.is_dir():
        raise BuildRefused(
            f"{display_path(layout.aids)} does not exist: is {display_path(layout.root)} "
            "a content root? Use --root, or 'decisionaid new ID' to start one"
        )
    return layout.aids


def aid_files(layout: ContentLayout) -> list[Path]:
    """Every aid file of the root; refuses a root without any (a wrong --root would
    otherwise replace a catalog with an empty one)."""
    files = sorted(aids_folder(layout).glob("*.yaml"))
    if not files:
        raise BuildRefused(
            f"no aid files (*.yaml) in {display_path(layout.aids)}: nothing to build; "
            "'decisionaid new ID' writes one to start from"
        )
    return files


def select(layout: ContentLayout, sources: list[Path], selectors: tuple[str, ...]) -> list[Path]:
    """The files named by ids, globs (`knee-*`) or paths; all when none are named."""
    if not selectors:
        return sources
    from ..content.root import ContentRoot  # for the close-match hints; parses nothing

    chosen: list[Path] = []
    for selector in selectors:
        if any(c in selector for c in "*?["):
            found = [p for p in sources if fnmatch.fnmatchcase(p.name.split(".")[0], selector)]
            if not found:
                raise UnknownAid(f"no aid id matches '{selector}' in {display_path(layout.aids)}")
            chosen += found
        else:
            chosen += ContentRoot(layout).aid_paths((selector,))
    return list(dict.fromkeys(p.absolute() for p in chosen))


def make_plan(
    fresh: Freshness,
    manifest: Manifest,
    sources: list[Path],
    selected: list[Path],
    language: str | None,
    force: bool,
) -> Plan:
    """Named aids that are not up to date are made; up-to-date outputs stay listed."""
    by_source: dict[str, list[str]] = {}
    for key, entry in manifest.aids.items():
        by_source.setdefault(entry.source, []).append(key)
    wanted = {p.absolute() for p in selected}
    plan = Plan()
    for path in dict.fromkeys([*(p.absolute() for p in sources), *wanted]):
        keys = by_source.get(fresh.inputs.name(path), [])
        current = [k for k in keys if fresh.entry(manifest.aids[k])]
        if path in wanted and _in_language(fresh.inputs.layout, path, keys, manifest, language):
            if current and not force and len(keys) == 1:
                plan.unchanged += 1
            else:
                plan.todo.append(path)
                continue
        elif keys and not current:
            plan.stale.append(display_path(path))
        for key in keys:
            if fresh.entry(manifest.aids[key], same_options=False):
                plan.keep[key] = manifest.aids[key]
    # Largest first, so that the last aid to start is a short one and no worker is
    # left alone at the end. An aid's size predicts its layout time well enough, and
    # keeps the manifest free of timings (two builds write the same bytes).
    plan.todo.sort(key=lambda p: (-_size(p), p.name))
    return plan


def _size(path: Path) -> int:
    """The size of an aid file; 0 for one that cannot be looked at (a link to nothing:
    making it reports why, and the other aids are built)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _in_language(
    layout: ContentLayout, path: Path, keys: list[str], manifest: Manifest, language: str | None
) -> bool:
    """Whether an aid is in the language asked for: from its file name (`x.es.yaml`),
    else as last built, else as its file says (English if it says nothing)."""
    if language is None:
        return True
    _, _, named = path.name.removesuffix(".yaml").partition(".")
    if named:
        return named.casefold() == language.casefold()
    if keys:
        return manifest.aids[keys[0]].listing.language.casefold() == language.casefold()
    # loaded when needed: the command line imports this module at start-up
    from ..content.root import ContentRoot

    aid = ContentRoot(layout).load(path).aid
    return (aid.language if aid else "en").casefold() == language.casefold()
