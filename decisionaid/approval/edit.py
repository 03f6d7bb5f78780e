"""Setting `status: approved` and `approved_by:` in an aid file, and nothing else.

The file is parsed with ruamel.yaml's round-trip loader, which knows the line and column
of every key and value; only those two values' text is replaced (approved_by is added
on the line after status when the file has none). Everything else stays byte for byte
as the author wrote it: comments, key order, quotes, indentation, and flow mappings
written over several lines (which a full round-trip dump would join into one). The
name is written as ruamel quotes it, and the result is parsed again to make sure it
says what the file said, status and approved_by aside, before anything is written.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^\s#][^#\n]*?(?=\s+#|\s*$)")


def set_approved(text: str, by: str) -> str:
    """The aid file's text with status approved and approved_by `by`."""
    data = _load(text)
    if not isinstance(data, CommentedMap) or data.fa.flow_style() or "status" not in data:
        raise ValueError("this is not an aid file with a status: key")
    lines = text.splitlines(keepends=True)
    keys = list(data)
    name = _scalar("approved_by", by)
    if "approved_by" in data:
        lines = _replace(lines, data, keys, "approved_by", name)
        lines = _replace(lines, data, keys, "status", "approved")
    else:
        lines = _replace(lines, data, keys, "status", "approved")
        line = data.lc.key("status")[0]
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        lines.insert(line + 1, f"{indent}approved_by: {name}\n")
    written = "".join(lines)
    if not _same_but_approval(data, _load(written)):  # never write a file that says other things
        raise ValueError("the file could not be edited without changing other keys")
    return written


def _replace(
    lines: list[str], data: CommentedMap, keys: list[str], key: str, value: str
) -> list[str]:
    """`lines` with `key`'s value replaced: on its own line, only the value's text (a
    comment after it stays); a value over several lines becomes one line."""
    key_line = data.lc.key(key)[0]
    line, column = data.lc.value(key)
    following = [data.lc.key(k)[0] for k in keys[keys.index(key) + 1 :]]
    end = following[0] if following else len(lines)
    while end - 1 > key_line and not lines[end - 1].strip():
        end -= 1  # blank lines before the next key stay
    text = lines[line]
    token = _TOKEN.match(text, column) if line == key_line else None
    if token is not None and end == key_line + 1 and not token[0].startswith(("|", ">")):
        lines[line] = text[: token.start()] + value + text[token.end() :]
        return lines
    start = text[: data.lc.key(key)[1]]
    return [*lines[:key_line], f"{start}{key}: {value}\n", *lines[end:]]


def _scalar(key: str, value: str) -> str:
    """`value` as YAML writes it after `key: ` (quoted where it must be)."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump({key: value}, out)
    return out.getvalue().removeprefix(f"{key}: ").rstrip("\n")


def _load(text: str) -> Any:
    return YAML(typ="rt").load(text)


def _same_but_approval(before: CommentedMap, after: object) -> bool:
    """Whether two aid files hold the same data, status and approved_by aside."""
    if not isinstance(after, CommentedMap) or after.get("status") != "approved":
        return False
    old = {k: v for k, v in before.items() if k not in ("status", "approved_by")}
    new = {k: v for k, v in after.items() if k not in ("status", "approved_by")}
    return old == new
