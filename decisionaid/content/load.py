"""Reading YAML while keeping where each key and item stands in the file.

Content comes from many hands, so nothing is trusted before it is read: the file is
read by the one guarded reader (reading.py: a regular file inside the root, at most
1 MB), and the parser refuses, while it parses and at the line where it happens:
nesting past `MAX_DEPTH` (never a RecursionError), a list or mapping past `MAX_ITEMS`
(as soon as it passes, so a long list costs no more than a short one), aliases (no
"billion laughs"), merge keys (`<<:`), tags (`!!python/...`, `!!str`)
and half characters (a `\\ud800` escape). A syntax error is explained in the author's
terms (yaml_errors.py). A number keeps the text the author typed (`0x1F`, `1.50`,
`02079460958`) for fields that want text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode
from ruamel.yaml.reader import ReaderError

from ..problems import Problem
from .reading import MAX_FILE_BYTES as MAX_FILE_BYTES
from .reading import checked_text
from .yaml_errors import example as example
from .yaml_errors import explain
from .yaml_errors import quoted as quoted

# Limits (docs/authoring.md, "Limits"): far above any real handout, far below what
# would make one file stall a build.
MAX_DEPTH = 20  # an aid nests about 10 levels deep (options, risks, for, chance, range)
MAX_ITEMS = 1000  # items of one list, keys of one mapping
# A number longer than this is text (no count is that long; Python refuses to turn
# over 4,300 digits into an int, and that would be slow anyway).
MAX_NUMBER_CHARS = 100

# A colon in plain text is repaired in memory (quoted) to find the next mistake too;
# this bounds how many are reported for one file.
MAX_SYNTAX_PROBLEMS = 20


@dataclass(frozen=True)
class Kind:
    """What a content file should hold, to tell a file of the wrong kind (`/etc/shadow`)
    from a broken one: a file with none of `keys` is reported as one problem, and none of
    its lines are quoted back."""

    name: str  # "an aid file (a YAML mapping with title, options, ...)"
    keys: frozenset[str]
    # How many different keys make it look like one (an aid has a dozen; clinic.yaml
    # may have one), so that one line that happens to start `id: ` is not enough.
    least: int = 1


def read_yaml(
    path: Path, kind: Kind | None = None, inside: Path | None = None
) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (YAML 1.2: `no` stays text). Returns data or the problems.

    With `inside`, the file (links resolved) must lie in that folder."""
    text, problems = checked_text(path, inside)
    if text is None:
        return None, problems
    if kind is not None and text.strip() and _keys_in(text, kind.keys) < kind.least:
        return None, [Problem(path, 1, "", f"this is not {kind.name}")]
    data, problems = _parse(text, path)
    return (None if problems else data), problems


def _keys_in(text: str, keys: frozenset[str]) -> int:
    """How many of `keys` start a line (after indent, `- `, `{` or `,`) with a colon that
    YAML reads as a key's (followed by a space or the end of the line)."""
    names = "|".join(map(re.escape, sorted(keys)))
    pattern = rf"""(?m)^[ \t\-{{,]*["']?({names})["']?[ \t]*:(?=[ \t\r\n]|$)"""
    return len({match[1] for match in re.finditer(pattern, text)})


def read_text(path: Path, inside: Path | None = None) -> tuple[str | None, list[Problem]]:
    """The file as text, or the problems that kept it from being read (reading.py)."""
    return checked_text(path, inside)


def _parse(text: str, path: Path) -> tuple[Any, list[Problem]]:
    """Parse, explaining each syntax error; a repairable one is fixed in memory so that
    the next mistake is reported in the same run. Data is returned only if there was none."""
    problems: list[Problem] = []
    while len(problems) < MAX_SYNTAX_PROBLEMS:
        try:
            data = _parser().load(text)
        except MarkedYAMLError as exc:
            found, repaired = explain(exc, text, path)
            problems += found
            if repaired is None or repaired == text:
                break
            text = repaired
        except ReaderError as exc:  # a control character, invisible in most editors
            line = text.count("\n", 0, exc.position) + 1
            char = exc.character if isinstance(exc.character, int) else ord(exc.character)
            message = f"the invisible character U+{char:04X} is not allowed: delete it"
            return None, problems + [Problem(path, line, "", message)]
        except _Refused as exc:
            return None, problems + [Problem(path, exc.line, "", exc.message)]
        except RecursionError:  # MAX_DEPTH stops it first; kept as a last guard
            return None, problems + [Problem(path, 1, "", _TOO_DEEP)]
        except (YAMLError, ValueError) as exc:
            return None, problems + [Problem(path, 1, "", f"YAML syntax: {example(str(exc))}")]
        else:
            return (None if problems else data), problems
    return None, problems


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = (
    "an escape such as \\ud800 stands for half a character, which cannot be printed: "
    "write the character itself"
)


_TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep: an aid needs about 10; check the "
    "indentation and the [ ] and { } here"
)


class _Refused(Exception):
    """Something the composer will not build (too deep, an alias), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


_ALIAS = "aliases (*name) are not supported here: write the text out in full"
_MERGE = "'<<:' (merging in another mapping) is not supported here: write the keys out in full"


class _Bounded(Composer):
    """Refuses, while composing and at its line, what a content file never needs and
    what could make a small file cost much: nesting past MAX_DEPTH (the composer
    recurses once per level), a list or mapping past MAX_ITEMS (as soon as it passes),
    aliases (copies could multiply a small file into billions of items), merge keys,
    tags (`!!python/...`), and half characters."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise _Refused(line, _ALIAS)
        if self.depth >= MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        if parent is not None and len(parent.value) >= MAX_ITEMS:
            raise _Refused(line, _too_many(parent))
        tag = getattr(event, "ctag", None)
        if tag is not None:
            raise _Refused(line, _tag_refused(str(tag)))
        if isinstance(event, ScalarEvent):
            is_key = isinstance(parent, MappingNode) and index is None
            if is_key and event.value == "<<" and event.implicit[0]:
                raise _Refused(line, _MERGE)
            if _SURROGATE.search(event.value):
                raise _Refused(line, _SURROGATE_MESSAGE)
        return super().compose_node(parent, index)


def _too_many(parent: Any) -> str:
    what = "keys in this mapping" if isinstance(parent, MappingNode) else "items in this list"
    start = parent.start_mark.line + 1 if parent.start_mark else 1
    return (
        f"more than {MAX_ITEMS:,} {what} (it starts on line {start}); at most {MAX_ITEMS:,}: "
        "split the file"
    )


def _tag_refused(tag: str) -> str:
    short = tag.replace("tag:yaml.org,2002:", "!!")
    short = short if len(short) <= 40 else short[:37] + "..."
    return (
        f"the tag {short} is not supported here: remove it (a content file holds only "
        "text, numbers, lists and mappings; put text in quotes to keep it text)"
    )


class _Written:
    """A number that remembers how it was written (`0x1F`, `1.50`, `1e3`), for a
    field that wants text. Mixed into int and float below."""

    written: str
    plain: type  # the number type it is

    def __new__(cls, value: Any, written: str) -> Any:
        number = super().__new__(cls, value)  # type: ignore[call-arg]
        number.written = written
        return number

    def __reduce__(self) -> tuple[Any, ...]:  # to a worker process and back
        return (type(self), (self.plain(self), self.written))


class WrittenInt(_Written, int):
    plain = int


class WrittenFloat(_Written, float):
    plain = float


def as_written(value: Any) -> Any:
    """The author's text for a number read where text is wanted; anything else as it is."""
    return value.written if isinstance(value, _Written) else value


class _Constructor(RoundTripConstructor):
    """Leaves dates as text, so that a bad date is reported by validation, with its
    line, rather than raised by the parser; numbers keep their written text."""

    def construct_written_int(self, node: Any) -> Any:
        written = str(self.construct_scalar(node))
        if len(written) > MAX_NUMBER_CHARS:
            return written
        return WrittenInt(int(self.construct_yaml_int(node)), written)

    def construct_written_float(self, node: Any) -> Any:
        written = str(self.construct_scalar(node))
        if len(written) > MAX_NUMBER_CHARS:
            return written
        return WrittenFloat(float(self.construct_yaml_float(node)), written)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_written_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_written_float)


def _parser() -> YAML:
    """A YAML 1.2 round-trip parser: it keeps the line of every key and item."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Composer = _Bounded
    return yaml


def node_at(data: Any, loc: Sequence[str | int]) -> Any:
    """The raw YAML node at `loc`, or None where the path leaves the data."""
    node = data
    for key in loc:
        if not holds(node, key):
            return None
        node = node[key]
    return node


def holds(node: Any, key: str | int) -> bool:
    """Whether a parsed mapping has the key, or a parsed list the item (even if empty)."""
    if isinstance(node, CommentedMap):
        return key in node
    return isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node)


def line_of(data: Any, loc: Sequence[str | int]) -> int:
    """The 1-based line of the deepest key or item of `loc` that exists in `data`.

    A missing key is reported at the line of the mapping that should hold it.
    """
    line = 1
    if isinstance(data, CommentedMap | CommentedSeq) and data.lc.line is not None:
        line = data.lc.line + 1
    node = data
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def dotted(loc: Sequence[str | int]) -> str:
    """`("options", 0, "risks")` → `options[0].risks`."""
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out
