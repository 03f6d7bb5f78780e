"""Hints for a chance written the ways authors first write one: `chance: 85%`,
`chance: 15 in 100`, `count: 0.5`. Each hint gives the fix in the form the contract
wants (`count: 85, per: 100`), computed from the numbers the author wrote."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, get_args

from pydantic_core import ErrorDetails

from .load import node_at
from .models import Chance

if TYPE_CHECKING:
    from .validate import ErrorLoc, Hint

_PERS: tuple[int, ...] = get_args(Chance.model_fields["per"].annotation)
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")
_IN = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:in|out of|of|/)\s*(\d+(?:,\d{3})*)(?:\s+\w+)*$", re.I)


def chance_hint(error: ErrorDetails, data: Any, loc: ErrorLoc) -> Hint | None:
    """A chance written as a percentage or "15 in 100" instead of a mapping."""
    got = error.get("input")
    if loc[-1:] != ["chance"] or error["type"] not in ("model_type", "dict_type"):
        return None
    if isinstance(got, bool) or not isinstance(got, str | int | float):
        return None
    count, per = _as_count_per(got) or ("N", 100)
    return loc, (
        f"write it as count: {count}, per: {per} (with range and timeframe), like "
        f"chance: {{count: {count}, per: {per}, range: [LOW, HIGH], timeframe: TIME}}"
    )


def _as_count_per(got: str | int | float) -> tuple[int, int] | None:
    """`85%` → (85, 100); `15 in 100` → (15, 100); `1 in 20` → (5, 100)."""
    text = str(got).strip()
    if match := _PERCENT.match(text):
        return _natural(Decimal(match[1]), Decimal(100))
    if match := _IN.match(text):
        return _natural(Decimal(match[1]), Decimal(match[2].replace(",", "")))
    if isinstance(got, float) and 0 < got < 1:  # a proportion: 0.15
        return _natural(Decimal(repr(got)), Decimal(1))
    if isinstance(got, int) and 0 <= got <= 100:
        return got, 100
    return None


def _natural(count: Decimal, per: Decimal) -> tuple[int, int] | None:
    """`count` in `per` as a whole number out of one of the allowed denominators."""
    if per <= 0:
        return None
    if per in _PERS and count == count.to_integral_value():
        return int(count), int(per)
    share = count / per
    for denominator in _PERS[1:]:
        if share * denominator == (share * denominator).to_integral_value():
            return int(share * denominator), denominator
    denominator = next((d for d in _PERS[1:] if share * d >= 10), _PERS[-1])
    return int((share * denominator).to_integral_value(ROUND_HALF_UP)), denominator


def whole_number_hint(error: ErrorDetails, data: Any, loc: ErrorLoc) -> Hint | None:
    """`count: 0.5`: the fix is a larger `per`, computed from the numbers written.
    Reported once per chance, at its count, even if the range has fractions too."""
    if error["type"] not in ("int_type", "int_from_float"):
        return None
    got = error.get("input")
    if not isinstance(got, float) or not _is_number(got) or got.is_integer():
        return None
    if loc[-1:] == ["count"]:
        chance_loc = loc[:-1]
    elif len(loc) >= 2 and loc[-2] == "range":
        chance_loc = loc[:-2]
    else:
        return None
    chance = node_at(data, chance_loc)
    if not isinstance(chance, dict):
        return None
    where = [*chance_loc, "count" if isinstance(chance.get("count"), float) else "range"]
    per = chance.get("per")
    if per in _PERS and per * 10 > _PERS[-1]:
        return where, f"use whole numbers (per is at most {per}): round it, e.g. {_scaled(chance)}"
    return where, f"use a larger per, e.g. {_scaled(chance)} (a chance uses whole numbers)"


def _scaled(chance: dict[str, Any]) -> str:
    """The chance's count (and range) out of the smallest larger per that makes them whole."""
    per: int = chance["per"] if chance.get("per") in _PERS else 100
    numbers = {"count": chance.get("count"), "low": None, "high": None}
    written = chance.get("range")
    if isinstance(written, list) and len(written) == 2:
        numbers["low"], numbers["high"] = written
    values = {k: Decimal(repr(v)) for k, v in numbers.items() if _is_number(v)}
    factors = [f for f in (10, 100, 1000) if per * f <= _PERS[-1]] or [1]
    factor = next(
        (f for f in factors if all(v * f == (v * f).to_integral_value() for v in values.values())),
        factors[-1],
    )
    whole = {k: int((v * factor).to_integral_value(ROUND_HALF_UP)) for k, v in values.items()}
    parts = [f"count: {whole['count']}"] if "count" in whole else []
    parts.append(f"per: {per * factor}")
    if "low" in whole and "high" in whole:
        parts.append(f"range: [{whole['low']}, {whole['high']}]")
    return ", ".join(parts)


def _is_number(value: Any) -> bool:
    """A number that can be scaled to a whole count (YAML also has .inf and .nan)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
