"""What the tool wrote into OUT, and what each output was made from.

`OUT/.decisionaid.json` lists each aid's outputs by variant (standard, large print)
with the inputs they were made from (see inputs.py), so that a later build can
remove exactly what it wrote, skip what is up to date, and list an aid in the catalog
without reading it again. A file the tool did not write is never listed, so it is
never touched. A manifest of another format is ignored: everything is rebuilt.

The manifest is written once, at the end of a build. A build stopped before then (a
Ctrl-C, a kill, a power cut) has replaced some aids' files: the journal
(`OUT/.decisionaid.journal`) names each set before it is renamed into place, and
the next build finishes the work: those aids count as changed (made again, or left
out of the catalog until they are), and the files of an aid the manifest never knew
are removed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..content.reading import Unreadable, read_text
from ..output.files import write_atomic
from ..output.inputs import Made
from ..problems import shown
from .index import Listing

NAME = ".decisionaid.json"
JOURNAL = ".decisionaid.journal"
FORMAT = 5  # 3: listings say each aid's approval; 4: its certification, what is not checked;
# 5: what the build was made from (content), so that merge refuses shares of two checkouts
# Read like any file (content/reading.py): a manifest that is a pipe or a link to a
# device is no manifest. 5,000 aids in 10 languages make about 50 MB.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@dataclass
class Variant:
    files: list[str]
    made: Made


@dataclass
class ManifestEntry:
    """One aid's outputs, under its key `<language>/<id>`."""

    source: str
    listing: Listing
    variants: dict[str, Variant] = field(default_factory=dict)

    def files(self) -> list[str]:
        return [name for v in self.variants.values() for name in v.files]


@dataclass
class Manifest:
    out: Path
    aids: dict[str, ManifestEntry] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # outputs of the whole build (index)
    index: str = ""  # a digest of what the index was made from
    content: str = ""  # what the whole build was made from (Inputs.content)

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of OUT; an empty one if there is none, it is unreadable, or it
        lists a file that is not a name under OUT (then nothing is removed: only what
        is listed may be)."""
        try:
            return cls.load(out)
        except ManifestRefused:
            return cls(out)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest of OUT, trusted in nothing: ManifestRefused if it cannot be
        read, is of another format, or lists a file that is not a plain name under OUT
        (`../x`, `/etc/x`, a hidden file such as the manifest itself)."""
        try:
            data = json.loads(read_text(out / NAME, limit=MAX_MANIFEST_BYTES))
            if data.get("format") != FORMAT:
                raise ManifestRefused("it is of another format or version")
            aids = {str(key): _entry(value) for key, value in data["aids"].items()}
            manifest = cls(
                out,
                aids,
                list(data.get("files", [])),
                str(data.get("index", "")),
                str(data.get("content", "")),
            )
        except Unreadable as exc:
            raise ManifestRefused(exc.message) from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ManifestRefused("it is not a manifest this tool wrote") from None
        for name in [*manifest.files, *(n for e in manifest.aids.values() for n in e.files())]:
            if not plain_name(name):
                raise ManifestRefused(
                    f"it lists '{shown(name)}', which is not a file of its folder (a "
                    "manifest lists only names such as en/x.pdf)"
                )
        return manifest

    def write(self) -> None:
        data: dict[str, Any] = {
            "tool": "decisionaid",
            "format": FORMAT,
            "files": sorted(self.files),
            "index": self.index,
            "content": self.content,
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
            if read_text(self.out / NAME, limit=MAX_MANIFEST_BYTES) == text:
                return  # a build that changed nothing touches nothing
        except Unreadable:
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


class Journal:
    """The sets of files a build is replacing, one JSON line each, appended before
    their renames and removed once the manifest records them."""

    def __init__(self, out: Path) -> None:
        self.path = out / JOURNAL

    def add(self, key: str, variant: str, files: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"key": key, "variant": variant, "files": sorted(files)})
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def replay(self, manifest: Manifest) -> list[Path]:
        """What an interrupted build left, applied to the manifest it did not write:
        each listed aid's variant is out of date and owns the listed files; the files
        of an aid the manifest does not know are removed (returned)."""
        removed: list[Path] = []
        for key, variant, files in self._records():
            entry = manifest.aids.get(key)
            if entry is None or not entry.variants:
                manifest.aids.pop(key, None)
                listed = {n for e in manifest.aids.values() for n in e.files()}
                removed += manifest.remove([n for n in files if n not in listed])
                continue
            old = entry.variants.get(variant)
            made = old.made if old else next(iter(entry.variants.values())).made
            names = sorted({*(old.files if old else []), *files})
            entry.variants[variant] = Variant(names, replace(made, shared=INTERRUPTED))
        return removed

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def _records(self) -> list[tuple[str, str, list[str]]]:
        try:
            text = read_text(self.path, limit=MAX_MANIFEST_BYTES)
        except Unreadable:
            return []
        records = []
        for line in text.splitlines():
            try:  # the last line may have been cut short by the kill
                data = json.loads(line)
                key, variant, files = str(data["key"]), str(data["variant"]), data["files"]
            except (ValueError, KeyError, TypeError):
                continue
            if isinstance(files, list) and all(plain_name(n) for n in files):
                records.append((key, variant, [str(n) for n in files]))
        return records


# The `shared` digest of outputs an interrupted build may have replaced: matches
# nothing, so they are out of date.
INTERRUPTED = "interrupted"


class ManifestRefused(ValueError):
    """A manifest that cannot be trusted (the message says why)."""


def plain_name(name: Any) -> bool:
    """Whether a listed output is a name under OUT: relative, made of plain parts (no
    `..`, no hidden part such as a temporary file or the manifest itself)."""
    if not isinstance(name, str) or not name or "\0" in name or "\\" in name:
        return False
    parts = name.split("/")
    return all(part and not part.startswith(".") for part in parts)


def _entry(data: dict[str, Any]) -> ManifestEntry:
    variants = {
        name: Variant(list(v["files"]), Made.from_json(v["made"]))
        for name, v in data["variants"].items()
    }
    return ManifestEntry(str(data["source"]), Listing.from_json(data["listing"]), variants)
