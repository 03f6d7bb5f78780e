"""The `decisionaid` command line. It parses arguments and calls the library."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from . import __version__
from .content.root import UnknownAid
from .pipeline import Context, check_all
from .problems import Problem, display_path
from .publish.build import build
from .publish.scaffold import AidExists, new_aid
from .quality.report import counted, text_report
from .settings import FORMATS, BuildOptions

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Content root: the folder holding aids/, glossary/ and clinic.yaml.",
)
DEBUG_OPTION = click.option(
    "--debug", is_flag=True, help="Show the full traceback of an internal error."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"]),
    help="Paper size of the PDFs. Default: clinic.yaml's paper, else letter.",
)
@DEBUG_OPTION
def build_command(
    aids: tuple[str, ...],
    root: Path,
    out: Path,
    formats: tuple[str, ...],
    large_print: bool,
    paper: str | None,
    debug: bool,
) -> None:
    """Build handouts for AIDS (ids or paths; default: every file in ROOT/aids/)."""
    options = BuildOptions(
        out=out, formats=formats or FORMATS, large_print=large_print, paper=paper, debug=debug
    )
    try:
        report = build(root, options, aids)
    except UnknownAid as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:  # the output folder cannot be written
        click.echo(f"error: cannot write to {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(1)
    _print_problems(report.problems, report.tracebacks if debug else [])
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.stale:
        click.echo(
            f"Not in the index until built again (changed since): {', '.join(report.stale)}",
            err=True,
        )
    if report.checks:
        click.echo(report.check_summary())
    files = sum(len(b.files) for b in report.built)
    click.echo(
        f"Built {counted(len(report.built), 'aid')} ({counted(files, 'file')}) "
        f"in {report.seconds:.1f} s → {display_path(report.index)}"
    )
    if report.problems:
        click.echo(
            f"{counted(len(report.problems), 'problem')} found; those aids were not built.",
            err=True,
        )
        sys.exit(1)


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
    try:
        report = check_all(Context.open(root, BuildOptions(today=dt.date.today())), aids)
    except UnknownAid as exc:
        raise click.UsageError(str(exc)) from None
    for trace in report.tracebacks if debug else []:
        click.echo(trace, err=True)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(text_report(report))
    failing = report.count("error") + (report.count("warning") if strict else 0)
    sys.exit(1 if failing else 0)


@main.command("new")
@click.argument("aid_id", metavar="ID")
@ROOT_OPTION
def new_command(aid_id: str, root: Path) -> None:
    """Write ROOT/aids/ID.yaml from a commented skeleton that passes validation."""
    try:
        path = new_aid(root, aid_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    except AidExists as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {display_path(path)}. Edit it, then run: decisionaid build {aid_id}")


def _print_problems(problems: list[Problem], tracebacks: list[str]) -> None:
    for problem in sorted(problems, key=lambda p: (str(p.path), p.line)):
        click.echo(str(problem), err=True)
    for trace in tracebacks:
        click.echo(trace, err=True)
