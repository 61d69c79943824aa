"""The `plan-gen` command line: parses options, calls one core function, reports.

This is the only module that imports click, and the one place that turns
plan-gen's errors into messages and exit codes: 1 for a user's bad input,
2 for a usage error (click's own), 3 for a bug in plan-gen, 130 after
Ctrl-C. No traceback reaches a user.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from planner import __version__, exchange, resources
from planner.answers import answers_schema, load_answers, todays_date
from planner.batch import PdfOptions, Tally, check_names, run_batch, write_pdf
from planner.catalogue import catalogue_json, shipped_catalogue
from planner.errors import PlanGenError
from planner.explain import explain as explain_plan
from planner.figure_files import write_figures
from planner.inputs import STDIN, check_files, spool_stdin
from planner.interview import InputEnded, Interview, free_name, load_partial
from planner.jsonio import canonical_json, write_atomic
from planner.vocabulary import rules_schema


class PlanGenGroup(click.Group):
    """A click group that maps plan-gen's own errors and Ctrl-C to exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlanGenError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = exc.exit_code
            raise error from None
        except KeyboardInterrupt:
            click.echo("\nInterrupted; nothing half-written was left behind.", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # a bug: say so in one line, never a traceback
            if os.environ.get("PLAN_GEN_DEBUG"):
                raise
            click.echo(f"Internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
                       "This is a bug in plan-gen; please report it with the input that caused it "
                       "(set PLAN_GEN_DEBUG=1 to see the details).", err=True)
            ctx.exit(3)


@click.group(cls=PlanGenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plan-gen")
def cli() -> None:
    """Turn answers about everyday lower back pain into a home exercise plan.

    plan-gen never diagnoses. Answers that point to a warning sign lead to a
    referral, not a plan. See a doctor or physiotherapist before you start.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
def validate(files: tuple[str, ...]) -> None:
    """Check answers files against the questionnaire contract.

    FILES may be answers files, folders (every *.json inside), JSON Lines
    files (*.jsonl) and - for JSON Lines on standard input. Every problem in
    every file is listed, each with the file (and line), the field and what
    is allowed. Exits 0 when all are valid, 1 otherwise.
    """
    stdin_path = spool_stdin(sys.stdin.buffer) if STDIN in files else None
    try:
        results = check_files(list(files), stdin_path)
    finally:
        if stdin_path:
            os.unlink(stdin_path)
    for result in results:
        if result.ok:
            click.echo(f"{result.source}: valid")
        for problem in result.problems:
            click.echo(str(problem))
    bad = sum(1 for r in results if not r.ok)
    noun = "file" if len(results) == 1 else "files"
    click.echo(f"{len(results)} {noun} checked: {len(results) - bad} valid, {bad} invalid.")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("kind", type=click.Choice(["answers", "catalogue", "rules", "plan"]), default="answers")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "fhir-questionnaire"]), default="json",
              show_default=True, help="json: the JSON Schema. For answers only: csv (the header row and an "
              "example row of a spreadsheet) or fhir-questionnaire (a FHIR R4 Questionnaire).")
def schema(kind: str, fmt: str) -> None:
    """Print a JSON Schema: answers (default), catalogue, rules or plan."""
    if fmt != "json":
        if kind != "answers":
            raise click.UsageError(f"--format {fmt} is for the answers only, not {kind}")
        click.echo(exchange.answers_form(fmt), nl=False)
        return
    data = {
        "answers": answers_schema,
        "catalogue": lambda: resources.schema("catalogue"),
        "rules": rules_schema,
        "plan": lambda: resources.schema("plan"),
    }[kind]()
    click.echo(canonical_json(data), nl=False)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for other programs.")
def catalogue(fmt: str) -> None:
    """List every exercise in the catalogue with its equipment and dose ranges."""
    entries = catalogue_json(shipped_catalogue())
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    click.echo(_table(entries))


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--out-dir", "-o", type=click.Path(file_okay=False), default="out", show_default=True,
              help="Folder for the plans; created if missing.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "both", "ics", "fhir"]), default="pdf",
              show_default=True, help="pdf to print and hand out, json for other programs, ics for calendar "
              "reminders, fhir for a FHIR R4 CarePlan (a ServiceRequest for a referral); both is pdf, json and ics.")
@click.option("--page-size", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF.")
@click.option("--large-print", is_flag=True, help="Bigger type (14 pt body text) for readers who need it.")
@click.option("--session-time", callback=lambda _c, _p, v: _session_time(v), metavar="HH:MM",
              help="Calendar (ics) sessions start at this time (24-hour clock). Default: all-day events.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes. Default: the number of CPUs. 1 runs in this process.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Write a JSON report of every input's outcome to this file.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it only shows on a terminal anyway).")
def batch(inputs: tuple[str, ...], out_dir: str, fmt: str, page_size: str, large_print: bool, session_time,
          jobs: int | None, report: str | None, quiet: bool) -> None:
    """Make a plan for every answers file or record.

    INPUTS may be answers files, folders (every *.json inside, sorted),
    JSON Lines files (*.jsonl, one answers object a line) and - for JSON
    Lines on standard input. Writes OUT_DIR/<name>.pdf (or .json) for each:
    a plan, or a referral when an answer is a warning sign. A JSON Lines
    record is named after its "id", else <file name>-<line number>.

    Every invalid input is reported and skipped; the others are still
    written, each atomically. Exits 0 when all inputs were valid, 1 when any
    was not. The default start date (next Monday) counts from today, or from
    SOURCE_DATE_EPOCH when it is set.
    """
    started = time.perf_counter()
    stdin_path = spool_stdin(sys.stdin.buffer) if STDIN in inputs else None
    try:
        _batch(list(inputs), Path(out_dir), fmt, PdfOptions(page_size, large_print, session_time),
               jobs or os.cpu_count() or 1,
               report, quiet, stdin_path, started)
    finally:
        if stdin_path:
            os.unlink(stdin_path)


def _batch(inputs, out_dir, fmt, options, jobs, report, quiet, stdin_path, started) -> None:
    formats = ("pdf", "json", "ics") if fmt == "both" else (fmt,)
    total = check_names(inputs, out_dir, formats, stdin_path)
    tally = Tally()
    outcomes = run_batch(inputs, out_dir, formats, todays_date(), options, jobs, stdin_path)
    show_bar = not quiet and sys.stderr.isatty()
    with click.progressbar(length=total, label="Making plans", file=sys.stderr, hidden=not show_bar) as bar:
        for outcome in outcomes:
            tally.add(outcome, keep=report is not None)
            for warning in outcome.warnings:
                click.echo(f"Warning: {warning}", err=True)
            for problem in outcome.problems:
                click.echo(str(problem), err=True)
            bar.update(1)
    seconds = time.perf_counter() - started
    if report:
        summary = {"plans": tally.plans, "referrals": tally.referrals, "invalid": tally.invalid,
                   "seconds": round(seconds, 3)}
        write_atomic(report, canonical_json({"summary": summary, "inputs": tally.outcomes}).encode("utf-8"))
    click.echo(f"{tally.plans} plans written, {tally.referrals} referrals, {tally.invalid} invalid inputs, "
               f"in {seconds:.1f} s.")
    if tally.invalid:
        sys.exit(1)


@cli.command()
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="Where to write the PDF. Default: back-plan.pdf in this folder (never over an existing file).")
@click.option("--save-answers", type=click.Path(dir_okay=False),
              help="Also save the answers as JSON, for plan-gen validate and plan-gen batch.")
@click.option("--answers", "start", type=click.Path(dir_okay=False),
              help="Start from this answers file and ask only what it lacks.")
@click.option("--page-size", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help="Paper size of the PDF.")
@click.option("--large-print", is_flag=True, help="Bigger type (14 pt body text) for readers who need it.")
def interview(out: str | None, save_answers: str | None, start: str | None, page_size: str,
              large_print: bool) -> None:
    """Answer the questions in the terminal and get a printed plan.

    Warning-sign questions come first; an answer that needs emergency care
    stops the interview at once. Every answer is checked as you type it, and
    you can correct any answer before the plan is made. Works with answers
    piped on standard input too. Ctrl-C leaves without writing anything.
    """
    initial = load_partial(start) if start else None
    session = Interview(_ask_line, click.echo, todays_date())
    result = session.run(initial)
    options = PdfOptions(page_size=page_size, large_print=large_print)
    if result.stopped_early:
        if out:
            write_pdf(result.plan, Path(out), options)
            click.echo(f"The page for the emergency staff is in {out}.")
        if save_answers:
            click.echo("Your answers were not saved: the interview stopped before all questions were asked.")
        return
    if save_answers:
        write_atomic(save_answers, canonical_json(result.answers).encode("utf-8"))
        click.echo(f"Your answers are saved in {save_answers}.")
    target = Path(out) if out else free_name(Path.cwd())
    warnings = write_pdf(result.plan, target, options)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if result.plan.status == "plan":
        click.echo(f"Your {result.plan.weeks_count}-week plan is in {target}. Print it and read "
                   "'Before you start' first.")
    else:
        click.echo("plan-gen did not make an exercise plan, because:")
        for _, because in result.plan.referral_reasons:
            click.echo(f"  {because}")
        click.echo(f"Take the page in {target} to a doctor or physiotherapist.")


def _session_time(value: str | None):
    """--session-time: a time of day, or a usage error (exit 2) saying what is allowed."""
    try:
        return exchange.parse_session_time(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _ask_line(prompt: str) -> str:
    """Read one answer from standard input (a terminal or a pipe); EOFError when it ends."""
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        click.echo("")
        raise InputEnded("Input ended before the interview was finished; nothing was saved.")
    return line.rstrip("\r\n")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="figures", show_default=True,
              help="Folder for the figures; created if missing.")
def figures(out_dir: str) -> None:
    """Draw every exercise's figure for review.

    Writes OUT/<exercise id>.svg for each exercise in the catalogue, and
    OUT/figures.pdf with all of them under their names.
    """
    written = write_figures(shipped_catalogue(), Path(out_dir))
    click.echo(f"{len(written) - 1} figures and a sheet of them written to {out_dir}/ ({Path(written[-1]).name}).")


@cli.command()
@click.argument("file", type=click.Path())
def explain(file: str) -> None:
    """Show which rules fired for one answers file and why each exercise is in the plan."""
    click.echo(explain_plan(load_answers(file), todays_date()), nl=False)


def _span(pair: list[int] | None, unit: str = "") -> str:
    if pair is None:
        return "-"
    low, high = pair
    return f"{low}{unit}" if low == high else f"{low}-{high}{unit}"


def _table(entries: list[dict]) -> str:
    header = ("ID", "NAME", "KIND", "FLOOR", "EQUIPMENT", "SETS", "REPS", "HOLD", "SIDES", "HOW OFTEN")
    rows = [header]
    for e in entries:
        d = e["dose"]
        rows.append((
            e["id"], e["name"], e["category"], "yes" if e["needs_floor"] else "no",
            ", ".join(e["equipment"]) or "-", _span(d["sets"]), _span(d["reps"]), _span(d["hold_seconds"], " s"),
            "each" if d["per_side"] else "-", d["frequency"].replace("_", " "),
        ))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + f"\n{len(entries)} exercises."


def main() -> None:
    cli(prog_name="plan-gen")
