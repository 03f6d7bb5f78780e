"""WeasyPrint only ever reads files inside the content root and the built-in templates."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from helpers import REPO, build, pdf_text, run_cli
from PIL import Image
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from decisionaid.output.pdf import ContentFetcher, render_pdf
from decisionaid.settings import ContentLayout, builtin_templates

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4f6"
    "0000000049454e44ae426082"
)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()


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


# A folder named `inner.jpg#` beside a real JPEG: urllib reads `inner.jpg#/../../x` as
# inner.jpg (the fragment dropped), the kernel as a path through that folder to x.
SECRET = b"NOT-FOR-PATIENTS-7f3a"


def _trap(tmp_path: Path) -> tuple[Path, str]:
    """A content root with images/inner.jpg and a folder images/inner.jpg#, and a secret
    file beside the root; the URL that names the JPEG and leads, by the kernel, to it."""
    root = tmp_path / "root"
    (root / "images" / "inner.jpg#").mkdir(parents=True)
    (root / "images" / "inner.jpg").write_bytes(JPEG)
    (tmp_path / "secret.txt").write_bytes(SECRET + b"\n")
    return root, (root / "images" / "inner.jpg").as_uri() + "#/../../../secret.txt"


def _svg(href: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">\n'
        f'<image href="{href}" width="4" height="4"/>\n</svg>\n'
    )


def test_a_file_url_is_read_as_urllib_reads_it_and_only_those_bytes_are_used(tmp_path: Path):
    root, trap = _trap(tmp_path)
    fetcher = ContentFetcher([root])
    response = fetcher.fetch(trap)
    # The JPEG is what was read, and the response names no file WeasyPrint would open
    # again (it used to re-read the path of the URL, fragment and all).
    assert response.read() == JPEG and response.path is None
    (root / "out-link").symlink_to(tmp_path / "secret.txt")
    for url in (
        (root / "images").as_uri() + "/%2e%2e/%2E%2E/secret.txt",
        (root / "out-link").as_uri(),
        (root / "images").as_uri() + "/..%2f..%2fsecret.txt",
        "file://elsewhere" + (root / "images" / "inner.jpg").as_uri()[7:],
    ):
        with pytest.raises(URLFetchingError, match="outside the content root"):
            fetcher.fetch(url)


def test_a_picture_or_an_img_cannot_put_a_file_outside_the_root_in_a_pdf(tmp_path: Path):
    root, trap = _trap(tmp_path)
    svg = "data:image/svg+xml;base64," + base64.b64encode(_svg(trap).encode()).decode()
    html = (
        '<html lang="en"><head><title>t</title></head><body>'
        f'<img alt="svg" src="{svg}"><img alt="jpeg" src="{trap}">'
        '<img alt="relative" src="images/inner.jpg#/../../../secret.txt"></body></html>'
    )
    pdf = render_pdf(html, ContentLayout(root))
    # The JPEG the URL names is embedded, as read by the fetcher; the secret is not.
    assert SECRET not in pdf.data and JPEG in pdf.data


def _examples(root: Path) -> Path:
    for name in ("glossary", "factors", "images"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
    (root / "aids").mkdir()
    shutil.copy(REPO / "aids" / "upper-eyelid-surgery.yaml", root / "aids")
    shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
    return root


def test_check_names_an_svg_that_refers_outside_the_root_and_the_build_leaks_nothing(
    tmp_path: Path,
):
    root, trap = _trap(tmp_path)
    _examples(root)
    (root / "images" / "eyelid-cut.svg").write_text(_svg(trap), encoding="utf-8")
    (root / "images" / "away.svg").write_text(
        _svg((tmp_path / "secret.txt").as_uri()), encoding="utf-8"
    )
    checked = run_cli("check", "--root", str(root))
    assert checked.exit_code == 1
    assert "images/eyelid-cut.svg:2: error" in checked.output and "'?' or '#'" in checked.output
    out = tmp_path / "out"
    report = build(root, out, formats=["pdf"])
    assert not report.ok
    assert not any(SECRET in f.read_bytes() for f in out.rglob("*") if f.is_file())
    # A logo that refers to a file outside the root is named at its own line too.
    clinic = (root / "clinic.yaml").read_text(encoding="utf-8")
    (root / "clinic.yaml").write_text(clinic + "logo: images/away.svg\n", encoding="utf-8")
    found = run_cli("check", "--root", str(root))
    assert "images/away.svg:2:" in found.output and "outside the content root" in found.output


def test_a_patient_copy_from_a_template_override_reads_nothing_outside(tmp_path: Path):
    root, trap = _trap(tmp_path)
    _examples(root)
    (root / "templates").mkdir()
    (root / "templates" / "handout.html").write_text(
        '<html lang="en"><head><title>{{ h.aid.title }}</title></head><body>'
        f'<h1>{{{{ h.aid.title }}}}</h1><img alt="a" src="{trap}">'
        '<img alt="b" src="images/inner.jpg#/../../../secret.txt"></body></html>',
        encoding="utf-8",
    )
    copy = tmp_path / "copy.pdf"
    result = run_cli("handout", "upper-eyelid-surgery", "--root", str(root), "-o", str(copy))
    assert result.exit_code == 0, result.output
    assert SECRET not in copy.read_bytes()
    assert "Upper" in pdf_text(copy)
