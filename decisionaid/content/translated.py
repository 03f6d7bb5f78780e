"""Which file a translation translates: a fact of the content's file names, which the
check, the pipeline, the build and the approval fingerprint all need."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def source_path(path: Path, translation_of: str | None = None) -> Path | None:
    """`aids/x.es.yaml` translates `aids/x.yaml`, or `aids/x.<translation_of>.yaml` when
    it says so (and that file exists); an untranslated file has no source, and a file
    never translates itself (`translation_of` naming its own language is an error)."""
    stem_id, _, language = path.stem.partition(".")
    if not language:
        return None
    if translation_of:
        if translation_of.casefold() == language.casefold():
            return None
        named = path.with_name(f"{stem_id}.{translation_of}.yaml")
        if named.is_file():
            return named
    return path.with_name(f"{stem_id}.yaml")


def translation_loop(
    path: Path, translation_of: str | None, read: Callable[[Path], str | None]
) -> list[Path]:
    """The files a translation's chain goes round, when it never ends at a file that is
    no translation (`x.es.yaml` says `translation_of: fr`, `x.fr.yaml` says `es`): each
    would be compared only with the other, never with the source, and could differ from
    it in every figure. Empty when the chain ends. `read(path)`: the `translation_of` of
    that file (None when it has none or cannot be read)."""
    seen = [path]
    source = source_path(path, translation_of)
    while source is not None and source.is_file():
        if source in seen:
            return [*seen, source]
        seen.append(source)
        source = source_path(source, read(source))
    return []
