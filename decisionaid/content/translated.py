"""Which file a translation translates: a fact of the content's file names, which the
check, the pipeline, the build and the approval fingerprint all need."""

from __future__ import annotations

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
