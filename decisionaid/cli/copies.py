"""The patient's copy and its chart note: `handout` and `note`. Both take the consult's
options (clinician, date, options, factors, hopes, language); nothing about the patient
is written anywhere but the copy asked for.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO, cast

import click

from ..settings import FORMATS, BuildOptions, Format, Paper
from .common import (
    DEBUG_OPTION,
    PAPER_OPTION,
    ROOT_OPTION,
    check_printable,
    echo,
    load_one,
    stop_on_problems,
    write_out,
)

if TYPE_CHECKING:
    from ..content.root import Loaded
    from ..handout.consult import Consult
    from ..pipeline.result import Context


def consult_options(function):
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


@click.command("handout")
@click.argument("aid_id", metavar="AID")
@ROOT_OPTION
@click.option(
    "--patient",
    help="The patient's name, printed on page 1 and nowhere else. On a shared computer "
    "every user can see a command's arguments (ps): give - to read the name from standard "
    "input, or use --patient-file.",
)
@click.option(
    "--patient-file",
    type=click.File("r", encoding="utf-8"),
    help="Read the patient's name from the first line of this file (- for standard input), "
    "so that it is not in the command's arguments.",
)
@consult_options
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
    patient_file: TextIO | None,
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
    patient = _patient(patient, patient_file)
    check_printable(patient, "--patient")
    check_printable(clinician, "--clinician")
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..handout.consult import Consult
    from ..pipeline.core import make_copy
    from ..pipeline.result import Context

    options = BuildOptions(
        formats=(cast(Format, fmt),), large_print=large_print, paper=cast("Paper | None", paper)
    )
    ctx = Context.open(root, options)
    loaded = load_one(ctx, aid_id, language)
    consult = Consult(patient, clinician, day(when, ctx), ids(option_ids), summary, factors, goals)
    check_options(loaded, consult, large_print)
    result = make_copy(loaded, ctx, consult)
    stop_on_problems(result, debug)
    if result.aid is not None and result.aid.status == "draft":
        echo("Note: a draft, not reviewed for patient use; every page says so.", err=True)
    target = output or Path(consult.edition(large_print).copy_name(result.valid, fmt))
    write_out(result.copy, target)


@click.command("note")
@click.argument("aid_id", metavar="AID")
@ROOT_OPTION
@consult_options
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
    # loaded when the command runs: `decisionaid --help` starts in a fraction of a second
    from ..handout.consult import Consult
    from ..pipeline.notes import make_note
    from ..pipeline.result import Context

    ctx = Context.open(root, BuildOptions(formats=("html",), large_print=large_print))
    loaded = load_one(ctx, aid_id, language)
    consult = Consult(None, clinician, day(when, ctx), ids(option_ids), summary, factors, goals)
    check_options(loaded, consult, large_print)
    result = make_note(loaded, ctx, consult)
    stop_on_problems(result, debug)
    echo(result.note.rstrip("\n"))


# The command line's option for each field of the form (handout/consult.py FIELDS).
OPTION_OF = {"options": "--options", "factors": "--factor", "goals": "--goal"}


def check_options(loaded: Loaded, consult: Consult, large_print: bool = False) -> None:
    """Refuse what the web form refuses, with the same validator and words."""
    from ..handout.consult import validate  # the handout layer loads on demand (start-up)

    if loaded.aid is None:
        return
    found = validate(loaded.aid, consult, large_print)
    if len(found) == 1 and found[0].field in OPTION_OF:
        raise click.BadParameter(found[0].detail, param_hint=OPTION_OF[found[0].field])
    if len(found) == 1:  # large print with the summary: the one option to untick
        raise click.UsageError("--large-print is for the full handout; the summary is one page")
    if found:  # every one at once
        hint = {**OPTION_OF, "large_print": "--large-print"}
        raise click.UsageError("; ".join(f"{hint[i.field]}: {i.detail}" for i in found))


def _patient(patient: str | None, patient_file: IO[str] | None) -> str | None:
    """The name from --patient, or read from standard input (`--patient -`) or a file
    (`--patient-file`): its first line, so the name is not in argv for `ps` to show."""
    if patient is not None and patient_file is not None:
        raise click.UsageError("give --patient or --patient-file, not both")
    if patient == "-":
        patient_file = click.open_file("-", encoding="utf-8")
    if patient_file is None:
        return patient
    try:
        line = patient_file.readline(1000)
    except UnicodeDecodeError:
        raise click.BadParameter("the name is not UTF-8 text", param_hint="--patient") from None
    return line.strip() or None


def day(when: dt.datetime | None, ctx: Context) -> dt.date:
    """The date given, else today in the clinic's time zone (clinic.yaml's time_zone)."""
    return when.date() if when else ctx.content.today()


def ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())
