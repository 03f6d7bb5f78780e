"""What the tool wrote into OUT, so that a later build can remove exactly that.

`OUT/.decisionaid.json` lists each aid's outputs by variant (standard, large print)
with a fingerprint of the inputs they were made from. A file the tool did not write
is never listed, so it is never touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..settings import ContentLayout
from .output import write_atomic

NAME = ".decisionaid.json"
FORMAT = 1


@dataclass
class Variant:
    fingerprint: str
    files: list[str]


@dataclass
class Entry:
    """One aid's outputs, under its key `<language>/<id>`."""

    source: str
    variants: dict[str, Variant] = field(default_factory=dict)

    def files(self) -> list[str]:
        return [name for v in self.variants.values() for name in v.files]


@dataclass
class Manifest:
    out: Path
    aids: dict[str, Entry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # outputs of the whole build (index)

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of OUT; an empty one if there is none or it is unreadable
        (then nothing is removed: only what is listed may be)."""
        try:
            data = json.loads((out / NAME).read_text(encoding="utf-8"))
            aids = {
                key: Entry(
                    entry["source"],
                    {
                        name: Variant(v["fingerprint"], list(v["files"]))
                        for name, v in entry["variants"].items()
                    },
                )
                for key, entry in data["aids"].items()
            }
            return cls(out, aids, list(data.get("files", [])))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(out)

    def write(self) -> None:
        data: dict[str, Any] = {
            "tool": "decisionaid",
            "format": FORMAT,
            "files": sorted(self.files),
            "aids": {
                key: {
                    "source": entry.source,
                    "variants": {
                        name: {"fingerprint": v.fingerprint, "files": sorted(v.files)}
                        for name, v in sorted(entry.variants.items())
                    },
                }
                for key, entry in sorted(self.aids.items())
            },
        }
        write_atomic(self.out / NAME, json.dumps(data, indent=1) + "\n")

    def remove(self, names: list[str]) -> list[Path]:
        """Delete listed outputs (only inside OUT); returns what was deleted."""
        out = self.out.resolve()
        removed = []
        for name in names:
            path = (out / name).resolve()
            if path.is_relative_to(out) and path.is_file():
                path.unlink()
                removed.append(path)
        return removed


class Fingerprints:
    """Hashes of everything an aid's outputs are made from: its file, its glossary,
    clinic.yaml, every template and the tool's version."""

    def __init__(self, layout: ContentLayout) -> None:
        self.layout = layout
        shared = hashlib.sha256(f"{__version__}\0".encode())
        _add(shared, [layout.clinic])
        for folder in layout.template_dirs:
            if folder.is_dir():
                _add(shared, sorted(p for p in folder.rglob("*") if p.is_file()))
        self._shared = shared

    def __call__(self, source: Path, language: str) -> str:
        digest = self._shared.copy()
        _add(digest, [source, self.layout.glossary_file(language)])
        return digest.hexdigest()[:16]


def _add(digest: Any, paths: list[Path]) -> None:
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
