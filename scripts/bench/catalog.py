"""The synthetic catalog: copies of every example file, and the edits the incremental rows make."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from ....scripts.bench.config import REPO, SITES
from ....scripts.bench.model import Catalog


def make_catalog(root: Path, n: int) -> Catalog:
    """N aid files: copies of every example file in turn, translations included (a
    translation follows the aid it translates, and its copy translates that aid's copy),
    each with a new id (an English copy also with a slightly different title), plus the
    examples' glossaries, factors, images and clinic.yaml."""
    root.mkdir(parents=True)
    for folder in ("glossary", "factors", "images"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
    (root / "aids").mkdir()
    examples = sorted((REPO / "aids").glob("*.yaml"), key=lambda p: p.name.split("."))
    ids, source_of = [], {}
    for number in range(n):
        example = examples[number % len(examples)]
        copy = number // len(examples)
        stem, _, language = example.stem.partition(".")
        new_id = f"{stem}-{copy:03d}"
        text = example.read_text(encoding="utf-8")
        text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.MULTILINE)
        name = f"{new_id}.{language}.yaml" if language else f"{new_id}.yaml"
        if not language:
            site = SITES[copy % len(SITES)]
            text = re.sub(r"^(title: .*)$", rf"\g<1>{site}", text, count=1, flags=re.MULTILINE)
            ids.append(new_id)
            source_of[new_id] = stem
        (root / "aids" / name).write_text(text, encoding="utf-8")
    return Catalog(root, ids, source_of, n)


def largest_aid(catalog: Catalog) -> str:
    """The copy of the longest example: the single-aid steps use the worst case."""
    return max(catalog.ids, key=lambda i: (catalog.root / "aids" / f"{i}.yaml").stat().st_size)


def edit_aid(catalog: Catalog, aid_id: str) -> None:
    """Touch one sentence (the audience line) of one aid."""
    path = catalog.root / "aids" / f"{aid_id}.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(
        r"^(audience: [^>|\n].*?)\s*$",
        r"\g<1> They want to know their choices.",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    if edited == text:
        raise SystemExit(f"cannot find a one-line audience: in {path}")
    path.write_text(edited, encoding="utf-8")


def terms_in_use(out: Path) -> dict[str, int]:
    """Glossary term → how many built handouts list it (read from their HTML)."""
    counts: dict[str, int] = {}
    for page in out.glob("en/*.html"):
        if page.name.count(".") > 1:  # .summary.html, .check.html
            continue
        text = page.read_text(encoding="utf-8")
        for term in dict.fromkeys(re.findall(r'<dt id="term-[^"]*">([^<]+)</dt>', text)):
            counts[html.unescape(term)] = counts.get(html.unescape(term), 0) + 1
    return counts


def edit_glossary_term(catalog: Catalog, used: dict[str, int]) -> tuple[str, int] | None:
    """Change the definition of the term fewest aids use (at least one): returns the
    term and how many aids use it, or None if no one-line definition could be edited."""
    path = catalog.root / "glossary" / "en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for term, count in sorted(used.items(), key=lambda item: (item[1], item[0])):
        at = _definition_line(lines, term)
        if at is not None:
            lines[at] = lines[at].rstrip("\n") + " It is also called by other names.\n"
            path.write_text("".join(lines), encoding="utf-8")
            return term, count
    return None


def _definition_line(lines: list[str], term: str) -> int | None:
    """The line of `term`'s definition, if it is a plain one-line value."""
    starts = [
        i for i, line in enumerate(lines) if re.match(rf"\s*- term: {re.escape(term)}\s*$", line)
    ]
    if not starts:
        return None
    for i in range(starts[0] + 1, len(lines)):
        if re.match(r"\s*- term:", lines[i]):
            return None
        found = re.match(r"\s*definition: (.*)$", lines[i])
        if found:
            value = found.group(1).strip()
            plain = value and value[0] not in ">|\"'" and "#" not in value
            return i if plain else None
    return None


def option_ids(catalog: Catalog, aid_id: str) -> list[str]:
    from ruamel.yaml import YAML  # a dependency of the package

    data = YAML(typ="safe").load((catalog.root / "aids" / f"{aid_id}.yaml").read_text("utf-8"))
    return [str(option["id"]) for option in data["options"]]
