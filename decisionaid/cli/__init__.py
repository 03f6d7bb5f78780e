"""The `decisionaid` command line. It parses arguments and calls the library.

Here: the command group and the commands that build and check (build, merge, check,
serve, new). The patient's copy and chart note are in copies.py, the review commands in
cli/review.py; what they share (options, printing through `echo`, which escapes
control characters) in common.py. An argument that is not UTF-8 text is a usage error
(it is never echoed: it may be a patient's name).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import click

from .. import __version__
from ..problems import UnknownAid, counted, display_path, json_printable, printable
from ..publish.build import BuildRefused, build
from ..publish.interrupts import Interrupted
from ..settings import FORMATS, BuildOptions, Format, Paper
from ..web.pool import PoolSettings  # the standard library only: not the web stack
from .common import DEBUG_OPTION, PAPER_OPTION, ROOT_OPTION, echo, print_problems
from .copies import handout_command, note_command
from .review import register as register_review

# Commands import the content model, the checks and WeasyPrint when they run, so that
# a build with nothing to do starts quickly.

POOL = PoolSettings()  # `serve`'s defaults for the PDF workers, shown by --help


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
    default=lambda: PoolSettings().workers,
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
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..content.root import ContentRoot
    from ..publish.plan import Shard

    options = BuildOptions(
        out=out,
        formats=cast("tuple[Format, ...]", formats) or FORMATS,  # click's choices
        large_print=large_print,
        paper=cast("Paper | None", paper),
        today=ContentRoot.at(root).today(),  # the clinic's day judges review dates
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
        echo(f"error: {exc}", err=True)
        sys.exit(2)
    except Interrupted as exc:
        echo(f"Stopped ({exc}): nothing is half-written; run the build again.", err=True)
        sys.exit(exc.exit_status)
    except OSError as exc:  # the output folder cannot be made or written
        echo(f"error: cannot write to {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(1)
    print_problems(report.problems, report.tracebacks if debug else [])
    for warning in report.warnings:
        echo(f"warning: {warning}", err=True)
    if report.stale:
        echo(
            f"Not in the index until built again (changed since): {', '.join(report.stale)}",
            err=True,
        )
    if report.checks:
        echo(report.check_summary())
    echo(report.summary())
    if report.problems:
        not_built = "; those aids were not built" if report.failed else ""
        echo(f"{counted(len(report.problems), 'problem')} found{not_built}.", err=True)
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
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..publish.merge import MergeRefused, UnsafeMerge, merge

    try:
        report = merge(list(sources), out)
    except MergeRefused as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(2)
    except UnsafeMerge as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"error: cannot write to {exc.filename or out}: {exc.strerror}", err=True)
        sys.exit(1)
    for conflict in report.conflicts:
        echo(f"warning: {conflict}", err=True)
    echo(
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
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..pipeline.core import check_all
    from ..pipeline.result import Context
    from ..publish.plan import aid_files
    from ..quality.report import text_report
    from ..settings import ContentLayout

    try:
        if not aids:  # an empty or wrong root is a usage error, as for build
            aid_files(ContentLayout(root))
    except BuildRefused as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        report = check_all(Context.today_at(root), aids)
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    for trace in report.tracebacks if debug else []:
        echo(trace, err=True)
    if as_json:
        echo(json_printable(json.dumps(report.as_dict(), indent=2, ensure_ascii=False)))
    else:
        echo(text_report(report))
    failing = report.count("error") + (report.count("warning") if strict else 0)
    sys.exit(1 if failing else 0)


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
    "--forwarded-allow-ips",
    default="127.0.0.1,::1",
    show_default=True,
    metavar="ADDRESSES",
    help="The reverse proxy's addresses (comma-separated, or networks like 10.0.0.0/8): "
    "from them only, X-Forwarded-For names the desk in the access log.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: PoolSettings().workers,
    show_default="the number of cores",
    help="How many PDFs to make at once, each in a worker process of its own.",
)
@click.option(
    "--render-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=POOL.timeout,
    show_default=True,
    help="Seconds after which a copy still being made is stopped (its worker restarted).",
)
@click.option(
    "--max-waiting",
    type=click.IntRange(0, 10000),
    default=POOL.max_waiting,
    show_default=True,
    help="Copies that may wait for a free worker; beyond that the app answers 'busy'.",
)
@click.option(
    "--recycle-after",
    type=click.IntRange(0, 1_000_000),
    default=POOL.recycle_after,
    show_default=True,
    help="Copies a worker makes before a fresh one takes its place (0: never).",
)
def serve_command(
    root: Path,
    host: str,
    port: int,
    allowed_hosts: tuple[str, ...],
    forwarded_allow_ips: str,
    workers: int,
    render_timeout: float,
    max_waiting: int,
    recycle_after: int,
) -> None:
    """Run the staff web app: find an aid, print a patient's copy, copy a chart note."""
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..publish.plan import aids_folder
    from ..settings import ContentLayout
    from ..web.server import addresses_to_open, exposure_warning, serve  # web stack only here

    try:
        aids_folder(ContentLayout(root))
    except BuildRefused as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(2)
    warning = exposure_warning(host, port)
    if warning:
        echo(warning, err=True)
    here, *others = addresses_to_open(host, port)
    if others:
        elsewhere = ", ".join(others)
        where = f"open {here} on this computer, or {elsewhere} from another"
    else:
        where = f"open {here}"
    echo(f"Decision aids from {root.resolve()}: {where}", err=True)
    pool = PoolSettings(workers, render_timeout, max_waiting, recycle_after)
    serve(root, host, port, allowed_hosts, pool, forwarded_allow_ips)


@main.command("new")
@click.argument("aid_id", metavar="ID")
@ROOT_OPTION
def new_command(aid_id: str, root: Path) -> None:
    """Write ROOT/aids/ID.yaml from a commented skeleton that passes validation."""
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..publish.scaffold import AidExists, new_aid

    try:
        path = new_aid(root, aid_id)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    except AidExists as exc:
        echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # a read-only folder, a full disk
        where = display_path(Path(exc.filename)) if exc.filename else str(root / "aids")
        echo(f"error: cannot write {where}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    echo(f"Wrote {display_path(path)}. Edit it, then run: decisionaid build {aid_id}")


main.add_command(handout_command)  # cli/copies.py
main.add_command(note_command)
register_review(main)  # approve (cli/approve.py), diff, status (cli/review.py)
