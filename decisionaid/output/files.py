"""Writing outputs so that nothing is ever left half-written.

One file is written to a temporary file beside it and renamed into place. An aid's
set of files (handout, PDF, summary, quality page) is written the same way, all
temporary files first, then every rename at once with signals held back, so a reader
sees the old set or the new one, never a mix, even on a full disk or a Ctrl-C.
"""

from __future__ import annotations

import errno
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


class OutsideRefused(OSError):
    """A write whose folder, links followed, lies outside the folder it must stay in."""

    def __init__(self, path: Path, inside: Path) -> None:
        super().__init__(
            errno.EXDEV,
            f"this links to a folder outside {inside.name or inside}; nothing is written "
            "outside it (replace the link by a folder)",
            str(path),
        )


def check_inside(folder: Path, inside: Path) -> None:
    """Raise OutsideRefused unless `folder`, links followed (the part that exists yet),
    lies inside `inside`: checked before a folder is made, so that `mkdir` never makes
    one through a link to elsewhere."""
    if not folder.resolve().is_relative_to(inside.resolve()):
        raise OutsideRefused(folder, inside)


def write_atomic(path: Path, data: bytes | str, inside: Path | None = None) -> None:
    """Write to a temporary file beside `path`, then rename it into place (only inside
    `inside`, links followed, when given)."""
    write_set(path.parent, {path.name: data}, inside)


def write_set(folder: Path, files: Mapping[str, bytes | str], inside: Path | None = None) -> None:
    """Replace the files (names under `folder`) together or not at all. Raises OSError
    (nothing replaced) if any of them cannot be written, OutsideRefused (nothing
    written) if `inside` is given and a file's folder lies outside it."""
    if inside is not None:
        for name in files:
            check_inside((folder / name).parent, inside)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            staged.append((_stage(folder / name, data, inside), folder / name))
        with _signals_held():
            for tmp, path in staged:
                os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes | str, inside: Path | None = None) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if inside is not None:  # a link swapped in while the folders were made
        check_inside(path.parent, inside)
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
