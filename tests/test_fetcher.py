"""WeasyPrint only ever reads files inside the content root and the built-in templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from decisionaid.publish.pdf import ContentFetcher, render_pdf
from decisionaid.settings import ContentLayout, builtin_templates

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4f6"
    "0000000049454e44ae426082"
)


def test_refuses_files_outside_the_root(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "ok.css").write_text("p{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    fetcher = ContentFetcher([root])
    fetcher.fetch((root / "ok.css").as_uri()).close()
    for url in (
        (tmp_path / "secret.txt").as_uri(),
        (root / ".." / "secret.txt").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(URLFetchingError, match="outside the content root"):
            fetcher.fetch(url)


def test_refuses_the_network(tmp_path: Path):
    fetcher = ContentFetcher([tmp_path])
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/x.css", "ftp://example.org/x"):
        with pytest.raises((URLFetchingError, ValueError)):
            fetcher.fetch(url)


def test_pdf_render_skips_outside_images(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "inside.png").write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    html = (
        '<html lang="en"><head><title>t</title></head><body>'
        '<img alt="inside" src="inside.png">'
        f'<img alt="outside" src="{(tmp_path / "outside.png").as_uri()}">'
        '<img alt="net" src="http://127.0.0.1:9/x.png"></body></html>'
    )
    pdf = render_pdf(html, ContentLayout(root))
    data, warnings = pdf.data, pdf.warnings
    (tmp_path / "t.pdf").write_bytes(data)
    images = sum(len(page.images) for page in PdfReader(tmp_path / "t.pdf").pages)
    assert images == 1
    assert any("outside the content root" in w for w in warnings)
    assert any("no network" in w for w in warnings)


def test_builtin_templates_are_allowed():
    fetcher = ContentFetcher([builtin_templates()])
    fetcher.fetch((builtin_templates() / "handout.css").as_uri()).close()
