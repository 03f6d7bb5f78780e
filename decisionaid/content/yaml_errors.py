"""Explaining a YAML syntax error in the author's terms, at the line where the fix goes.

The parser says "mapping values are not allowed here" or "found character '\\t'"; an
author needs "put this text in quotes: ..." or "indent with spaces, not tabs". This
module turns one parser error into those problems, and, where the fix is sure (a colon
inside plain text), the text repaired in memory so that the next mistake is found in
the same run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from ..problems import Problem

# `key: value` at the start of a line, after any `- ` of list items.
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#'\"{\[][^:#]*?):[ \t]+(?P<value>.*)$")
# A line that opens a block scalar (`key: |`, `- >-`): the lines below it are text.
_BLOCK_HEADER = re.compile(r"(?:^|:|-)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def explain(exc: MarkedYAMLError, text: str, path: Path) -> tuple[list[Problem], str | None]:
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
        first = _first_key_line(exc, lines, at)
        message = (
            f"duplicate key: this key is written twice in one mapping (first on line "
            f"{first + 1}): keep one of them"
        )
        return [Problem(path, at + 1, "", message)], None
    # The parser's words may quote a whole value: one line of it is enough.
    message = " ".join(filter(None, [exc.context, exc.problem])) or "not valid YAML"
    return [Problem(path, at + 1, "", f"YAML syntax: {example(message)}")], None


def _first_key_line(exc: DuplicateKeyError, lines: list[str], at: int) -> int:
    """The line of the key's first use: the first line of the mapping (the parser's
    context) up to the repeated one that starts with the key at the repeated one's
    indentation; the mapping's first line if none is found."""
    start = exc.context_mark.line if exc.context_mark else 0
    repeated = lines[at] if at < len(lines) else ""
    key = repeated.strip().split(":", 1)[0].strip()
    indent = len(repeated) - len(repeated.lstrip(" -"))
    for n in range(start, at):
        line = lines[n]
        if (
            len(line) - len(line.lstrip(" -")) == indent
            and line.strip(" -").split(":", 1)[0].strip() == key
        ):
            return n
    return start


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
