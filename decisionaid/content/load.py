"""Reading YAML while keeping where each key and item stands in the file.

A syntax error is explained in the author's terms (tabs, a colon or comma in plain
text, an unclosed quote, a file not saved as UTF-8), at the line where the fix goes.

Content comes from many hands, so nothing is trusted before it is read: only a
regular file of at most `MAX_FILE_BYTES` is opened (a pipe or device never), nesting
stops at `MAX_DEPTH` while parsing (never a RecursionError), aliases are refused
(no "billion laughs"), and a number keeps the text the author typed (`0x1F`, `1.50`,
`02079460958`) for fields that want text.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from ..problems import Problem

# Limits (docs/authoring.md, "Limits"): far above any real handout, far below what
# would make one file stall a build.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20  # an aid nests about 10 levels deep (options, risks, for, chance, range)
MAX_ITEMS = 1000  # items of one list, keys of one mapping
# A number longer than this is text (no count is that long; Python refuses to turn
# over 4,300 digits into an int, and that would be slow anyway).
MAX_NUMBER_CHARS = 100

# A colon in plain text is repaired in memory (quoted) to find the next mistake too;
# this bounds how many are reported for one file.
MAX_SYNTAX_PROBLEMS = 20

# `key: value` at the start of a line, after any `- ` of list items.
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#'\"{\[][^:#]*?):[ \t]+(?P<value>.*)$")
# A line that opens a block scalar (`key: |`, `- >-`): the lines below it are text.
_BLOCK_HEADER = re.compile(r"(?:^|:|-)\s*[|>][-+0-9]*\s*(?:#.*)?$")


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
    text, problems = read_text(path, inside)
    if text is None:
        return None, problems
    if kind is not None and text.strip() and _keys_in(text, kind.keys) < kind.least:
        return None, [Problem(path, 1, "", f"this is not {kind.name}")]
    data, problems = _parse(text, path)
    if not problems and data is not None:
        problems = _too_many(data, path)
    return (None if problems else data), problems


def _keys_in(text: str, keys: frozenset[str]) -> int:
    """How many of `keys` start a line (after indent, `- `, `{` or `,`) with a colon that
    YAML reads as a key's (followed by a space or the end of the line)."""
    names = "|".join(map(re.escape, sorted(keys)))
    pattern = rf"""(?m)^[ \t\-{{,]*["']?({names})["']?[ \t]*:(?=[ \t\r\n]|$)"""
    return len({match[1] for match in re.finditer(pattern, text)})


def read_text(path: Path, inside: Path | None = None) -> tuple[str | None, list[Problem]]:
    """The file as text, if it is a regular file (links resolved: inside `inside`) of at
    most MAX_FILE_BYTES; a file saved in another encoding is reported at its first bad byte.

    `stat` is looked at before opening, and the file is opened non-blocking and looked at
    again, so a pipe is never waited on and a device (/dev/zero) never read."""
    refused = _refused(path, inside)
    if refused:
        return None, [Problem(path, 1, "", refused)]
    try:
        raw = _read_regular(path)
    except OSError as exc:
        return None, [Problem(path, 1, "", f"cannot read the file ({exc.strerror})")]
    if raw is None:
        return None, [Problem(path, 1, "", _not_regular(path))]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(path, 1, "", _too_big())]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(path, raw, exc.start)]


def _refused(path: Path, inside: Path | None) -> str | None:
    """Why the file may not be read, from its `stat` alone (None: it may)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "this is a link to a file that does not exist: fix or remove the link"
        return "no such file"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror})"
    if inside is not None and not path.resolve().is_relative_to(inside.resolve()):
        return (
            "this links to a file outside the content root: copy the file into the "
            "content root instead of linking to it"
        )
    if stat.S_ISDIR(info.st_mode):
        return "this is a folder, not a file: remove it or rename it"
    if not stat.S_ISREG(info.st_mode):
        return _not_regular(path)
    if info.st_size > MAX_FILE_BYTES:
        return _too_big()
    return None


def _not_regular(path: Path) -> str:
    return "this is not a regular file (a device, pipe or socket): content files are text files"


def _too_big() -> str:
    return (
        f"the file is over {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than a handout "
        "holds: split it or shorten it"
    )


def _read_regular(path: Path) -> bytes | None:
    """At most MAX_FILE_BYTES + 1 bytes of a regular file; None if it is not one (it
    changed since `stat`: opened non-blocking, a pipe does not hang)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, left = [], MAX_FILE_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_many(data: Any, path: Path) -> list[Problem]:
    """Lists and mappings of more than MAX_ITEMS, and text holding a lone surrogate
    (a `"\\ud800"` escape: not a character, and no file can be written with it).
    Aliases are refused, so this walk is as long as the file."""
    problems: list[Problem] = []
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, line = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                problems.append(Problem(path, line, "", _SURROGATE_MESSAGE))
            continue
        if not isinstance(node, CommentedMap | CommentedSeq):
            continue
        if len(node) > MAX_ITEMS:
            at = (node.lc.line or 0) + 1
            message = f"{len(node):,} items here; at most {MAX_ITEMS:,}: split the file"
            problems.append(Problem(path, at, "", message))
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                at = node.lc.key(key)[0] + 1
                stack += [(key, at), (value, at)]
        else:
            stack += [(item, node.lc.item(i)[0] + 1) for i, item in enumerate(node)]
    return sorted(set(problems))


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE = (
    "an escape such as \\ud800 stands for half a character, which cannot be printed: "
    "write the character itself"
)


