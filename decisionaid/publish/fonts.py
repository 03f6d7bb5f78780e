"""Characters no installed font can draw, so that a handout never prints empty boxes
without saying so. fontconfig (which WeasyPrint's Pango uses) is asked per character;
Latin text is taken as covered (the handout fonts are installed by `make build`)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"<(style|script)\b.*?</\1>|<[^>]*>", re.S)


def missing_characters(html: str) -> list[str]:
    """The characters of `html`'s text that no installed font has, in order."""
    text = _TAG.sub(" ", html)
    wanted = sorted(
        {char for char in text if ord(char) > 0x24F and unicodedata.category(char)[0] in "LNPS"}
    )
    return [char for char in wanted if not _installed(char)]


@lru_cache(maxsize=4096)
def _installed(char: str) -> bool:
    """Whether some installed font has `char` (fontconfig's charset query)."""
    try:
        found = subprocess.run(
            ["fc-list", f":charset={ord(char):x}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return True  # no fontconfig to ask: say nothing rather than guess
    return bool(found.stdout.strip())


def describe(chars: list[str]) -> str:
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:8])
    more = f" and {len(chars) - 8} more" if len(chars) > 8 else ""
    return shown + more
