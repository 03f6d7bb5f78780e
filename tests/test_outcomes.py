"""The clinic's own results (`outcomes/<aid id>.yaml`): problems at their line, the
Wilson interval, the handout's words and picture, the checks, the fingerprint and diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import aid_text, check, line_of

from decisionaid.content.outcomes import wilson
from decisionaid.content.root import ContentRoot

BRUISING = "      - name: Bruising\n"
# The test aid with its risk given an id, so that an audit can count it.
AID = aid_text().replace(BRUISING, "      - id: bruising\n        name: Bruising\n", 1)
AUDIT = """\
period: {from: 2021-01-01, to: 2025-12-31}
audited_by: Clinical governance committee
audited_on: 2026-01-20
options:
  surgery:
    treated: 212
    outcomes:
      bruising: 45
      gone: 14
"""


@pytest.fixture
def audited(root: Path) -> Path:
    (root / "aids" / "test-aid.yaml").write_text(AID, encoding="utf-8")
    (root / "outcomes").mkdir()
    (root / "outcomes" / "test-aid.yaml").write_text(AUDIT, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    report = check(root, today=dt.date(2026, 6, 1))
    found = [str(p) for p in report.problems]
    return found + [f"{f.file}:{f.line}: {f.message}" for f in report.findings]


# Known values: Wilson's 95% interval (Newcombe 1998, table I; Brown, Cai & DasGupta 2001).
@pytest.mark.parametrize(
    ("events", "n", "low", "high"),
    [
        (27, 212, 0.0891, 0.1790),
        (0, 12, 0.0, 0.2425),
        (81, 263, 0.2553, 0.3662),  # Newcombe's example: 0.2553 to 0.3662
        (15, 148, 0.0624, 0.1605),  # Newcombe's example: 0.0624 to 0.1605
        (12, 12, 0.7575, 1.0),
    ],
)
def test_wilson_known_values(events: int, n: int, low: float, high: float) -> None:
    got = wilson(events, n)
    assert got == pytest.approx((low, high), abs=0.0001)


def test_wilson_zero_events_is_about_the_rule_of_three() -> None:
    assert wilson(0, 100)[1] == pytest.approx(3.84 / 103.84, abs=0.0005)
    with pytest.raises(ValueError):
        wilson(5, 4)


def test_a_valid_audit_has_no_problems(audited: Path) -> None:
    assert not [p for p in problems(audited) if "outcomes" in p]
    audit, found = ContentRoot.at(audited).outcomes("test-aid")
    assert found == [] and audit is not None
    assert audit.count("surgery", "bruising") == (45, 212)


def _broken(audited: Path, old: str, new: str) -> tuple[list[str], int]:
    text = AUDIT.replace(old, new, 1)
    assert text != AUDIT
    (audited / "outcomes" / "test-aid.yaml").write_text(text, encoding="utf-8")
    needle = new.strip().splitlines()[0]
    found = [p for p in problems(audited) if "outcomes/test-aid.yaml" in p]
    return found, line_of(text, needle)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("  surgery:", "  surgeryy:", "unknown option 'surgeryy'"),
        ("      bruising: 45", "      swelling: 45", "unknown outcome 'swelling'"),
        ("      bruising: 45", "      bruising: 4.5", "not a whole number"),
        ("      bruising: 45", "      bruising: 0x2D", "decimal"),
        ("      bruising: 45", "      bruising: '45'", "not a number"),
        ("      bruising: 45", "      bruising: 300", "only 212 were treated"),
        ("    treated: 212", "    treated: 0", "treated is 0"),
        (
            "period: {from: 2021-01-01, to: 2025-12-31}",
            "period: {from: 2021-01-01, to: 2026-03-01}",
            "after the audit",
        ),
        ("audited_on: 2026-01-20", "audited_on: 2999-01-20", "in the future"),
    ],
)
def test_each_problem_at_its_line(audited: Path, old: str, new: str, words: str) -> None:
    found, line = _broken(audited, old, new)
    hits = [p for p in found if words in p]
    assert hits, found
    assert f"outcomes/test-aid.yaml:{line}:" in hits[0], hits
    assert "Traceback" not in "".join(found)


def test_an_outcomes_file_for_no_aid(audited: Path) -> None:
    (audited / "outcomes" / "test-ad.yaml").write_text(AUDIT, encoding="utf-8")
    found = problems(audited)
    assert any(
        "test-ad.yaml:1:" in p and "no aid 'test-ad'" in p and "test-aid" in p for p in found
    )


def test_a_broken_audit_blocks_the_aid_and_says_where(audited: Path) -> None:
    (audited / "outcomes" / "test-aid.yaml").write_text("period: [\n", encoding="utf-8")
    report = check(audited, today=dt.date(2026, 6, 1))
    assert any(
        "outcomes/test-aid.yaml" in str(f.file) and f.level == "error" for f in report.findings
    )
