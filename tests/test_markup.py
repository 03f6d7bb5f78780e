"""Markdown is rendered, and whatever HTML an author writes is sanitised."""

from __future__ import annotations

from helpers import aid_text, build, foreign_scripts, soup

from decisionaid.handout.markup import to_html

NASTY = """Plain **bold** and a [link](https://example.org).

<script>alert(1)</script>
<style>body{display:none}</style>
<iframe src="https://evil.example"></iframe>
<img src="file:///etc/passwd" onerror="alert(2)">
<a href="javascript:alert(3)" onclick="alert(4)">click</a>
<p onmouseover="alert(5)">hover</p>

# A heading inside a field
"""


def test_markdown_is_rendered():
    html = str(to_html("Some **bold** text.\n\n- one\n- two"))
    assert "<strong>bold</strong>" in html and "<li>one</li>" in html


def test_dangerous_html_does_not_survive():
    html = str(to_html(NASTY)).lower()
    for bad in (
        "<script",
        "alert(1)",
        "<style",
        "display:none",
        "<iframe",
        "<img",
        "javascript:",
        "onclick",
        "onerror",
        "onmouseover",
        "<h1",
    ):
        assert bad not in html, bad
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html
    assert "<strong>a heading inside a field</strong>" in html


def test_sanitised_in_the_built_handout(root, write_aid):
    # A javascript: link stops the build (tests/test_trust_content.py); the rest is built,
    # sanitised, and an event handler on an allowed link goes too.
    nasty = NASTY.replace('href="javascript:alert(3)"', 'href="https://example.org/x"')
    text = aid_text().replace(
        "condition: |\n  The problem, in plain words.",
        "condition: |\n"
        + "".join(f"  {line}\n" for line in nasty.splitlines())
        + "  The problem, in plain words.",
    )
    write_aid("test-aid", text)
    report = build(root, root / "out", formats=["html"])
    assert report.ok, report.problems
    page = soup(root / "out" / "en" / "test-aid.html")
    assert foreign_scripts(page) == [] and page.find("iframe") is None and page.find("img") is None
    assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert "javascript:" not in str(page)


def test_plain_fields_are_escaped(root, write_aid):
    write_aid(
        "test-aid",
        aid_text().replace(
            "title: Test procedure (testoplasty)", 'title: "<b>Bold</b> & <script>x</script>"'
        ),
    )
    build(root, root / "out", formats=["html"])
    page = soup(root / "out" / "en" / "test-aid.html")
    assert page.h1.get_text() == "<b>Bold</b> & <script>x</script>"
    assert foreign_scripts(page) == []
