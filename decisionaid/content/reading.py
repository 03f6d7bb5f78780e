"""One reader for every file the tool reads: aids, glossaries, factors, clinic.yaml,
templates, translation catalogs, pictures and the logo, and the manifests of OUT.

A content root is written by many hands (a shared drive), so no file is trusted before
it is read. Only a regular file is opened, never a pipe (which would hang the build)
or a device (`/dev/zero` fills memory); its type and size are read from `stat`
first, it is opened non-blocking and looked at again (it may have been swapped since),
and at most `limit` + 1 bytes are ever read. With `inside`, the file, links followed,
must lie in each of those folders. Every refusal is an `Unreadable` that names the
file and what to do about it, and becomes a `PATH:LINE:` problem.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from ..problems import Problem

# Limits (docs/authoring.md, "Limits"): far above any real handout, far below what
# would make one file stall a build.
MAX_FILE_BYTES = 1024 * 1024
IMAGE_LIMIT = 2 * 1024 * 1024  # bytes: a picture in a handout, not a photo archive

Inside = Path | Sequence[Path] | None


class Unreadable(Exception):
    """A file that may not (or cannot) be read, and why; at its line for a bad byte."""

    def __init__(self, path: Path, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.path, self.message, self.line = path, message, line

    def problem(self) -> Problem:
        return Problem(self.path, self.line, "", self.message)


def read_bytes(path: Path, inside: Inside = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (links followed: inside
    every folder of `inside`), or Unreadable."""
    refused = _refused(path, _folders(inside), limit)
    if refused:
        raise Unreadable(path, refused)
    try:
        raw = _read_regular(path, limit)
    except OSError as exc:
        raise Unreadable(path, f"cannot read the file ({exc.strerror or exc})") from None
    if raw is None:
        raise Unreadable(path, NOT_REGULAR)
    if len(raw) > limit:
        raise Unreadable(path, too_big(limit))
    return raw


def read_text(path: Path, inside: Inside = None, limit: int = MAX_FILE_BYTES) -> str:
    """The file as UTF-8 text (see read_bytes); one saved in another encoding is
    Unreadable at the line of its first bad byte."""
    raw = read_bytes(path, inside, limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, message = _not_utf8(raw, exc.start)
        raise Unreadable(path, message, line) from None


def refusal(path: Path, inside: Inside = None, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why read_bytes would refuse the file, from its `stat` alone (None: it may be read)."""
    return _refused(path, _folders(inside), limit)


def checked_text(path: Path, inside: Inside = None) -> tuple[str | None, list[Problem]]:
    """read_text, with the refusal as a problem instead of an exception."""
    try:
        return read_text(path, inside), []
    except Unreadable as exc:
        return None, [exc.problem()]


def _folders(inside: Inside) -> tuple[Path, ...]:
    if inside is None:
        return ()
    return (inside,) if isinstance(inside, Path) else tuple(inside)


def _refused(path: Path, inside: tuple[Path, ...], limit: int) -> str | None:
    """Why the file may not be read, from its `stat` alone (None: it may)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "this is a link to a file that does not exist: fix or remove the link"
        return "no such file"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    resolved = path.resolve()
    if any(not resolved.is_relative_to(folder.resolve()) for folder in inside):
        return (
            "this links to a file outside the content root: copy the file into the "
            "content root instead of linking to it"
        )
    if stat.S_ISDIR(info.st_mode):
        return "this is a folder, not a file: remove it or rename it"
    if not stat.S_ISREG(info.st_mode):
        return NOT_REGULAR
    if info.st_size > limit:
        return too_big(limit)
    return None


NOT_REGULAR = "this is not a regular file (a device, pipe or socket): content files are text files"


def too_big(limit: int = MAX_FILE_BYTES) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return f"the file is over {size}, far more than a handout holds: split it or shorten it"


def _read_regular(path: Path, limit: int) -> bytes | None:
    """At most `limit` + 1 bytes of a regular file; None if it is not one (it changed
    since `stat`: opened non-blocking, a pipe does not hang)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _not_utf8(raw: bytes, start: int) -> tuple[int, str]:
    """Editors on Windows often save as Windows-1252: name the character the author typed."""
    byte = raw[start : start + 1]
    try:
        seen = f", '{byte.decode('cp1252')}' in Windows-1252"
    except UnicodeDecodeError:
        seen = ""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode"
        seen = ": the file is UTF-16"
    line = raw.count(b"\n", 0, start) + 1
    return line, f"the file is not UTF-8 text (byte 0x{byte.hex()}{seen}): save the file as UTF-8"
