"""`decisionaid merge`: join the output folders of builds run apart into one.

A large catalog is split across CI runners, each building a subset (ids, a glob, a
language) into its own folder. Builds are deterministic and each folder's manifest
says which files belong to which aid, so merging is copying those files, each aid's
set whole, and uniting the manifests. `decisionaid build --out OUT` afterwards finds
every aid up to date and writes only the catalog.

Every share must have been built from the same content, tool and options (each
manifest records a digest of them, output/inputs.py `Inputs.content`): shares of two
checkouts are refused before anything is written.

A folder to merge may come from anywhere (an artifact of another job), so its manifest
is trusted in nothing: every file it lists must be a plain name of that folder, read
from inside it (links followed) and written inside OUT (links followed). Anything else
refuses the whole merge, naming the manifest, before a file is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..content.reading import Unreadable, read_bytes, refusal
from ..output.files import write_set
from ..problems import display_path, shown
from .manifest import NAME, Manifest, ManifestEntry, ManifestRefused

# An output is a handout's PDF with its pictures, far below this.
MAX_OUTPUT_BYTES = 256 * 1024 * 1024


class MergeRefused(Exception):
    """A folder to merge is not a build's output (exit 2; nothing written)."""


class UnsafeMerge(Exception):
    """A manifest that lists what it may not, or a file that leads out of its folder
    or of OUT (exit 1; nothing written)."""


@dataclass
class MergeReport:
    aids: int = 0
    files: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge(sources: list[Path], out: Path) -> MergeReport:
    """Copy each source's aids into `out` and unite the manifests. An aid built in two
    sources from different inputs is a conflict: the first source's copy is kept."""
    manifests = [(source, _read(source)) for source in sources]
    target = _load(out) if os.path.lexists(out / NAME) else Manifest(out)
    target.content = _one_content(manifests, target)
    report = MergeReport()
    taken: dict[str, tuple[Path, ManifestEntry]] = {}  # key → the source it came from
    for source, manifest in manifests:
        for key, entry in sorted(manifest.aids.items()):
            if key in taken:
                first, kept = taken[key]
                if _made(kept) != _made(entry):
                    report.conflicts.append(
                        f"{key}: built from different inputs in {display_path(first)} "
                        f"and {display_path(source)}; kept the first"
                    )
                continue
            taken[key] = (source, entry)
    for _, (source, entry) in taken.items():  # every path checked before any is written
        for name in entry.files():
            _inside(source, name, source)
            _inside(out, name, source)
            refused = refusal(source / name, source, MAX_OUTPUT_BYTES)
            if refused:
                raise UnsafeMerge(f"{display_path(source / NAME)}: '{shown(name)}': {refused}")
    for key, (source, entry) in sorted(taken.items()):
        files = entry.files()
        write_set(out, {name: _copy(source, name) for name in files})
        target.aids[key] = entry
        report.aids += 1
        report.files += len(files)
    target.write()
    return report


def _one_content(manifests: list[tuple[Path, Manifest]], target: Manifest) -> str:
    """What the sources were all built from; MergeRefused if they (or OUT, once it holds
    aids) were built from different content, tool or options: joined, they would make a
    catalog no single checkout makes, each handout current in its own way."""
    built = [(source, m.content) for source, m in manifests]
    if target.aids:
        built.append((target.out, target.content))
    first_source, first = built[0]
    for source, content in built[1:]:
        if content != first:
            raise MergeRefused(
                f"{display_path(first_source)} and {display_path(source)} were built from "
                "different content (aids, glossary, pictures, clinic.yaml, templates), tool "
                "or options; build every share from one checkout with one command, or merge "
                "into an empty folder; nothing was merged"
            )
    return first


def _read(source: Path) -> Manifest:
    if not os.path.lexists(source / NAME):
        raise MergeRefused(f"{display_path(source)} has no {NAME}: it is not a build's output")
    return _load(source)


def _load(folder: Path) -> Manifest:
    try:
        return Manifest.load(folder)
    except ManifestRefused as exc:
        raise UnsafeMerge(f"{display_path(folder / NAME)}: {exc}; nothing was merged") from None


def _inside(folder: Path, name: str, source: Path) -> None:
    """`folder/name`, links followed, must stay inside `folder`."""
    if not (folder / name).resolve().is_relative_to(folder.resolve()):
        raise UnsafeMerge(
            f"{display_path(source / NAME)}: '{shown(name)}' leads out of "
            f"{display_path(folder)} (through a link); nothing was merged"
        )


def _copy(source: Path, name: str) -> bytes:
    try:
        return read_bytes(source / name, source, MAX_OUTPUT_BYTES)
    except Unreadable as exc:
        raise UnsafeMerge(
            f"{display_path(source / NAME)}: '{shown(name)}': {exc.message}"
        ) from None


def _made(entry: ManifestEntry) -> list:
    return [v.made for _, v in sorted(entry.variants.items())]
