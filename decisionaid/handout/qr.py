"""A QR code for the summary page, so a patient's phone opens the full handout.

segno draws it as SVG offline; the template shows it as an image with alt text.
"""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=256)  # one address per aid and language; drawing it is half of enrich
def qr_data_uri(url: str) -> str:
    """`url` as a QR code: a `data:image/svg+xml` URL (medium error correction)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)
