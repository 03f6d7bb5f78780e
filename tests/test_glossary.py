"""Glossary selection: exactly the terms a handout uses, whole words, any case, once."""

from __future__ import annotations

from helpers import build, soup, text_of
from markupsafe import Markup

from decisionaid.content.glossary import Glossary
from decisionaid.content.models import GlossaryEntry


def glossary(*entries: tuple[str, list[str]]) -> Glossary:
    return Glossary(
        GlossaryEntry(term=term, aliases=aliases, definition=f"about {term}")
        for term, aliases in entries
    )


def test_whole_words_any_case_aliases_once():
    g = glossary(("implant", ["implants"]), ("scar", []), ("scar tissue", []), ("ear", []))
    used = g.used_in(["Your IMPLANTS may move.", "An implant.", "Scar tissue forms.", "Search"])
    # "Search" contains "ear" but not as a whole word; "Scar tissue" beats "scar".
    assert [t.term for t in used] == ["implant", "scar tissue"]


def test_hyphenated_words_are_not_split():
    g = glossary(("ear", []))
    assert g.find("an ear-ring") == [] and g.find("ear-") == [] and g.find("the ear.")


def test_linker_links_only_the_first_use_and_skips_existing_links():
    g = glossary(("nerve", []))
    link = g.linker(g.terms, lambda anchor, words: f'<a class="term" href="#{anchor}">{words}</a>')
    first = link(Markup('<p>See <a href="https://x.org">nerve</a> here.</p>'))
    assert "term" not in first  # inside an existing link: left alone
    second = link("The nerve & the nerve.")
    assert str(second) == 'The <a class="term" href="#term-nerve">nerve</a> &amp; the nerve.'
    assert "term-nerve" not in link("nerve again")


def test_handout_defines_exactly_the_terms_it_uses(root):
    out = root / "out"
    report = build(root, out, formats=["html"])
    assert report.ok, report.problems
    page = soup(out / "en" / "test-aid.html")
    terms = [text_of(dt) for dt in page.select("#words dt")]
    # "local anesthesia" and "bruising" (via the alias "bruise") are used;
    # "anesthesia" only inside "local anesthesia"; "unused term" never.
    assert terms == ["bruising", "local anesthesia", "testoplasty"]
    links = [a["href"] for a in page.select("a.term")]
    # "testoplasty" is only in the title: headings carry no links, the term is still defined.
    assert sorted(links) == ["#term-bruising", "#term-local-anesthesia"]
    for href in links:
        assert page.select_one(href) is not None
