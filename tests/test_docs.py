"""The documents make promises about tests: the tests they name must exist."""

from __future__ import annotations

import re

from helpers import REPO

NAMED = re.compile(r"\]\(\.\./(tests/test_\w+\.py)\)`::(test_\w+)`")


def test_every_promise_in_security_md_names_tests_that_exist():
    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    promises = [s for s in sections if re.match(r"\d+\.", s)]
    assert len(promises) >= 10
    for section in promises:
        named = NAMED.findall(section)
        assert named, f"no test named under: {section.splitlines()[0]}"
        for file, test in named:
            source = (REPO / file).read_text(encoding="utf-8")
            assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{file}::{test}"
