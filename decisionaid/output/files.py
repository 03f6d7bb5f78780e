"""Writing outputs so that nothing is ever left half-written.

One file is written to a temporary file beside it and renamed into place. An aid's
set of files (handout, PDF, summary, quality page) is written the same way, all
temporary files first, then every rename at once with signals held back, so a reader
sees the old set or the new one, never a mix, even on a full disk or a Ctrl-C.
"""

from __future__ import annotations

import os
import re
import signal
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

# `.NAME.RANDOM.tmp`: what mkstemp makes below, and all that `sweep` may delete.
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
_HELD = {signal.SIGINT, signal.SIGTERM}


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    write_set(path.parent, {path.name: data})


def write_set(folder: Path, files: Mapping[str, bytes | str]) -> None:
    """Replace the files (names under `folder`) together or not at all. Raises OSError
    (nothing replaced) if any of them cannot be written."""
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            staged.append((_stage(folder / name, data), folder / name))
        with _signals_held():
            for tmp, path in staged:
                os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
    except OSError as exc:  # name the file meant, not its temporary name (or none)
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C or SIGTERM arriving during the renames takes effect just after them."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def sweep(folder: Path) -> list[Path]:
    """Delete temporary files an earlier run could not (it was killed outright)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob(".*.tmp") if _TEMPORARY.match(p.name) and p.is_file()]
    for path in found:
        path.unlink(missing_ok=True)
    return found
