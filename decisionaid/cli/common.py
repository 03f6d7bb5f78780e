"""What the commands share: the common options, printing (`echo`, which escapes
control characters and right-to-left overrides: a file name or a key in a content file
cannot retitle the terminal or fake a line of output), finding one aid, and handing a
copy out or refusing it. The command modules (cli/, including cli/review.py) build on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..output.files import write_atomic
from ..problems import Problem, UnknownAid, display_path, printable

if TYPE_CHECKING:
    from ..content.root import Loaded
    from ..pipeline.result import AidResult, Context

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


def echo(message: str = "", err: bool = False) -> None:
    """click.echo, with what could change how the terminal shows it escaped."""
    click.echo(printable(message, keep="\n\t"), err=err)


def print_problems(problems: list[Problem], tracebacks: list[str]) -> None:
    for problem in sorted(problems, key=lambda p: (str(p.path), p.line)):
        echo(str(problem), err=True)
    for trace in tracebacks:
        echo(trace, err=True)


def load_one(ctx: Context, aid_id: str, language: str | None = None) -> Loaded:
    """The aid named, or with `language` its version in that language (any case)."""
    try:
        paths = ctx.content.aid_paths((aid_id,))  # the file named; its translations follow
    except UnknownAid as exc:
        raise click.UsageError(printable(str(exc))) from None
    if language is None:
        return ctx.content.load(paths[0])
    found: dict[str, Path] = {}
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


def check_printable(name: str | None, option: str) -> None:
    """A name with a character no installed font has would print it as an empty box."""
    # the fonts' list is read only when a name is printed
    from ..output.fonts import in_a_name, unprintable

    missing = unprintable(name or "")
    if missing:
        them = "it" if len(missing) == 1 else "them"
        raise click.BadParameter(
            f"no installed font can print {in_a_name(missing)}: leave {them} out of the "
            f"name, or install a font that has {them}",
            param_hint=option,
        )


def stop_on_problems(result: AidResult, debug: bool) -> None:
    """An aid that fails its checks is not handed out: say why (never who it was for)."""
    if result.problems:
        print_problems(
            list(result.problems), [result.traceback] if debug and result.traceback else []
        )
        echo("This aid cannot be handed out until these are fixed.", err=True)
        sys.exit(1)


def write_out(data: bytes, target: Path) -> None:
    if str(target) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomic(target, data)
    except OSError as exc:
        echo(f"error: cannot write {display_path(target)}: {exc.strerror}", err=True)
        sys.exit(1)
    echo(f"Wrote {display_path(target)}", err=True)