def _not_utf8(path: Path, raw: bytes, start: int) -> Problem:
    """Editors on Windows often save as Windows-1252: name the character the author typed."""
    byte = raw[start : start + 1]
    try:
        seen = f", '{byte.decode('cp1252')}' in Windows-1252"
    except UnicodeDecodeError:
        seen = ""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode"
        seen = ": the file is UTF-16"
    line = raw.count(b"\n", 0, start) + 1
    return Problem(
        path,
        line,
        "",
        f"the file is not UTF-8 text (byte 0x{byte.hex()}{seen}): save the file as UTF-8",
    )


def _parse(text: str, path: Path) -> tuple[Any, list[Problem]]:
    """Parse, explaining each syntax error; a repairable one is fixed in memory so that
    the next mistake is reported in the same run. Data is returned only if there was none."""
    problems: list[Problem] = []
    while len(problems) < MAX_SYNTAX_PROBLEMS:
        try:
            data = _parser().load(text)
        except MarkedYAMLError as exc:
            found, repaired = _explain(exc, text, path)
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


def _explain(exc: MarkedYAMLError, text: str, path: Path) -> tuple[list[Problem], str | None]:
    """The problems behind one parser error, and the text repaired (None: stop here)."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    at = min(mark.line, len(lines) - 1) if mark else 0
    if _is_tab_error(exc, lines[at]):
        tabs = _tab_lines(lines, at)
        return [Problem(path, n + 1, "", "indent with spaces, not tabs") for n in tabs], None
    opened = _unclosed_quote(exc, text, lines, at)
    if opened is not None:
        line, quote = opened
        message = f"this quote is not closed: end the text with {quote} on this line"
        return [Problem(path, line + 1, "", message)], None
    colon = _colon_in_text(exc, lines[at], mark.column if mark else 0)
    if colon is not None:
        message, repaired = colon
        if repaired is None:
            return [Problem(path, at + 1, "", message)], None
        lines[at] = repaired
        return [Problem(path, at + 1, "", message)], "\n".join(lines)
    if isinstance(exc, DuplicateKeyError) and exc.context_mark is not None:
        message = (
            f"duplicate key: this key is written twice in one mapping (first on line "
            f"{exc.context_mark.line + 1}): keep one of them"
        )
        return [Problem(path, at + 1, "", message)], None
    # The parser's words may quote a whole value: one line of it is enough.
    message = " ".join(filter(None, [exc.context, exc.problem])) or "not valid YAML"
    return [Problem(path, at + 1, "", f"YAML syntax: {example(message)}")], None


# Tabs


def _is_tab_error(exc: MarkedYAMLError, line: str) -> bool:
    """YAML forbids tabs in indentation; the parser says so only as 'found character'."""
    return "'\\t'" in str(exc.problem) or "\t" in _indent_of(line)


def _tab_lines(lines: list[str], at: int) -> list[int]:
    """Every line indented with a tab (not text inside a `|` block), and the error's line."""
    text_lines = _block_text_lines(lines)
    found = {n for n, line in enumerate(lines) if "\t" in _indent_of(line) and n not in text_lines}
    return sorted(found | {at})


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _block_text_lines(lines: list[str]) -> set[int]:
    """Lines inside block scalars (`|`, `>`): there quotes, colons and tabs are just text."""
    inside: set[int] = set()
    header_indent: int | None = None
    for n, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if header_indent is not None and (not line.strip() or indent > header_indent):
            inside.add(n)
            continue
        header_indent = indent if _BLOCK_HEADER.search(line) else None
    return inside


# Quotes


