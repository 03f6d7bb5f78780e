"""Issue 29, round three: translations, approvals and shards that could print what was
never checked or approved, and files written outside the content root. Each test is an
attack from the issue, through the real command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import aid_text, line_of, run_cli

from decisionaid.cli import main

# A translation's chain ends at a file that is no translation


def test_a_translation_loop_is_an_error_at_translation_of(root: Path):
    """es says it translates fr, fr says it translates es: each would be compared with
    the other only, never with the source, and both print 9 in 100 against its 6."""
    changed = aid_text().replace("count: 6, per: 100", "count: 9, per: 100")
    for language, other in (("es", "fr"), ("fr", "es")):
        text = changed.replace(
            "title:", f"language: {language}\ntranslation_of: {other}\ntitle:", 1
        )
        (root / "aids" / f"test-aid.{language}.yaml").write_text(text, encoding="utf-8")
    line = line_of(text, "translation_of:")
    out = root / "out"
    result = run_cli("build", "--root", str(root), "--out", str(out), "--format", "html")
    assert result.exit_code == 1
    for language in ("es", "fr"):
        assert f"test-aid.{language}.yaml:{line}: " in result.output
        assert not (out / language / "test-aid.html").exists()
    assert "go round in a circle" in result.output
    assert "chain must end at a file that is no translation (aids/test-aid.yaml)" in result.output
    assert (out / "en" / "test-aid.html").is_file()
    checked = run_cli("check", "--root", str(root))
    assert checked.exit_code == 1 and "go round in a circle" in checked.output


def test_a_chain_of_translations_that_ends_at_the_source_is_checked_along_it(root: Path):
    """fr translates es, which translates the English aid: no loop, and a changed figure
    in fr is still found against es."""
    spanish = aid_text().replace("title:", "language: es\ntitle:", 1)
    (root / "aids" / "test-aid.es.yaml").write_text(spanish, encoding="utf-8")
    french = aid_text().replace("title:", "language: fr\ntranslation_of: es\ntitle:", 1)
    french = french.replace("count: 6, per: 100", "count: 9, per: 100")
    (root / "aids" / "test-aid.fr.yaml").write_text(french, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert "circle" not in result.output
    assert "test-aid.es.yaml:" in result.output and "translation" in result.output


# Approval records are written inside the content root only


@pytest.mark.parametrize("link", ["approvals", "approvals/en", "approvals/en/rhinoplasty"])
def test_approve_writes_no_record_through_a_link_out_of_the_root(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, link: str
):
    from test_approval import approve, content

    root = content(tmp_path / "root")
    outside = tmp_path_factory.mktemp("elsewhere")
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside, target_is_directory=True)
    aid = root / "aids" / "rhinoplasty.yaml"
    before = aid.read_bytes()
    result = approve(root)
    assert result.exit_code == 1
    assert "outside" in result.output and link in result.output
    assert list(outside.rglob("*")) == []
    assert aid.read_bytes() == before  # nothing changed: the aid is still a draft
    status = run_cli("status", "rhinoplasty", "--root", str(root))
    assert "approved, not recorded" not in status.output


# A chance is read as a clinician reads it: in decimal


@pytest.mark.parametrize(("written", "value"), [("0o7", 7), ("0x5", 5), ("0b11", 3), ("1_0", 10)])
def test_a_count_not_written_in_decimal_is_refused_at_its_line(
    root: Path, written: str, value: int
):
    text = aid_text().replace("count: 6, per: 100", f"count: {written}, per: 100")
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(root))
    assert result.exit_code == 1
    line = line_of(text, f"count: {written}")
    assert f"test-aid.yaml:{line}:" in result.output
    assert f"write the number in decimal: {value}" in result.output


# A patient's name need not be in the command's arguments


def test_handout_reads_the_patients_name_from_stdin_or_a_file(root: Path, tmp_path: Path):
    from helpers import soup

    target = tmp_path / "copy.html"
    args = ("handout", "test-aid", "--root", str(root), "--format", "html", "-o", str(target))
    result = CliRunner().invoke(main, [*args, "--patient", "-"], input="Ysolde Stdinpatient\n")
    assert result.exit_code == 0, result.output
    assert "Ysolde Stdinpatient" in soup(target).get_text()
    name = tmp_path / "name.txt"
    name.write_text("Oswin Filepatient\n", encoding="utf-8")
    assert run_cli(*args, "--patient-file", str(name)).exit_code == 0
    assert "Oswin Filepatient" in soup(target).get_text()
    assert "--patient-file" in run_cli("handout", "--help").output


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_picture_with_a_file_joined_to_it_is_refused(root: Path, tmp_path: Path, kind: str):
    """A picture is embedded whole in the page: a ZIP joined after a PNG's or JPEG's end
    would be republished with it, so it is refused at the aid's line; the same picture
    without it is embedded."""
    import io
    import zipfile

    from PIL import Image

    from decisionaid.content.root import ContentRoot

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, kind)
    joined = io.BytesIO()
    with zipfile.ZipFile(joined, "w") as archive:
        archive.writestr("secret.txt", "not for patients")
    (root / "images").mkdir()
    name = f"images/x.{kind.lower()}"
    text = aid_text().replace(
        "    living_with: You rest for a week.\n",
        f"    living_with: You rest for a week.\n    illustrations:\n"
        f"      - {{file: {name}, alt: A drawing.}}\n",
    )
    (root / "aids" / "test-aid.yaml").write_text(text, encoding="utf-8")
    (root / name).write_bytes(picture.getvalue())
    assert ContentRoot.at(root).image(name) is not None
    (root / name).write_bytes(picture.getvalue() + joined.getvalue())
    assert ContentRoot.at(root).image(name) is None
    found = [str(p) for p in ContentRoot.at(root).load(root / "aids" / "test-aid.yaml").problems]
    assert any(
        f":{line_of(text, name)}:" in p and "bytes after the end of its picture" in p for p in found
    ), found
