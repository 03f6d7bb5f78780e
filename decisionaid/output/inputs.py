"""What an aid's outputs are made from, and whether any of it has changed since.

An output is up to date when every input is as it was. Shared by all aids: the tool
(its code and WeasyPrint's version), the templates, clinic.yaml, the installed fonts
and the build options. The aid's own: its file, the source of a translation, its
factors file, its outcomes file (there or not), its pictures and the clinic's logo, and
the glossary entries it uses.
The glossary is compared term by term, so editing one definition rebuilds only the
aids that use that term (adding or renaming a term rebuilds the aids of its
language, since any of them may now use it). Only bytes are hashed: nothing is
parsed unless a glossary changed, so a build with nothing to do is quick. Files are
read by the one guarded reader (content/reading.py): a pipe or device that replaced an
input since the last build is a changed input, never a hang.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..content.reading import IMAGE_LIMIT, MAX_FILE_BYTES, Unreadable, read_bytes
from ..settings import BuildOptions, ContentLayout

if TYPE_CHECKING:
    from ..content.glossary import Glossary, Term
    from ..content.models import Aid

_PACKAGE = Path(__file__).resolve().parent.parent
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
MISSING = "-"
# The content root's folders a build reads (with clinic.yaml and templates/).
CONTENT_FOLDERS = ("aids", "glossary", "factors", "images", "outcomes", "approvals")


@dataclass
class Made:
    """The inputs one set of outputs was made from, as digests."""

    shared: str
    options: str  # the build options that change the files (formats, paper)
    files: dict[str, str]  # input file (relative to the content root) → digest
    glossary: str  # the glossary file (relative)
    glossary_digest: str
    words: str  # which words the glossary defines
    terms: dict[str, str]  # each term the aid uses → digest of its entry
    dates: list[bool] = field(default_factory=list)  # review overdue, updated in the future

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Made:
        return cls(**data)


@dataclass(frozen=True)
class MadeFrom:
    """What one aid is made from beside what all aids share: its file, its pictures, the
    patient factors and the glossary entries it uses. A build adds the clinic's logo, a
    translation's source and the aid's approval history (publish/worker.py); an
    approval's fingerprint adds the source, the logo and what reaches the aid's pages
    of what all aids share (approval/fingerprint.py)."""

    aid_file: Path
    pictures: tuple[Path, ...]  # and the files they refer to
    factors_file: Path | None  # factors/<language>.yaml, when the aid has group figures
    factors: tuple[str, ...]  # the factor ids it gives figures for
    terms: tuple[Term, ...]  # its "Words to know"
    # The clinic's own results (outcomes/<id>.yaml), there or not: adding one changes
    # the handout as much as editing one.
    outcomes_file: Path | None = None

    @property
    def files(self) -> list[Path]:
        shared = [self.factors_file, self.outcomes_file]
        return [self.aid_file, *self.pictures, *(path for path in shared if path)]


def made_from(layout: ContentLayout, path: Path, aid: Aid, terms: Iterable[Term]) -> MadeFrom:
    """What the aid in `path` is made from (`terms`: the glossary entries it uses)."""
    # loaded when needed: the command line imports this module at start-up, and the
    # content's models (pydantic) take most of a second to import
    from ..content.shared_rules import picture_references

    factors = tuple(aid.factor_ids())
    pictures = [layout.root / name for name in aid.picture_files()]
    # And what a picture refers to (an SVG's <image href>): the PDF shows it too.
    for name in aid.picture_files():
        pictures += picture_references(layout.root, name)
    return MadeFrom(
        path,
        tuple(dict.fromkeys(pictures)),
        layout.factors_file(aid.language) if factors else None,
        factors,
        tuple(terms),
        layout.outcomes_file(aid.id),
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def term_digest(term: Term) -> str:
    return digest("\0".join([term.term, term.definition, *term.words]).encode())


def words_digest(glossary: Glossary) -> str:
    return digest("\0".join(sorted(w.casefold() for t in glossary.terms for w in t.words)).encode())


def date_flags(review_by: Any, updated: Any, today: Any) -> list[bool]:
    """What the checks say about dates (review overdue, updated in the future) changes
    with the day, not the file."""
    return [review_by < today, updated > today]


class Inputs:
    """The inputs of one content root as they are now; each file is hashed once."""

    def __init__(
        self,
        layout: ContentLayout,
        options: BuildOptions,
        glossary: Callable[[str], Glossary | None] | None = None,
        shared: str | None = None,
    ) -> None:
        self.layout = layout
        self.options = options
        self._glossary = glossary  # the parsed glossary of a language, when it changed
        self._files: dict[str, str] = {}
        self._shared = shared  # worker processes take the parent's, read at the start
        self._content: str | None = None

    def name(self, path: Path) -> str:
        """An input as the manifest records it: relative to the content root if inside."""
        path = path.absolute()
        root = self.layout.root
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    def file(self, name: str) -> str:
        """The digest of an input as it is now (MISSING if it cannot be read: then the
        outputs made from it are out of date, and making them again says why)."""
        if name not in self._files:
            path = self.layout.root / name
            inside = self.layout.root if path.absolute().is_relative_to(self.layout.root) else None
            try:  # the largest input is a picture
                self._files[name] = digest(read_bytes(path, inside, IMAGE_LIMIT))
            except Unreadable:
                self._files[name] = MISSING
        return self._files[name]

    @property
    def shared(self) -> str:
        if self._shared is None:
            self._shared = self._shared_digest()
        return self._shared

    @property
    def content(self) -> str:
        """What every output of a build is made from, whichever aids it builds: the tool,
        the build options and the content root's folders, by their bytes. Two shares of a
        build (`--shard`) that agree on it were built from one checkout with one command,
        so `merge` may join them. Nothing of the machine (fonts, times) is in it: shares
        run on different runners."""
        if self._content is None:
            h = self._tool_and_clinic()
            h.update(f"{self.options_key}\0".encode())
            for name in CONTENT_FOLDERS:
                root = self.layout.root
                _tree(h, root / name, "*", contents=True, inside=(root,), limit=IMAGE_LIMIT)
            self._content = h.hexdigest()[:16]
        return self._content

    @property
    def options_key(self) -> str:
        return f"{','.join(self.options.formats)} {self.options.paper or 'clinic'}"

    def _tool_and_clinic(self) -> hashlib._Hash:
        """A hash of the tool (its version, code and built-in templates), the root's
        templates and clinic.yaml: what every aid's pages are made with."""
        h = hashlib.sha256()
        h.update(f"{__version__}\0{_weasyprint()}\0".encode())
        _tree(h, _PACKAGE, "*.py", contents=True)
        for folder in self.layout.template_dirs:
            _tree(h, folder, "*", contents=True, inside=self.layout.template_inside(folder))
        h.update(self.file(self.name(self.layout.clinic)).encode())
        return h

    def _shared_digest(self) -> str:
        h = self._tool_and_clinic()
        for folder in FONT_DIRS:  # a font added or updated changes how text is set
            _tree(h, folder, "*", contents=False)
        return h.hexdigest()[:16]

    def record(
        self,
        files: Iterable[Path],
        language: str,
        glossary: Glossary,
        terms: Iterable[Term],
        dates: list[bool],
    ) -> Made:
        """What a set of outputs is being made from, now."""
        names = sorted({self.name(p) for p in files})
        glossary_name = self.name(self.layout.glossary_file(language))
        return Made(
            self.shared,
            self.options_key,
            {n: self.file(n) for n in names},
            glossary_name,
            self.file(glossary_name),
            words_digest(glossary),
            {t.term: term_digest(t) for t in terms},
            dates,
        )

    def unchanged(
        self, made: Made, language: str, dates: list[bool], *, same_options: bool = True
    ) -> bool:
        """Whether outputs made from `made` would come out the same now (with these
        build options, unless `same_options` is false: still current for the catalog)."""
        if same_options and made.options != self.options_key:
            return False
        if made.shared != self.shared or made.dates != dates:
            return False
        if any(self.file(name) != value for name, value in made.files.items()):
            return False
        if self.file(made.glossary) == made.glossary_digest:
            return True
        return self._same_terms(made, language)

    def _same_terms(self, made: Made, language: str) -> bool:
        """The glossary file changed: were the entries this aid uses touched?"""
        glossary = self._glossary(language) if self._glossary else None
        if glossary is None or words_digest(glossary) != made.words:
            return False
        now = {t.term: term_digest(t) for t in glossary.terms}
        return all(now.get(term) == value for term, value in made.terms.items())


def _weasyprint() -> str:
    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return "?"


def _tree(
    h: Any,
    folder: Path,
    pattern: str,
    *,
    contents: bool,
    inside: tuple[Path, ...] = (),
    limit: int = MAX_FILE_BYTES,
) -> None:
    """Add the files under `folder` matching `pattern`: names, and their bytes (or,
    for large trees like the fonts, their size and time). Bytes are read only from
    files inside `folder` and each of `inside`, links followed."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob(pattern)):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        try:
            if contents:
                h.update(read_bytes(path, (folder, *inside), limit))
            else:
                stat = path.stat()
                h.update(f"{stat.st_size} {stat.st_mtime_ns}".encode())
        except (OSError, Unreadable):  # an unreadable template is reported when it is used
            h.update(MISSING.encode())
    h.update(b"\1")
