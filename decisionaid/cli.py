"""The `decisionaid` command line. It parses arguments and calls the library.

Everything it prints goes through `_echo`, which shows control characters and
right-to-left overrides escaped (`\\x1b`, `\\u202e`): a file name or a key in a
content file cannot retitle the terminal or fake a line of output. An argument that is
not UTF-8 text is a usage error (it is never echoed: it may be a patient's name).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .problems import Problem, UnknownAid, counted, display_path, json_printable, printable
from .publish.build import BuildRefused, build
from .publish.interrupts import Interrupted
from .publish.output import write_atomic
from .review.commands import register as register_review
from .settings import FORMATS, BuildOptions

if TYPE_CHECKING:
    from .content.root import Loaded
    from .handout.consult import Consult
    from .pipeline import AidResult, Context

# Commands import the content model, the checks and WeasyPrint when they run, so that
# a build with nothing to do starts quickly.

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Content root: the folder holding aids/, glossary/ and clinic.yaml.",
)
PAPER_OPTION = click.option(
    "--paper",
    type=click.Choice(["letter", "a4"]),
    help="Paper size. Default: clinic.yaml's paper, else letter.",
)
DEBUG_OPTION = click.option(
    "--debug", is_flag=True, help="Show the full traceback of an internal error."
)


def _echo(message: str = "", err: bool = False) -> None:
    """click.echo, with what could change how the terminal shows it escaped."""
    click.echo(printable(message, keep="\n\t"), err=err)


class _Commands(click.Group):
    """The command group; it refuses an argument that is not UTF-8 text (the system
    hands such bytes over as lone surrogates, which no file or page can hold)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for number, arg in enumerate(args, 1):
            if any("\ud800" <= char <= "\udfff" for char in arg):
                raise click.UsageError(
                    f"argument {number} is not UTF-8 text: type it again, or set the "
                    "terminal to UTF-8",
                    ctx,
                )
        return super().parse_args(ctx, args)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="decisionaid")
def main() -> None:
    """Turn procedure definitions into patient decision aids (web page and PDF)."""


