"""Reading YAML while keeping where each key and item stands in the file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..problems import Problem


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file (YAML 1.2: `no` stays text). Returns data or the problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(path, 1, "", f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(path, 1, "", f"cannot read the file ({exc.strerror})")]
    try:
        return _parser().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(filter(None, [exc.context, exc.problem])) or "not valid YAML"
        return None, [Problem(path, line, "", f"YAML syntax: {message}")]
    except (YAMLError, ValueError) as exc:
        return None, [Problem(path, 1, "", f"YAML syntax: {exc}")]


class _DatesAsText(RoundTripConstructor):
    """Leaves dates as text, so that a bad date is reported by validation, with its
    line, rather than raised by the parser."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsText.construct_yaml_str)


def _parser() -> YAML:
    """A YAML 1.2 round-trip parser: it keeps the line of every key and item."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsText
    return yaml


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
