"""A content root: its aids, glossaries and clinic settings, loaded and validated."""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import Problem, UnknownAid, display_path
from ..settings import ContentLayout
from .aid_rules import aid_rules, factor_rules, illustration_rules, link_rules, recovery_rules
from .certainty_rules import certainty_rules
from .development_rules import development_rules
from .expectation_rules import expectation_rules
from .glossary import Glossary
from .load import Kind, line_of, read_yaml
from .models import Aid, Clinic, Factor, GlossaryEntry
from .outcomes import AuditFile, ClinicOutcomes, outcome_rules
from .reading import Unreadable, checked_text, read_bytes
from .shared_rules import PictureRefused, clinic_rules, glossary_rules, picture
from .validate import to_model

__all__ = ["ContentRoot", "Loaded", "UnknownAid"]


def _kind(name: str, model: type[Any], least: int) -> Kind:
    keys = {f.alias or n for n, f in model.model_fields.items()}
    return Kind(name, frozenset(keys), least)


AID_FILE = _kind("an aid file (a YAML mapping with id, title, options, ...)", Aid, 2)
GLOSSARY_FILE = _kind(
    "a glossary (a YAML list of entries with term: and definition:)", GlossaryEntry, 1
)
FACTORS_FILE = _kind("a factors file (a YAML list of entries with id:, label:, ...)", Factor, 1)
OUTCOMES_FILE = _kind(
    "a clinic outcomes file (a YAML mapping with period:, audited_by:, options:, ...)",
    ClinicOutcomes,
    2,
)
CLINIC_FILE = _kind("clinic settings (a YAML mapping with name:, phone:, ...)", Clinic, 1)


_LANGUAGE_LINE = re.compile(
    r"""^language:[ \t]*["']?([A-Za-z0-9-]{2,35})["']?[ \t]*(?:#.*)?$""", re.M
)


def _fallback(path: Path, data: Any, root: Path) -> Clinic:
    """The defaults for a clinic.yaml that cannot be used, but in the staff's language
    when its `language:` line can still be read (even in a file that is not valid
    YAML): a typo elsewhere must not switch every staff page to English."""
    if isinstance(data, dict):
        written = data.get("language")
    else:
        text, _ = checked_text(path, root)
        found = _LANGUAGE_LINE.search(text or "")
        written = found[1] if found else None
    try:
        return Clinic(language=written) if isinstance(written, str) else Clinic()
    except ValueError:  # not a language tag either (pydantic's error is a ValueError)
        return Clinic()


@dataclass
class Loaded:
    """One aid file after loading.

    `aid` is set when the file has the right shape, even if rules across fields
    failed (so that `check` can still look at it); `ok` says whether it may be built.
    """

    path: Path
    aid: Aid | None
    problems: list[Problem] = field(default_factory=list)
    data: Any = None  # the parsed YAML, which knows the line of every key

    @property
    def ok(self) -> bool:
        return self.aid is not None and not self.problems