def _unclosed_quote(
    exc: MarkedYAMLError, text: str, lines: list[str], at: int
) -> tuple[int, str] | None:
    """The 0-based line where a quote opens that is never properly closed, and the quote.

    An unclosed quote runs on to the next quote in the file, so the parser stops far
    below (or at the end); the author must look where the quote opens.
    """
    mark = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and mark is not None:
        return mark.line, text[mark.index] if mark.index < len(text) else '"'
    starts = _line_starts(lines)
    text_lines = _block_text_lines(lines)
    n = 0
    while n <= at:
        opener = None if n in text_lines else _open_quote(lines[n])
        if opener is None:
            n += 1
            continue
        close = _closing(text, starts[n] + opener)
        if close is None or not _closes_cleanly(text, close):
            return n, lines[n][opener]
        n = text.count("\n", 0, close) + 1
    return None


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _open_quote(line: str) -> int | None:
    """The column of a quote that starts a text on this line and is not closed on it.

    Only a quote where a value starts counts, so the apostrophe of "it's" does not.
    """
    for column in _quote_starts(line):
        if _closing(line, column) is None:
            return column
    return None


def _quote_starts(line: str) -> Iterator[int]:
    """Columns of quotes that start a value: after the indent, `- `, `: `, `{`, `[` or `,`."""
    at_start, i = True, 0
    while i < len(line):
        char = line[i]
        if char in "\"'" and at_start:
            yield i
            end = _closing(line, i)
            if end is None:
                return
            i, at_start = end + 1, False
            continue
        if char == "#" and (i == 0 or line[i - 1] in " \t"):
            return
        if char in "{[," or (char in "-:" and line[i + 1 : i + 2] in ("", " ", "\t")):
            at_start = True
        elif not char.isspace():
            at_start = False
        i += 1


def _closing(text: str, start: int) -> int | None:
    """The index of the quote that closes the one at `start` (YAML escapes: \\" and '')."""
    quote, i = text[start], start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


def _closes_cleanly(text: str, close: int) -> bool:
    """A quoted text may span lines: it is fine if only `,`, `}`, `]`, `:` or a comment follow."""
    end = text.find("\n", close)
    rest = text[close + 1 : end if end >= 0 else len(text)].strip()
    return rest == "" or rest[0] in ",]}:#"


# A colon (or, in `{...}`, a comma) inside plain text


def _colon_in_text(exc: MarkedYAMLError, line: str, column: int) -> tuple[str, str | None] | None:
    """`text: Note: this heals`: a colon and a space start a key. Returns the message and
    the line with the text quoted (None: no sure repair), or None if this is another mistake."""
    if exc.problem == "mapping values are not allowed here":
        match = _KEY_VALUE.match(line)
        if match is None or column < match.start("value"):
            return f"{_QUOTE_HINT}: a colon and a space inside plain text start a new key", None
        value, comment = _split_comment(match["value"])
        fixed = f"{match['key']}: {quoted(value)}"
        return f"{_QUOTE_HINT}: {example(fixed)}", f"{match['lead']}{fixed}{comment}"
    if exc.problem == "expected ',' or '}', but got ':'":
        return _colon_in_flow(line, column)
    return None


_QUOTE_HINT = "put this text in quotes"
EXAMPLE_CHARS = 200  # of a line quoted back as the fix


def example(fixed: str) -> str:
    """A line written out as the fix, cut short when it is long (a message is one line)."""
    return fixed if len(fixed) <= EXAMPLE_CHARS else fixed[: EXAMPLE_CHARS - 3] + "..."


def _colon_in_flow(line: str, column: int) -> tuple[str, str] | None:
    """`{surgery: Note: one week, ...}`: quote the value of the entry holding the colon."""
    start = max(line.rfind("{", 0, column), line.rfind(",", 0, column)) + 1
    ends = [i for i in (line.find(",", column), line.find("}", column)) if i >= 0]
    end = min(ends) if ends else len(line)
    entry = line[start:end]
    key, sep, value = entry.partition(": ")
    if not sep or not key.strip():
        return None
    fixed = f"{key.strip()}: {quoted(value.strip())}"
    lead = entry[: len(entry) - len(entry.lstrip())]
    return f"{_QUOTE_HINT}: {example(fixed)}", f"{line[:start]}{lead}{fixed}{line[end:]}"


def _split_comment(value: str) -> tuple[str, str]:
    """`text  # note` → (`text`, `  # note`)."""
    match = re.search(r"\s+#", value)
    if match is None:
        return value.rstrip(), ""
    return value[: match.start()], value[match.start() :]


def quoted(text: str) -> str:
    """The text as a YAML quoted scalar, the way an author would write it."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


_TOO_DEEP = (
    f"nested more than {MAX_DEPTH} levels deep: an aid needs about 10; check the "
    "indentation and the [ ] and { } here"
)


class _Refused(Exception):
    """Something the composer will not build (too deep, an alias), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Bounded(Composer):
    """Stops at MAX_DEPTH while composing (it recurses once per level) and refuses
    aliases, whose copies could multiply a small file into billions of items."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise _Refused(
                line, "aliases (*name) are not supported here: write the text out in full"
            )
        if self.depth >= MAX_DEPTH:
            raise _Refused(line, _TOO_DEEP)
        return super().compose_node(parent, index)


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
