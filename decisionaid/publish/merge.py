"""`decisionaid merge`: join the output folders of builds run apart into one.

A large catalog is split across CI runners, each building a subset (ids, a glob, a
language) into its own folder. Builds are deterministic and each folder's manifest
says which files belong to which aid, so merging is copying those files, each aid's
set whole, and uniting the manifests. `decisionaid build --out OUT` afterwards finds
every aid up to date and writes only the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..problems import display_path
from .manifest import NAME, Entry, Manifest
from .output import write_set


class MergeRefused(Exception):
    """A folder to merge is not a build's output (exit 2; nothing written)."""


@dataclass
class MergeReport:
    aids: int = 0
    files: int = 0
    conflicts: list[str] = field(default_factory=list)


def merge(sources: list[Path], out: Path) -> MergeReport:
    """Copy each source's aids into `out` and unite the manifests. An aid built in two
    sources from different inputs is a conflict: the first source's copy is kept."""
    manifests = [(source, _read(source)) for source in sources]
    target = Manifest.read(out)
    report = MergeReport()
    taken: dict[str, tuple[Path, Entry]] = {}  # key → the source it came from
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
            files = entry.files()
            write_set(out, {name: (source / name).read_bytes() for name in files})
            target.aids[key] = entry
            taken[key] = (source, entry)
            report.aids += 1
            report.files += len(files)
    target.write()
    return report


def _read(source: Path) -> Manifest:
    if not (source / NAME).is_file():
        raise MergeRefused(f"{display_path(source)} has no {NAME}: it is not a build's output")
    return Manifest.read(source)


def _made(entry: Entry) -> list:
    return [v.made for _, v in sorted(entry.variants.items())]
