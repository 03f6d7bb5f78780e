"""The rules for files an aid shares with others: a glossary defines each word once,
clinic.yaml's accent colour is readable and its logo is a picture, and a picture is a
PNG, JPEG or SVG file inside the content root, read by the one reader (reading.py)."""

from __future__ import annotations

import difflib
import os
import zoneinfo
from pathlib import Path
from typing import Any

from ..problems import Problem, shown
from .load import dotted, line_of
from .models import Clinic, GlossaryEntry, time_zone
from .reading import IMAGE_LIMIT as IMAGE_LIMIT
from .reading import Unreadable, read_bytes, too_big
from .svg_refs import references


def glossary_rules(entries: list[GlossaryEntry], data: Any, path: Path) -> list[Problem]:
    """Each term or alias may be defined only once, whatever its case."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        for word in (entry.term, *entry.aliases):
            key = word.casefold()
            if key in seen and seen[key] != i:
                loc = (i, "term")
                problems.append(
                    Problem(
                        path,
                        line_of(data, loc),
                        dotted(loc),
                        f"'{shown(word)}' is already defined by entry {seen[key]} "
                        f"('{shown(entries[seen[key]].term)}')",
                    )
                )
            seen.setdefault(key, i)
    return problems


AA_CONTRAST = 4.5  # WCAG 2.1 AA for body text


def clinic_rules(clinic: Clinic, data: Any, path: Path, root: Path) -> list[Problem]:
    """The logo is an image inside the content root; the accent colour is readable on
    white; the time zone is one this computer knows."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    logo = None
    if clinic.logo is not None:
        logo = picture_problem(root, clinic.logo, (path, line_of(data, ("logo",)), "logo"))
    if clinic.accent is not None:
        ratio = contrast(clinic.accent, "#ffffff")
        if ratio < AA_CONTRAST:
            found.append(
                (
                    ("accent",),
                    f"{clinic.accent} on white has a contrast of {ratio:.1f}:1, below the "
                    f"{AA_CONTRAST}:1 that WCAG AA needs for text; choose a darker colour",
                )
            )
    if clinic.time_zone is not None and time_zone(clinic.time_zone) is None:
        found.append((("time_zone",), unknown_zone(clinic.time_zone)))
    found_problems = [Problem(path, line_of(data, loc), dotted(loc), msg) for loc, msg in found]
    return [logo, *found_problems] if logo else found_problems


def unknown_zone(name: str) -> str:
    """Why a time zone cannot be used, with the closest names this computer knows."""
    known = zoneinfo.available_timezones()
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    close += [zone for zone in sorted(known) if zone.casefold() == name.casefold()][:1]
    hint = f"; did you mean '{close[-1]}'?" if close else ""
    return (
        f"'{shown(name)}' is not a time zone this computer knows (until it is fixed, "
        f"the server's own zone says what day it is){hint} Write an IANA name such as "
        "Europe/Madrid or America/New_York"
    )


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


class PictureRefused(ValueError):
    """A picture that cannot be shown; the message names it and says why. `at`: the
    file and line the fault is in, when it is inside the picture (an SVG's reference)."""

    def __init__(self, message: str, at: tuple[Path, int] | None = None) -> None:
        super().__init__(message)
        self.at = at


def image_problem(root: Path, name: str) -> str | None:
    """Why `name` cannot be shown, or None (see `picture`)."""
    refused = image_refusal(root, name)
    return str(refused) if refused else None


def image_refusal(root: Path, name: str) -> PictureRefused | None:
    """Why `name` cannot be shown, with where the fault is, or None (see `picture`)."""
    try:
        picture(root, name)
    except PictureRefused as exc:
        return exc
    return None


def picture_problem(root: Path, name: str, fallback: tuple[Path, int, str]) -> Problem | None:
    """Why `name` cannot be shown, as a problem: at the picture's own file and line when
    the fault is inside it, else at `fallback` (the file, line and key that names it)."""
    refused = image_refusal(root, name)
    if refused is None:
        return None
    if refused.at is not None:
        return Problem(refused.at[0], refused.at[1], "", str(refused))
    return Problem(fallback[0], fallback[1], fallback[2], str(refused))


def picture_references(root: Path, name: str) -> list[Path]:
    """The files inside the content root that the picture `name` refers to (an SVG's
    `<image href>`...), each once; none for a PNG, a JPEG or a picture refused."""
    try:
        kind, data = picture(root, name)
    except PictureRefused:
        return []
    if kind != "image/svg+xml":
        return []
    return list(dict.fromkeys(r.file for r in references(data, root) if r.file is not None))


def picture(root: Path, name: str) -> tuple[str, bytes]:
    """The media type and bytes of a picture of the content root: a regular file inside
    the root (links resolved) of at most IMAGE_LIMIT bytes, and a PNG, JPEG or SVG by
    its first bytes. Raises PictureRefused."""
    path = root / name
    if not path.resolve().is_relative_to(root.resolve()):
        raise PictureRefused(
            f"'{name}' is outside the content root: keep pictures in it (e.g. images/)"
        )
    if not os.path.lexists(path):
        raise PictureRefused(f"no file '{name}' in the content root")
    try:
        data = read_bytes(path, root, IMAGE_LIMIT)
    except Unreadable as exc:
        if exc.message == too_big(IMAGE_LIMIT):
            raise PictureRefused(
                f"'{name}' is over {IMAGE_LIMIT // (1024 * 1024)} MB: make it smaller"
            ) from None
        raise PictureRefused(f"'{name}': {exc.message}") from None
    kind = media_type(data[:1024])
    if kind is None:
        raise PictureRefused(f"'{name}' is not a PNG, JPEG or SVG picture")
    if kind == "image/svg+xml":
        for ref in references(data, root):
            if ref.problem:
                raise PictureRefused(f"'{shown(ref.url)}' {ref.problem}", (path, ref.line))
    elif extra := len(data) - picture_end(kind, data):
        # A page embeds the file whole: what follows the picture (a ZIP, say) would be
        # published with it, unseen.
        raise PictureRefused(
            f"'{name}' has {extra:,} bytes after the end of its picture (another file "
            "joined to it?): save the picture again from an image editor"
        )
    return kind, data


def picture_end(kind: str, data: bytes) -> int:
    """Where a PNG's or JPEG's picture ends: after a PNG's IEND chunk, after the JPEG
    marker that ends its image (the first FF D9 after its first scan: inside a scan,
    an FF byte is always followed by 00 or a restart marker). The whole file when its
    end is not found (then WeasyPrint says what is wrong with it)."""
    if kind == "image/png":
        offset = 8
        while offset + 8 <= len(data):
            length = int.from_bytes(data[offset : offset + 4], "big")
            chunk = data[offset + 4 : offset + 8]
            offset += 12 + length
            if chunk == b"IEND":
                return min(offset, len(data))
        return len(data)
    scan = data.find(b"\xff\xda")
    end = data.find(b"\xff\xd9", scan) if scan >= 0 else -1
    return end + 2 if end >= 0 else len(data)


def image_type(file: Path) -> str | None:
    """The media type of a picture file by its content, not its name (None: not one)."""
    try:
        return media_type(read_bytes(file, limit=IMAGE_LIMIT)[:1024])
    except Unreadable:
        return None


def media_type(head: bytes) -> str | None:
    """The media type of a picture from its first bytes."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "image/svg+xml"
    return None
