"""An approval holds only while the patient's pages are what was approved: a change to
any input of the fingerprint (docs/security.md, promise 16) shows on the copy, in
`status` (exit 1) and in `diff`, which names the file and what changed in it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO, run_cli, soup, text_of

import decisionaid.approval.fingerprint as fingerprint_module
import decisionaid.settings as settings
from decisionaid import __version__ as VERSION
from decisionaid.approval.fingerprint import Fingerprint

AID = "upper-eyelid-surgery"
APPROVED = "Versión impresa: aprobada el"
CHANGED = "Versión impresa: modificada desde su aprobación"


def other_png() -> bytes:
    """Another picture (a changed input): a PNG of its own, nothing joined to it."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4f6"
    "0000000049454e44ae426082"
)


def _root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Spanish eyelid aid (a translation, with a picture, glossary terms and a
    factor) made approvable, a logo, an SVG that uses another picture, a catalog of the
    clinic's own, and built-in templates the test may change (a copy)."""
    root = tmp_path / "root"
    for name in ("glossary", "factors", "images"):
        shutil.copytree(REPO / name, root / name)
    (root / "aids").mkdir()
    for name in (f"{AID}.yaml", f"{AID}.es.yaml"):
        shutil.copy(REPO / "aids" / name, root / "aids" / name)
    # Approval needs a development record and declared interests: the rhinoplasty
    # example's (the words of the record do not matter here).
    rhino = (REPO / "aids" / "rhinoplasty.yaml").read_text(encoding="utf-8")
    block = rhino[rhino.index("\nauthors:") : rhino.index("\nsources:")]
    # Its source gets the same authors: a translation matches it item for item.
    for name in (f"{AID}.es.yaml", f"{AID}.yaml"):
        aid_file = root / "aids" / name
        text = aid_file.read_text(encoding="utf-8")
        aid_file.write_text(
            text[: text.index("\nauthors:")] + block + text[text.index("\nsources:") :],
            encoding="utf-8",
        )
    (root / "images" / "inner.png").write_bytes(PNG)
    (root / "images" / "logo.png").write_bytes(PNG)
    inner = (root / "images" / "inner.png").resolve().as_uri()
    svg = root / "images" / "eyelid-cut.svg"
    svg.write_text(
        svg.read_text(encoding="utf-8").replace(
            "</svg>", f'<image href="{inner}" width="1" height="1"/></svg>'
        ),
        encoding="utf-8",
    )
    clinic = (REPO / "clinic.yaml").read_text(encoding="utf-8")
    assert "front_desk: drafts" in clinic  # a changed aid is still printed, marked
    (root / "clinic.yaml").write_text(clinic + "logo: images/logo.png\n", encoding="utf-8")
    catalogs = root / "templates" / "locale" / "es" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    shutil.copy(REPO / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po", catalogs)
    builtin = tmp_path / "builtin"
    shutil.copytree(settings.builtin_templates(), builtin)
    monkeypatch.setattr(settings, "builtin_templates", lambda: builtin)
    return root


def _replace(path: Path, old: str, new: str) -> Callable[[], None]:
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _copy(root: Path, tmp_path: Path) -> str:
    """The text of a patient's copy (HTML), made as the front desk makes it."""
    out = tmp_path / "copy.html"
    made = run_cli(
        "handout", AID, "--language", "es", "--format", "html", "--root", str(root), "-o", str(out)
    )
    assert made.exit_code == 0, made.output
    return text_of(soup(out))


def _term(root: Path) -> str:
    [approval] = json.loads((root / "approvals" / "es" / f"{AID}.json").read_text())["approvals"]
    return next(k.removeprefix("term:") for k in approval["parts"] if k.startswith("term:"))


def _glossary_definition(root: Path, term: str) -> str:
    """The definition line of `term` in the Spanish glossary, as written."""
    text = (root / "glossary" / "es.yaml").read_text(encoding="utf-8")
    rest = text[text.index(f"- term: {term}\n") :].splitlines()
    return next(line for line in rest if line.strip().startswith("definition:"))


def test_every_input_of_the_fingerprint_changes_the_approval(tmp_path, monkeypatch):
    root = _root(tmp_path, monkeypatch)
    approved = run_cli("approve", AID, "--language", "es", "--root", str(root), "--by", "Dr. A")
    assert approved.exit_code == 0, approved.output
    assert run_cli("status", "--root", str(root)).exit_code == 0
    assert APPROVED in _copy(root, tmp_path)
    term = _term(root)
    definition = _glossary_definition(root, term)
    handout = (settings.builtin_templates() / "handout.html").read_text(encoding="utf-8")
    images, aids = root / "images", root / "aids"
    changes: list[tuple[str, Callable[[], None], str]] = [
        (
            "the aid",
            _replace(
                aids / f"{AID}.es.yaml", "No tiene que decidir hoy.", "No tiene que decidirlo hoy."
            ),
            "time_to_decide:",
        ),
        (
            "its source",
            _replace(
                aids / f"{AID}.yaml",
                "You do not have to decide today.",
                "You need not decide today.",
            ),
            f"translation source aids/{AID}.yaml: changed",
        ),
        (
            "a glossary term",
            _replace(root / "glossary" / "es.yaml", definition, definition + " Otra frase."),
            f"glossary '{term}'",
        ),
        (
            "a factor",
            _replace(root / "factors" / "es.yaml", "group: toman medicamentos", "group: toman"),
            "factor 'blood-thinners'",
        ),
        (
            "the picture",
            _replace(images / "eyelid-cut.svg", "</svg>", "<!-- x --></svg>"),
            "picture images/eyelid-cut.svg: the file changed",
        ),
        (
            "what it uses",
            lambda: (images / "inner.png").write_bytes(other_png()),
            "picture images/inner.png: the file changed",
        ),
        (
            "emergency number",
            _replace(root / "clinic.yaml", 'emergency_number: "911"', 'emergency_number: "999"'),
            "clinic.yaml: emergency_number changed",
        ),
        (
            "after hours",
            _replace(
                root / "clinic.yaml", "after_hours_phone: 555-0199", "after_hours_phone: 555-0100"
            ),
            "clinic.yaml: after_hours_phone changed",
        ),
        (
            "the logo",
            lambda: (images / "logo.png").write_bytes(other_png()),
            "logo images/logo.png: changed",
        ),
        (
            "an override",
            lambda: (root / "templates" / "handout.html").write_text(
                handout.replace("</body>", "<p>Esta cirugía no tiene riesgos.</p></body>"),
                encoding="utf-8",
            ),
            "templates/handout.html: added",
        ),
        (
            "the catalog",
            _replace(
                root / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po",
                'msgstr "Preguntas',
                'msgstr "Más preguntas',
            ),
            "templates/locale/es/LC_MESSAGES/messages.po: changed",
        ),
        (
            "built-in templates",
            _replace(
                settings.builtin_templates() / "handout.html", "</body>", "<p>Nuevo.</p></body>"
            ),
            "built-in templates: changed",
        ),
        (
            "the tool",
            lambda: monkeypatch.setattr(fingerprint_module, "__version__", "99.0"),
            "DecisionAid: version",
        ),
    ]
    for label, change, said in changes:
        saved = {p: p.read_bytes() for p in _inputs(root, tmp_path)}
        change()
        status = run_cli("status", "--root", str(root))
        assert status.exit_code == 1 and "changed since approval" in status.output, label
        diff = run_cli("diff", AID, "--language", "es", "--root", str(root))
        assert diff.exit_code == 1 and said in diff.output, (label, diff.output)
        copy = _copy(root, tmp_path)
        assert CHANGED in copy and APPROVED not in copy, label
        for path in _inputs(root, tmp_path):  # undo: only this one input changes
            if path not in saved:
                path.unlink()
        for path, data in saved.items():
            path.write_bytes(data)
        monkeypatch.setattr(fingerprint_module, "__version__", VERSION)
    # Each change undone, the aid is approved as it was.
    assert run_cli("status", "--root", str(root)).exit_code == 0
    assert APPROVED in _copy(root, tmp_path)


def _inputs(root: Path, tmp_path: Path) -> list[Path]:
    folders = [root / n for n in ("aids", "glossary", "factors", "images", "templates")]
    files = [p for f in folders for p in f.rglob("*") if p.is_file()]
    files += [p for p in (tmp_path / "builtin").rglob("*") if p.is_file()]
    return [*files, root / "clinic.yaml"]


def test_an_approval_recorded_before_the_fingerprint_covered_more_says_approve_again(
    tmp_path, monkeypatch
):
    root = _root(tmp_path, monkeypatch)
    approved = run_cli("approve", AID, "--language", "es", "--root", str(root), "--by", "Dr. A")
    assert approved.exit_code == 0, approved.output
    # As an older version recorded it: the aid's own parts only.
    path = root / "approvals" / "es" / f"{AID}.json"
    history = json.loads(path.read_text(encoding="utf-8"))
    [approval] = history["approvals"]
    own = ("aid", "picture:images/eyelid-cut.svg", "term:", "factor:")
    parts = {k: v for k, v in approval["parts"].items() if k.startswith(own)}
    approval["parts"], approval["fingerprint"] = parts, Fingerprint.of(parts).digest
    path.write_text(json.dumps(history), encoding="utf-8")
    diff = run_cli("diff", AID, "--language", "es", "--root", str(root))
    assert diff.exit_code == 1
    assert (
        "the fingerprint now covers more inputs" in diff.output and "approve again" in diff.output
    )
    status = run_cli("status", "--root", str(root))
    assert status.exit_code == 1 and "changed since approval" in status.output
    assert CHANGED in _copy(root, tmp_path)
