"""Issue 19, templates and catalogs: whoever can write to the content root can write a
template, and the web app renders templates on the server, so a template is code we do
not trust. It runs in a sandbox, is read like any content file, and a translator's
words are text. Each test is an attack from the issue, run through the real command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DRAFTS, REPO, aid_text, build, foreign_scripts, run_cli, soup, text_of

CATALOG = Path("templates", "locale", "es", "LC_MESSAGES", "messages.po")


def note(root: Path, *args: str):
    return run_cli("note", "test-aid", "--root", str(root), *args)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ lipsum.__globals__['os'].popen('echo pwned-by-template').read() }}",
        "{{ lipsum.__globals__.__builtins__.open('/etc/passwd').read() }}",
        "{{ cycler.__init__.__globals__.os.popen('echo pwned-by-template').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ aid.__class__.__init__.__globals__ }}",
    ],
    ids=["os.popen", "open", "cycler", "subclasses", "model-globals"],
)
def test_a_template_cannot_reach_python_files_or_the_system(root: Path, payload: str):
    (root / "templates").mkdir()
    (root / "templates" / "note.txt").write_text(f"Line one\n{payload}\n", encoding="utf-8")
    result = note(root)
    assert result.exit_code == 1
    assert "templates/note.txt:2: template error: access to attribute" in result.output
    assert "is unsafe" in result.output and "sandbox" in result.output
    for leaked in ("pwned-by-template", "root:", "<class", "__builtins__"):
        assert leaked not in result.output


def test_a_template_cannot_write_through_a_path_it_is_given(root: Path):
    """The quality page is given the aid's file as a path: its name may be shown, but
    nothing of the file reached through it (it used to write the aid file)."""
    aid = root / "aids" / "test-aid.yaml"
    before = aid.read_bytes()
    (root / "templates").mkdir()
    (root / "templates" / "check.html").write_text(
        "<p>{{ c.file.name }}</p>\n<p>{{ c.file.write_text('overwritten') }}</p>\n",
        encoding="utf-8",
    )
    report = build(root, root / "out", formats=("html",))
    assert [str(p).split(": template error")[0] for p in report.problems] == [
        f"{root / 'templates' / 'check.html'}:2"
    ]
    assert "is unsafe" in str(report.problems[0])
    assert aid.read_bytes() == before


def test_a_template_that_links_out_of_the_root_is_refused(root: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "note.txt"
    outside.write_text("secret-outside-the-root\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "note.txt").symlink_to(outside)
    result = note(root)
    assert result.exit_code == 1
    assert "templates/note.txt:1: template error: cannot read the template: this links to a " \
        "file outside the content root" in result.output  # fmt: skip
    assert "secret-outside-the-root" not in result.output


def test_a_templates_folder_that_links_out_of_the_root_is_refused(root: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "note.txt").write_text("secret-outside-the-root\n", encoding="utf-8")
    (root / "templates").symlink_to(outside)
    result = note(root)
    assert result.exit_code == 1
    assert "templates/note.txt:1: template error: cannot read the template" in result.output
    assert "secret-outside-the-root" not in result.output


def test_a_template_over_the_size_limit_is_refused(root: Path):
    (root / "templates").mkdir()
    (root / "templates" / "note.txt").write_text("x" * (1024 * 1024 + 1), encoding="utf-8")
    result = note(root)
    assert result.exit_code == 1
    assert "templates/note.txt:1: template error: cannot read the template: the file is over " \
        "1 MB" in result.output  # fmt: skip
    assert "xxxxxxxx" not in result.output


@pytest.fixture
def spanish(root: Path) -> Path:
    """The test aid in Spanish too, with the root's own copy of the Spanish catalog."""
    text = aid_text().replace("title:", "language: es\ntitle:", 1)
    (root / "aids" / "test-aid.es.yaml").write_text(text, encoding="utf-8")
    (root / CATALOG).parent.mkdir(parents=True)
    shutil.copy(REPO / CATALOG, root / CATALOG)
    return root


def translate(root: Path, msgid: str, msgstr: str | bytes) -> int:
    """Give `msgid` another translation in the root's Spanish catalog; its msgstr line."""
    path = root / CATALOG
    raw = path.read_bytes()
    head = f'msgid "{msgid}"\nmsgstr "'.encode()
    start = raw.index(head) + len(head)
    end = raw.index(b'"\n', start)
    value = msgstr if isinstance(msgstr, bytes) else msgstr.encode()
    path.write_bytes(raw[:start] + value + raw[end:])
    return raw.count(b"\n", 0, start) + 1


def test_a_translation_is_text_not_markup(spanish: Path):
    """In a page it is escaped like any field; in the plain-text chart note it prints
    as the translator wrote it (not as HTML entities)."""
    translate(spanish, "What matters to you", "<script>alert(1)</script> & más")
    translate(spanish, "Options discussed:", "Opciones <comentadas> & más:")
    report = build(spanish, spanish / "out", formats=("html",))
    assert report.ok, report.problems
    page = soup(spanish / "out" / "es" / "test-aid.html")
    assert foreign_scripts(page) == []
    assert "<script>alert(1)</script> & más" in text_of(page)
    (spanish / "clinic.yaml").write_text("language: es\n" + DRAFTS, encoding="utf-8")
    result = note(spanish)
    assert result.exit_code == 0, result.output
    assert "Opciones <comentadas> & más:" in result.output


@pytest.mark.parametrize(
    ("msgstr", "message"),
    [
        (b"Lo que le importa\xff", "the catalog is not UTF-8 text (byte 0xff)"),
        (b"Lo que %(nombre)s importa", "cannot be filled in: keep its placeholders"),
        (b'Lo que importa"\nmsgid "a msgid without its msgstr', "the catalog does not parse"),
    ],
    ids=["bad-byte", "unknown-placeholder", "no-msgstr"],
)
def test_a_broken_catalog_is_a_problem_at_its_line_and_the_published_files_stay(
    spanish: Path, msgstr: bytes, message: str
):
    out = spanish / "out"
    assert run_cli("build", "--root", str(spanish), "--out", str(out)).exit_code == 0
    published = {p: p.read_bytes() for p in (out / "es").iterdir()}
    line = translate(spanish, "What matters to you", msgstr)
    result = run_cli("build", "--root", str(spanish), "--out", str(out))
    assert result.exit_code == 1
    problems = [row for row in result.output.splitlines() if "messages.po:" in row]
    assert len(problems) == 1 and message in problems[0], result.output
    if message != "the catalog does not parse":  # the parser names where it stopped
        assert f"{CATALOG}:{line}: " in problems[0]
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (out / "es").iterdir()} == published
    assert "es/test-aid.html" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "en" / "test-aid.pdf").is_file()


def test_a_clinics_own_catalog_rewords_only_the_phrases_it_holds(spanish: Path):
    """A clinic's messages.po holding one phrase changes that phrase; every other one
    still comes from the tool's Spanish catalog, not in English beside the Spanish."""
    before = build(spanish, spanish / "before", formats=("html",))
    assert before.ok, before.problems
    (spanish / CATALOG).write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "What matters to you"\nmsgstr "Lo que más le importa"\n',
        encoding="utf-8",
    )
    after = build(spanish, spanish / "after", formats=("html",))
    assert after.ok, after.problems
    was = text_of(soup(spanish / "before" / "es" / "test-aid.html"))
    now = text_of(soup(spanish / "after" / "es" / "test-aid.html"))
    assert was.count("Lo que le importa a usted") >= 1
    assert now == was.replace("Lo que le importa a usted", "Lo que más le importa")