@dataclass
class ContentRoot:
    """A folder holding `aids/`, `glossary/`, optional `templates/` and `clinic.yaml`.

    Each file is read once per ContentRoot (build, check and the index share it);
    a new ContentRoot sees the files as they are now.
    """

    layout: ContentLayout
    _loaded: dict[Path, Loaded] = field(default_factory=dict)
    _glossaries: dict[str, tuple[Glossary, list[Problem], Any]] = field(default_factory=dict)
    _clinic: tuple[Clinic, list[Problem]] | None = None
    _factors: dict[str, tuple[dict[str, Factor], list[Problem], Any]] = field(default_factory=dict)
    _outcomes: dict[str, tuple[ClinicOutcomes | None, list[Problem], Any]] = field(
        default_factory=dict
    )
    # Files listed in aids/ by where their links lead: a caller may pass the resolved
    # path, and a link out of the root must still be refused (and named as the link).
    _listed: dict[Path, Path] = field(default_factory=dict)

    @classmethod
    def at(cls, root: Path) -> ContentRoot:
        return cls(ContentLayout(root))

    @property
    def root(self) -> Path:
        return self.layout.root

    def aid_paths(self, selectors: tuple[str, ...] = ()) -> list[Path]:
        """The aid files named by ids or paths; all of `aids/*.yaml` when none are named."""
        if not selectors:
            return self._list(sorted(self.layout.aids.glob("*.yaml")))
        paths = []
        for selector in selectors:
            path = self._aid_path(selector)
            paths.append(path)
            if path.parent == self.layout.aids and "." not in path.stem:
                paths += sorted(self.layout.aids.glob(f"{path.stem}.*.yaml"))  # translations
        return self._list(list(dict.fromkeys(paths)))

    def _list(self, paths: list[Path]) -> list[Path]:
        for path in paths:
            if self._in_root(path):
                self._listed.setdefault(path.resolve(), path)
        return paths

    def _in_root(self, path: Path) -> bool:
        """Whether the path as written (links not followed) lies in the content root."""
        return Path(os.path.abspath(path)).is_relative_to(self.root)

    def _aid_path(self, selector: str) -> Path:
        """One aid: a path as given, else its file in `aids/`. A bare `x.yaml` is looked
        for in `aids/` too, since authors copy the name from the folder listing."""
        as_path = Path(selector)
        is_file_name = as_path.suffix in (".yaml", ".yml")
        if is_file_name or "/" in selector:
            if as_path.is_file():
                return as_path
            if "/" in selector:
                raise UnknownAid(f"no such aid file: {selector}{self._close_ids(as_path.stem)}")
        in_aids = self.layout.aids / (as_path.name if is_file_name else f"{selector}.yaml")
        if in_aids.is_file():
            return in_aids
        name = as_path.stem if is_file_name else selector
        raise UnknownAid(f"no aid '{name}' in {self.layout.aids}{self._close_ids(name)}")

    def _close_ids(self, name: str) -> str:
        """`; did you mean 'x'?` with the ids in `aids/` closest to a mistyped one."""
        ids = sorted(path.stem for path in self.layout.aids.glob("*.yaml"))
        # A typo ("abdominoplastie") or a part of the id ("knee"); a loose match would
        # send a tummy tuck to a nose job, so the cut-off is strict.
        matches = [i for i in ids if name and name in i]
        matches += difflib.get_close_matches(name, ids, n=3, cutoff=0.8)
        close = [f"'{match}'" for match in dict.fromkeys(matches)][:3]
        if not close:
            return f"; the aids are: {', '.join(ids)}" if 0 < len(ids) <= 12 else ""
        listed = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
        return f"; did you mean {listed}?"

    def today(self, instant: dt.datetime | None = None) -> dt.date:
        """The clinic's date at `instant` (now by default), in clinic.yaml's time zone:
        the one day every command and the app judge dates by (a review overdue, an
        audit in the future, the date of a consult)."""
        return self.clinic()[0].day(instant or dt.datetime.now(dt.UTC))

    def clinic(self) -> tuple[Clinic, list[Problem]]:
        """The clinic settings (defaults when there is no clinic.yaml) and their problems."""
        if self._clinic is None:
            self._clinic = self._read_clinic()
        return self._clinic

    def _read_clinic(self) -> tuple[Clinic, list[Problem]]:
        path = self.layout.clinic
        if not os.path.lexists(path):
            return Clinic(), []
        data, problems = read_yaml(path, CLINIC_FILE, self.root)
        if problems:
            return _fallback(path, data, self.root), problems
        clinic, problems = to_model(Clinic, data, path)
        if clinic is None:
            return _fallback(path, data, self.root), problems
        return clinic, clinic_rules(clinic, data, path, self.root)

    def content_hash(self, path: Path) -> str:
        """A short hash of an aid file, so a chart note says exactly which text was given
        (read again, as it is now: "-" if it can no longer be read)."""
        try:
            return hashlib.sha256(read_bytes(path)).hexdigest()[:10]
        except Unreadable:
            return "-"

    def logo(self) -> str | None:
        """The clinic's logo as a `data:` URL (the handouts stand alone), if it has a
        valid one (clinic.yaml's problems say why not)."""
        clinic, problems = self.clinic()
        if clinic.logo is None or problems:
            return None
        return self.image(clinic.logo)

    def image(self, name: str) -> str | None:
        """A picture of the content root as a `data:` URL (so a handout folder can be
        copied anywhere), typed by its content; None if it is not a known picture."""
        try:
            kind, data = picture(self.root, name)
        except PictureRefused:
            return None
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"

    def glossary(self, language: str) -> tuple[Glossary, list[Problem]]:
        """The glossary for a language (`glossary/<language>.yaml`; empty if there is none)."""
        glossary, problems, _ = self._glossary(language)
        return glossary, problems

    def glossary_data(self, language: str) -> Any:
        """The parsed YAML of a glossary (for line numbers)."""
        return self._glossary(language)[2]

    def _glossary(self, language: str) -> tuple[Glossary, list[Problem], Any]:
        if language not in self._glossaries:
            self._glossaries[language] = self._read_glossary(language)
        return self._glossaries[language]

    def _read_glossary(self, language: str) -> tuple[Glossary, list[Problem], Any]:
        path = self.layout.glossary_file(language)
        if not os.path.lexists(path):
            return Glossary([]), [], None
        data, problems = read_yaml(path, GLOSSARY_FILE, self.root)
        if problems:
            return Glossary([]), problems, data
        entries, problems = to_model(list[GlossaryEntry], data, path)
        if entries is None:
            return Glossary([]), problems, data
        return Glossary(entries), glossary_rules(entries, data, path), data

    def factors(self, language: str) -> tuple[dict[str, Factor], list[Problem]]:
        """The patient factors for a language (`factors/<language>.yaml`), by id."""
        factors, problems, _ = self._factor_file(language)
        return factors, problems

    def factors_data(self, language: str) -> Any:
        return self._factor_file(language)[2]

    def _factor_file(self, language: str) -> tuple[dict[str, Factor], list[Problem], Any]:
        if language not in self._factors:
            self._factors[language] = self._read_factors(language)
        return self._factors[language]

    def _read_factors(self, language: str) -> tuple[dict[str, Factor], list[Problem], Any]:
        path = self.layout.factors_file(language)
        if not os.path.lexists(path):
            return {}, [], None
        data, problems = read_yaml(path, FACTORS_FILE, self.root)
        if problems:
            return {}, problems, data
        entries, problems = to_model(list[Factor], data, path)
        if entries is None:
            return {}, problems, data
        ids = [entry.id for entry in entries]
        twice = [
            Problem(path, line_of(data, (i, "id")), f"[{i}].id", f"id '{f}' is used more than once")
            for i, f in enumerate(ids)
            if f in ids[:i]
        ]
        return {entry.id: entry for entry in entries}, twice, data

    def outcomes(self, aid_id: str) -> tuple[ClinicOutcomes | None, list[Problem]]:
        """The clinic's audited results for an aid (`outcomes/<id>.yaml`; None if there
        is none) and the file's own problems (its shape; the rules against the aid are
        the aid's, found when it is loaded)."""
        audit, problems, _ = self._outcome_file(aid_id)
        return audit, problems

    def outcomes_data(self, aid_id: str) -> Any:
        """The parsed YAML of an outcomes file (for line numbers)."""
        return self._outcome_file(aid_id)[2]

    def audit_file(self, aid: Aid) -> AuditFile | None:
        """The aid's outcomes file when it may be shown: valid, and its counts fit the
        aid (an unknown id or too many events is a problem, and nothing is shown)."""
        audit, problems, data = self._outcome_file(aid.id)
        if audit is None or problems:
            return None
        path = self.layout.outcomes_file(aid.id)
        if outcome_rules(audit, data, path, aid, self.today()):
            return None
        return AuditFile(path, audit, data)

    def _outcome_file(self, aid_id: str) -> tuple[ClinicOutcomes | None, list[Problem], Any]:
        if aid_id not in self._outcomes:
            path = self.layout.outcomes_file(aid_id)
            if not os.path.lexists(path):
                self._outcomes[aid_id] = (None, [], None)
            else:
                data, problems = read_yaml(path, OUTCOMES_FILE, self.root)
                audit, more = to_model(ClinicOutcomes, data, path) if not problems else (None, [])
                self._outcomes[aid_id] = (audit, problems + more, data)
        return self._outcomes[aid_id]

    def orphan_outcomes(self) -> list[Problem]:
        """Outcomes files for an aid that does not exist (a typo in the name, or an aid
        renamed): their counts would never be shown, so each is a problem."""
        folder = self.layout.outcomes
        if not folder.is_dir():
            return []
        ids = sorted(path.stem for path in self.layout.aids.glob("*.yaml") if "." not in path.stem)
        problems = []
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in ids:
                close = difflib.get_close_matches(path.stem, ids, n=1, cutoff=0.6)
                hint = (
                    f": did you mean outcomes/{close[0]}.yaml?"
                    if close
                    else (f": name it after an aid in aids/ ({', '.join(ids)})" if ids else "")
                )
                problems.append(
                    Problem(path, 1, "", f"there is no aid '{path.stem}' for these outcomes{hint}")
                )
        return problems

    def load(self, path: Path) -> Loaded:
        """Read and validate one aid file.

        A file of the content root (a link too) must lie in it once links are followed;
        one named by a path outside the root is read as named."""
        key = path.resolve()
        if key not in self._loaded:
            path = self._listed.get(key, path)
            inside = self.root if self._in_root(path) else None
            try:
                self._loaded[key] = self._read(path, inside)
            except Exception as exc:  # noqa: BLE001 - one file must never stop the others
                message = f"internal error: {type(exc).__name__}: {exc}"
                self._loaded[key] = Loaded(path, None, [Problem(path, 0, "", message)])
        return self._loaded[key]

    def _read(self, path: Path, inside: Path | None) -> Loaded:
        data, problems = read_yaml(path, AID_FILE, inside)
        if problems:
            return Loaded(path, None, problems)
        aid, problems = to_model(Aid, data, path)
        if aid is None:
            return Loaded(path, None, problems, data)
        twice = self._same_aid(path, aid, data)
        if twice:  # without an aid, its outputs are not the other file's (pipeline.AidResult.key)
            return Loaded(path, None, twice, data)
        problems = aid_rules(aid, data, path) + recovery_rules(aid, data, path)
        problems += expectation_rules(aid, data, path)
        problems += link_rules(aid, data, path)
        problems += certainty_rules(aid, data, path) + development_rules(aid, data, path)
        problems += illustration_rules(aid, data, path, self.root)
        if aid.factor_ids():
            factors, broken = self.factors(aid.language)
            file = self.layout.factors_file(aid.language)
            if not broken:  # a broken factors file is its own problem, not the aid's
                problems += factor_rules(aid, data, path, factors, file)
        audit, broken = self.outcomes(aid.id)
        if audit is not None and not broken:  # a broken file is its own problem (check_result)
            out = self.layout.outcomes_file(aid.id)
            data_out = self.outcomes_data(aid.id)
            problems += outcome_rules(audit, data_out, out, aid, self.today())
        return Loaded(path, aid, problems, data)

    def _same_aid(self, path: Path, aid: Aid, data: Any) -> list[Problem]:
        """Two files for one aid (same id and language) would overwrite each other's
        handout: the later one (by name in aids/, then files named outside it) is an error.
        A file whose name says another id or language is reported for that instead."""
        stem_id, _, named = path.name.removesuffix(".yaml").partition(".")
        if stem_id != aid.id or (named and named.casefold() != aid.language.casefold()):
            return []
        for other in self._earlier(path, aid.id):
            found = self.load(other).aid
            if found is not None and (found.id, found.language) == (aid.id, aid.language):
                message = (
                    f"{display_path(other)} is the aid '{aid.id}' in '{aid.language}' too: "
                    "keep one file, or give this one another id or language"
                )
                return [Problem(path, line_of(data, ("id",)), "id", message)]
        return []

    def _earlier(self, path: Path, aid_id: str) -> list[Path]:
        """The files before `path` that may hold the same aid: aids/<id>.yaml and its
        translations (ids match file names), and files loaded before from outside."""
        aids = self.layout.aids
        named = sorted({*aids.glob(f"{aid_id}.yaml"), *aids.glob(f"{aid_id}.*.yaml")})
        if Path(os.path.abspath(path)).parent == aids:
            # `x.yaml` comes before its translations `x.<lang>.yaml`, then by name.
            return [p for p in named if _file_order(p) < _file_order(path)]
        outside = [p for p in self._loaded if p.parent != aids.resolve() and p != path.resolve()]
        return [*named, *outside]


def _file_order(path: Path) -> tuple[int, str]:
    """`x.yaml` before its translations `x.<lang>.yaml`, then by name."""
    return (path.name.count("."), path.name)
