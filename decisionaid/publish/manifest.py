"""What the tool wrote into OUT, and what each output was made from.

`OUT/.decisionaid.json` lists each aid's outputs by variant (standard, large print)
with the inputs they were made from (see inputs.py), so that a later build can
remove exactly what it wrote, skip what is up to date, and list an aid in the catalog
without reading it again. A file the tool did not write is never listed, so it is
never touched. A manifest of another format is ignored: everything is rebuilt.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .index import Listing
from .inputs import Made
from .output import write_atomic

NAME = ".decisionaid.json"
FORMAT = 2


@dataclass
class Variant:
    files: list[str]
    made: Made


@dataclass
class Entry:
    """One aid's outputs, under its key `<language>/<id>`."""

    source: str
    listing: Listing
    variants: dict[str, Variant] = field(default_factory=dict)

    def files(self) -> list[str]:
        return [name for v in self.variants.values() for name in v.files]


@dataclass
class Manifest:
    out: Path
    aids: dict[str, Entry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # outputs of the whole build (index)
    index: str = ""  # a digest of what the index was made from

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of OUT; an empty one if there is none or it is unreadable
        (then nothing is removed: only what is listed may be)."""
        try:
            data = json.loads((out / NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(out)
            aids = {key: _entry(value) for key, value in data["aids"].items()}
            return cls(out, aids, list(data.get("files", [])), str(data.get("index", "")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(out)

    def write(self) -> None:
        data: dict[str, Any] = {
            "tool": "decisionaid",
            "format": FORMAT,
            "files": sorted(self.files),
            "index": self.index,
            "aids": {
                key: {
                    "source": entry.source,
                    "listing": entry.listing.as_json(),
                    "variants": {
                        name: {"files": sorted(v.files), "made": asdict(v.made)}
                        for name, v in sorted(entry.variants.items())
                    },
                }
                for key, entry in sorted(self.aids.items())
            },
        }
        text = json.dumps(data, indent=1, sort_keys=True) + "\n"
        try:
            if (self.out / NAME).read_text(encoding="utf-8") == text:
                return  # a build that changed nothing touches nothing
        except (OSError, ValueError):
            pass
        write_atomic(self.out / NAME, text)

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


def _entry(data: dict[str, Any]) -> Entry:
    variants = {
        name: Variant(list(v["files"]), Made.from_json(v["made"]))
        for name, v in data["variants"].items()
    }
    return Entry(str(data["source"]), Listing.from_json(data["listing"]), variants)
