"""How patients' PDFs are made: the render pool's settings and their defaults, in one
place. `decisionaid serve`'s options, the app and the pool (renderer.py) all read them
from here. A module of its own, with nothing but the standard library, so that the
command line can show these defaults in `--help` without loading the web stack."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class PoolSettings:
    """`workers` processes, each copy stopped after `timeout` seconds, at most
    `max_waiting` copies waiting for a worker, each worker replaced by a fresh one after
    `recycle_after` copies (0: never)."""

    workers: int = field(default_factory=_cores)
    timeout: float = 60.0
    max_waiting: int = 20
    # WeasyPrint's caches and the heap grow with every copy (about a quarter of a MB
    # each, measured over 500): a worker that has made this many is replaced by a
    # fresh one, so that a server left on for weeks stays the size it was on day one.
    recycle_after: int = 100
