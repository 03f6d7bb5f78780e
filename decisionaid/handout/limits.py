"""Limits on what one template rendering may take: time, steps and size.

A template override is code the tool does not trust, and `check`, `build` and the web
app render it. Jinja's sandbox keeps a template out of Python's internals, but not out
of the clock or the memory: two nested `range(100000)` loops run for hours, `9**(9**8)`
(which Jinja would fold while compiling) for ever, and `'x' * 10**9` takes a gigabyte.
So every rendering runs under a budget (`limited`): a wall-clock deadline and a number
of steps (each item of a `range`, each call, attribute, item or operator the sandbox
sees counts), and the operations that make big values are refused past a size: `*`,
`+`, `**` and `%` (the sandbox's intercepted operators), a call's arguments, a filter's
size arguments, a namespace's values. A template that passes a limit raises
TemplateLimit, a template problem at its file and line.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable, Iterator, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SecurityError
from jinja2.utils import Namespace

SECONDS = 20.0  # a handout renders in well under a second
STEPS = 20_000_000  # sandboxed operations per rendering
MAX_ITEMS = 100_000  # one range, one size argument of a filter (Jinja's own MAX_RANGE)
MAX_SIZE = 2_000_000  # characters of a string or items of a list a template makes
MAX_POWER_BITS = 4096  # an integer `**` may make (a 1,200-digit number)
# Filters whose numeric arguments set the size of what they make.
SIZED_FILTERS = ("center", "indent", "wordwrap", "truncate", "batch", "slice", "format")
_WIDE_FORMAT = re.compile(r"%[-#0 +*]*\d{6,}|%[-#0 +]*\d*\.\d{6,}|\{[^{}]*:[^{}]*\d{6,}")


class TemplateLimit(SecurityError):
    """A template that passed a limit of time, steps or size (the message says which)."""


@dataclass
class _Budget:
    deadline: float
    steps: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


@contextmanager
def limited(seconds: float = SECONDS) -> Iterator[None]:
    """Render under a fresh budget (an inner rendering keeps the outer one's)."""
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget(time.monotonic() + seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def tick() -> None:
    """Count one step of the current rendering; raise when the budget is spent."""
    budget = _BUDGET.get()
    if budget is None:
        return
    budget.steps += 1
    if budget.steps > STEPS:
        raise TemplateLimit(
            f"the template takes more than {STEPS:,} steps: templates may show what they "
            "are given, not compute at length (a loop in a loop?)"
        )
    if budget.steps % 1000 == 0 and time.monotonic() > budget.deadline:
        raise TemplateLimit(f"the template takes more than {SECONDS:g} seconds to render")


def bounded_range(*args: int) -> Iterator[int]:
    """`range` for templates: at most MAX_ITEMS numbers, each one a step."""
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise TemplateLimit(f"range of more than {MAX_ITEMS:,} numbers")
    for number in numbers:
        tick()
        yield number


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operator whose result would pass a size limit, before it is made."""
    tick()
    if operator == "**":
        _power(left, right)
    elif operator == "*":
        for seq, count in ((left, right), (right, left)):
            if _sequence(seq) and isinstance(count, int) and len(seq) * max(count, 0) > MAX_SIZE:
                raise TemplateLimit(_too_big("a repeated text or list"))
    elif operator == "+" and _sequence(left) and _sequence(right):
        if len(left) + len(right) > MAX_SIZE:
            raise TemplateLimit(_too_big("joined texts or lists"))
    elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise TemplateLimit("a format wider than 99,999 characters")


def check_arguments(args: tuple, kwargs: dict[str, Any]) -> None:
    """Refuse a call given a value past the size limit (a macro doubling a text)."""
    tick()
    for value in (*args, *kwargs.values()):
        if _sequence(value) and len(value) > MAX_SIZE:
            raise TemplateLimit(_too_big("a value handed to a call"))


def check_format(text: str) -> None:
    if _WIDE_FORMAT.search(text):
        raise TemplateLimit("a format wider than 99,999 characters")


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that counts as a step and, for one that makes a value of a size it is
    told (`center(10**9)`), refuses a size argument over MAX_ITEMS."""
    sized = name in SIZED_FILTERS

    @functools.wraps(function)  # keeps Jinja's pass_context / pass_eval_context mark
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check_arguments(args, kwargs)
        if sized:
            numbers = [v for v in (*args[1:], *kwargs.values()) if isinstance(v, int)]
            if any(abs(v) > MAX_ITEMS for v in numbers):
                raise TemplateLimit(f"the filter {name} given a size over {MAX_ITEMS:,}")
        return function(*args, **kwargs)

    return bounded


class BoundedNamespace(Namespace):
    """Jinja's `namespace()`, refusing a value past the size limit (a text doubled in a
    loop: `{% set ns.s = ns.s ~ ns.s %}`)."""

    def __setitem__(self, name: str, value: Any) -> None:
        tick()
        if _sequence(value) and len(value) > MAX_SIZE:
            raise TemplateLimit(_too_big("a namespace's value"))
        super().__setitem__(name, value)


def _power(base: Any, exponent: Any) -> None:
    if not (isinstance(base, int) and isinstance(exponent, int)) or exponent <= 0:
        return
    if abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_POWER_BITS:
        raise TemplateLimit(f"a power of more than {MAX_POWER_BITS:,} bits")


def _sequence(value: Any) -> bool:
    return isinstance(value, (str, bytes, list, tuple)) and isinstance(value, Sized)


def _too_big(what: str) -> str:
    return f"{what} of more than {MAX_SIZE:,} characters or items"


__all__ = [
    "BoundedNamespace",
    "TemplateLimit",
    "bounded_filter",
    "bounded_range",
    "check_arguments",
    "check_binop",
    "check_format",
    "limited",
    "tick",
]