@main.command("build")
@click.argument("aids", nargs=-1)
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Where to write OUT/<language>/<id>.html and .pdf, and OUT/index.html.",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Write only this format (repeat for both). Default: html and pdf.",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Write large-print versions (18 pt): OUT/<language>/<id>.large.pdf and .large.html.",
)
@PAPER_OPTION
@click.option(
    "--language",
    help="Only the aids in this language (e.g. es), with the ids or globs given.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of cores",
    help="How many aids to make at once (worker processes).",
)
@click.option("--force", is_flag=True, help="Make every aid again, even those up to date.")
@click.option(
    "--shard",
    metavar="K/N",
    help="Build only share K of N (a stable share of the aids, by file name), e.g. one "
    "CI job of N; join the outputs with 'decisionaid merge'.",
)
@DEBUG_OPTION
def build_command(
    aids: tuple[str, ...],
    root: Path,
    out: Path,
    formats: tuple[str, ...],
    large_print: bool,
    paper: str | None,
    language: str | None,
    jobs: int,
    force: bool,
    shard: str | None,
    debug: bool,
) -> None:
    """Build handouts for AIDS (ids, globs such as 'knee-*', or paths; default: every
    file in ROOT/aids/). Aids whose inputs have not changed are not made again."""
    from .publish.plan import Shard

    options = BuildOptions(
        out=out, formats=formats or FORMATS, large_print=large_print, paper=paper
    )
    try:
        share = Shard.parse(shard) if shard else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    try:
        with _progress() as progress:
            report = build(
                root,
                options,
                aids,
                jobs=jobs,
                force=force,
                language=language,
                progress=progress,
                shard=share,
            )
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    except BuildRefused as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(2)
    except Interrupted as exc:
        _echo(f"Stopped ({exc}): nothing is half-written; run the build again.", err=True)
        sys.exit(exc.exit_status)
    except OSError as exc:  # the output folder cannot be made or written
        _echo(f"error: cannot write to {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(1)
    _print_problems(report.problems, report.tracebacks if debug else [])
    for warning in report.warnings:
        _echo(f"warning: {warning}", err=True)
    if report.stale:
        _echo(
            f"Not in the index until built again (changed since): {', '.join(report.stale)}",
            err=True,
        )
    if report.checks:
        _echo(report.check_summary())
    _echo(report.summary())
    if report.problems:
        not_built = "; those aids were not built" if report.failed else ""
        _echo(f"{counted(len(report.problems), 'problem')} found{not_built}.", err=True)
        sys.exit(1)


@contextmanager
def _progress():
    """A progress bar (count, the aid just made, time left) on a terminal; nothing
    otherwise (the summary line says it all)."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def update(done: int, total: int, key: str) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(
                length=total,
                label="Building",
                file=sys.stderr,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda item: item,
            )
            bar.__enter__()
        bar.update(1, key)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@main.command("merge")
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to merge into (then run 'decisionaid build --out OUT' for the catalog).",
)
def merge_command(sources: tuple[Path, ...], out: Path) -> None:
    """Merge the output folders of builds run apart (e.g. one per CI runner) into OUT."""
    from .publish.merge import MergeRefused, UnsafeMerge, merge

    try:
        report = merge(list(sources), out)
    except MergeRefused as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(2)
    except UnsafeMerge as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        _echo(f"error: cannot write to {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(1)
    for conflict in report.conflicts:
        _echo(f"warning: {conflict}", err=True)
    _echo(
        f"Merged {counted(report.aids, 'aid')} ({counted(report.files, 'file')}) into "
        f"{display_path(out)}; run 'decisionaid build --root CONTENT --out {display_path(out)}' "
        "for the catalog"
    )


@main.command("check")
@click.argument("aids", nargs=-1)
@ROOT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1).")
@DEBUG_OPTION
def check_command(
    aids: tuple[str, ...], root: Path, as_json: bool, strict: bool, debug: bool
) -> None:
    """Check AIDS against IPDAS, reading level and plain language (default: all)."""
    from .pipeline import Context, check_all
    from .publish.plan import aid_files
    from .quality.report import text_report
    from .settings import ContentLayout

    try:
        if not aids:  # an empty or wrong root is a usage error, as for build
            aid_files(ContentLayout(root))
    except BuildRefused as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        report = check_all(Context.open(root, BuildOptions(today=dt.date.today())), aids)
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    for trace in report.tracebacks if debug else []:
        _echo(trace, err=True)
    if as_json:
        _echo(json_printable(json.dumps(report.as_dict(), indent=2, ensure_ascii=False)))
    else:
        _echo(text_report(report))
    failing = report.count("error") + (report.count("warning") if strict else 0)
    sys.exit(1 if failing else 0)


def _consult_options(function):
    """--clinician, --date, --options, --factor, --goal and --language, shared by `handout`
    and `note`."""
    function = click.option(
        "--goal",
        "goals",
        multiple=True,
        metavar="ID",
        help="What the patient hopes for (repeat): a goal of the aid, by id.",
    )(function)
    function = click.option(
        "--language",
        metavar="TAG",
        help="The aid in this language (a translation, e.g. es). Default: AID's own file.",
    )(function)
    function = click.option(
        "--factor",
        "factors",
        multiple=True,
        metavar="ID",
        help="A factor of this patient (repeat): chances for their group where the aid has them.",
    )(function)
    function = click.option(
        "--options",
        "option_ids",
        default="",
        metavar="ID,ID",
        help="The options that apply to this patient (the no-action option is always kept).",
    )(function)
    function = click.option(
        "--date",
        "when",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="The date of the consult (YYYY-MM-DD). Default: today.",
    )(function)
    return click.option("--clinician", help="Who gives the handout.")(function)


@main.command("handout")
@click.argument("aid_id", metavar="AID")
@ROOT_OPTION
@click.option("--patient", help="The patient's name, printed on page 1 and nowhere else.")
@_consult_options
@click.option("--summary", is_flag=True, help="The one-page summary instead of the handout.")
@click.option("--large-print", is_flag=True, help="18 pt type (the full handout only).")
@PAPER_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write it; - for standard output. Default: ID.LANGUAGE[.summary|.large].pdf",
)
@DEBUG_OPTION
def handout_command(
    aid_id: str,
    root: Path,
    patient: str | None,
    clinician: str | None,
    when: dt.datetime | None,
    option_ids: str,
    factors: tuple[str, ...],
    goals: tuple[str, ...],
    language: str | None,
    summary: bool,
    large_print: bool,
    paper: str | None,
    fmt: str,
    output: Path | None,
    debug: bool,
) -> None:
    """Write one copy of AID for a patient: name, clinician and date on page 1, only the
    options that apply. Nothing about the patient is written anywhere else."""
    if summary and large_print:
        raise click.UsageError("--large-print is for the full handout; the summary is one page")
    _check_printable(patient, "--patient")
    _check_printable(clinician, "--clinician")
    from .handout.consult import Consult
    from .pipeline import Context, make_copy

    options = BuildOptions(formats=(fmt,), large_print=large_print, paper=paper)
    ctx = Context.open(root, options)
    loaded = _load_one(ctx, aid_id, language)
    consult = Consult(patient, clinician, _day(when), _ids(option_ids), summary, factors, goals)
    _check_options(loaded, consult)
    result = make_copy(loaded, ctx, consult)
    _stop_on_problems(result, debug)
    if result.aid is not None and result.aid.status == "draft":
        _echo("Note: a draft, not reviewed for patient use; every page says so.", err=True)
    target = output or Path(consult.file_name(result.aid, large_print, fmt))
    _write_out(result.files["copy"], target)


@main.command("note")
@click.argument("aid_id", metavar="AID")
@ROOT_OPTION
@_consult_options
@click.option("--summary", is_flag=True, help="Say that the one-page summary was given.")
@click.option("--large-print", is_flag=True, help="Say that the copy was in large print.")
@DEBUG_OPTION
def note_command(
    aid_id: str,
    root: Path,
    clinician: str | None,
    when: dt.datetime | None,
    option_ids: str,
    factors: tuple[str, ...],
    goals: tuple[str, ...],
    language: str | None,
    summary: bool,
    large_print: bool,
    debug: bool,
) -> None:
    """Print a chart note for AID, in the staff's language: the decision, the aid and its
    version, the options discussed, the patient's factors and hopes, what was given (in
    which language and print size), and the date: ready to paste."""
    from .handout.consult import Consult
    from .pipeline import Context, make_note

    ctx = Context.open(root, BuildOptions(formats=("html",), large_print=large_print))
    loaded = _load_one(ctx, aid_id, language)
    consult = Consult(None, clinician, _day(when), _ids(option_ids), summary, factors, goals)
    _check_options(loaded, consult)
    result = make_note(loaded, ctx, consult)
    _stop_on_problems(result, debug)
    _echo(result.files["note"].decode("utf-8").rstrip("\n"))


def _load_one(ctx: Context, aid_id: str, language: str | None = None) -> Loaded:
    """The aid named, or with `language` its version in that language (any case)."""
    try:
        paths = ctx.content.aid_paths((aid_id,))  # the file named; its translations follow
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    if language is None:
        return ctx.content.load(paths[0])
    found = {}
    for path in paths:
        aid = ctx.content.load(path).aid
        if aid is not None:
            found.setdefault(aid.language, path)
    wanted = next((tag for tag in found if tag.casefold() == language.casefold()), None)
    if wanted is None:
        have = ", ".join(found) or "none that can be read"
        raise click.BadParameter(
            f"'{aid_id}' has no version in '{language}'; its languages: {have}",
            param_hint="--language",
        )
    return ctx.content.load(found[wanted])


def _check_printable(name: str | None, option: str) -> None:
    """A name with a character no installed font has would print it as an empty box."""
    from .publish.fonts import in_a_name, unprintable

    missing = unprintable(name or "")
    if missing:
        them = "it" if len(missing) == 1 else "them"
        raise click.BadParameter(
            f"no installed font can print {in_a_name(missing)}: leave {them} out of the "
            f"name, or install a font that has {them}",
            param_hint=option,
        )


def _check_options(loaded: Loaded, consult: Consult) -> None:
    from .handout.consult import UnknownFactor, UnknownGoal, UnknownOption

    if loaded.aid is not None:
        try:
            consult.check_options(loaded.aid)
        except UnknownOption as exc:
            raise click.BadParameter(str(exc), param_hint="--options") from None
        try:
            consult.check_factors(loaded.aid)
        except UnknownFactor as exc:
            raise click.BadParameter(str(exc), param_hint="--factor") from None
        try:
            consult.check_goals(loaded.aid)
        except UnknownGoal as exc:
            raise click.BadParameter(str(exc), param_hint="--goal") from None


def _stop_on_problems(result: AidResult, debug: bool) -> None:
    """An aid that fails its checks is not handed out: say why (never who it was for)."""
    if result.problems:
        _print_problems(
            list(result.problems), [result.traceback] if debug and result.traceback else []
        )
        _echo("This aid cannot be handed out until these are fixed.", err=True)
        sys.exit(1)


def _write_out(data: bytes, target: Path) -> None:
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(target, data)
    except OSError as exc:
        _echo(f"error: cannot write {display_path(target)}: {exc.strerror}", err=True)
        sys.exit(1)
    _echo(f"Wrote {display_path(target)}", err=True)


def _day(when: dt.datetime | None) -> dt.date:
    return when.date() if when else dt.date.today()


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@main.command("serve")
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer to this Host name (repeat), e.g. the one a reverse proxy passes on.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of cores",
    help="How many PDFs to make at once, each in a worker process of its own.",
)
@click.option(
    "--render-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds after which a copy still being made is stopped (its worker restarted).",
)
@click.option(
    "--max-waiting",
    type=click.IntRange(0, 10000),
    default=20,
    show_default=True,
    help="Copies that may wait for a free worker; beyond that the app answers 'busy'.",
)
def serve_command(
    root: Path,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    workers: int,
    render_timeout: float,
    max_waiting: int,
) -> None:
    """Run the staff web app: find an aid, print a patient's copy, copy a chart note."""
    from .publish.plan import aids_folder
    from .settings import ContentLayout
    from .web.app import Rendering
    from .web.server import exposure_warning, serve  # the web stack loads only here

    try:
        aids_folder(ContentLayout(root))
    except BuildRefused as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(2)
    warning = exposure_warning(host, port)
    if warning:
        _echo(warning, err=True)
    _echo(f"Decision aids from {root.resolve()}: open http://{host}:{port}/", err=True)
    rendering = Rendering(workers, render_timeout, max_waiting)
    serve(root, host, port, allowed_hosts, rendering)


@main.command("new")
@click.argument("aid_id", metavar="ID")
@ROOT_OPTION
def new_command(aid_id: str, root: Path) -> None:
    """Write ROOT/aids/ID.yaml from a commented skeleton that passes validation."""
    from .publish.scaffold import AidExists, new_aid

    try:
        path = new_aid(root, aid_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    except AidExists as exc:
        _echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # a read-only folder, a full disk
        where = display_path(Path(exc.filename)) if exc.filename else str(root / "aids")
        _echo(f"error: cannot write {where}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    _echo(f"Wrote {display_path(path)}. Edit it, then run: decisionaid build {aid_id}")


def _print_problems(problems: list[Problem], tracebacks: list[str]) -> None:
    for problem in sorted(problems, key=lambda p: (str(p.path), p.line)):
        _echo(str(problem), err=True)
    for trace in tracebacks:
        _echo(trace, err=True)


register_review(main)  # approve, diff, status (decisionaid/review/commands.py)
