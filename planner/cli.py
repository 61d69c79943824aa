"""The `plan-gen` command line: parses options, calls one core function, reports.

With its command modules (cli_*.py) the only code that imports click, and the one place that turns
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

from planner import __version__
from planner.cli_checkin import checkin
from planner.cli_common import count, data_options, read_stdin, refuse_old_report, show_outcomes, timeout_option
from planner.cli_interview import interview
from planner.collector import hold_during_start
from planner.errors import PlanGenError

# Everything else is imported inside the command that uses it: `--help`, `schema`, `catalogue`,
# `validate` and `upgrade` start without reportlab, durable_rules or icalendar
# (tests/test_speed_guards.py checks).


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
        except OSError as exc:  # the file system, not plan-gen: the user can act on it
            place = f"{exc.filename}: " if exc.filename else ""
            error = click.ClickException(f"{place}{exc.strerror or exc}; check the path and run again")
            error.exit_code = 1
            raise error from None
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

    FILES may be answers files (*.json: an answers object or a FHIR
    QuestionnaireResponse), folders (every *.json inside), JSON Lines files
    (*.jsonl, one a line), CSV files (*.csv, one person a row under a header
    of field paths: plan-gen schema --format csv) and - for JSON Lines on
    standard input. Every problem in
    every file is listed, each with the file (and line), the field and what
    is allowed. Exits 0 when all are valid, 1 otherwise.
    """
    from planner.inputs import STDIN, check_files

    stdin_path = read_stdin("answers") if STDIN in files else None
    checked = bad = 0
    try:
        for result in check_files(list(files), stdin_path):  # one at a time: memory stays flat
            checked += 1
            bad += not result.ok
            if result.ok:
                click.echo(f"{result.source}: valid")
            for problem in result.problems:
                click.echo(str(problem))
    finally:
        if stdin_path:
            os.unlink(stdin_path)
    click.echo(f"{count(checked, 'file')} checked: {checked - bad} valid, {bad} invalid.")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("kind", type=click.Choice(["answers", "catalogue", "rules", "plan", "clinic", "checkin"]),
                default="answers")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "fhir-questionnaire"]), default="json",
              show_default=True, help="json: the JSON Schema. For answers only: csv (the header row and an "
              "example row of a spreadsheet) or fhir-questionnaire (a FHIR R4 Questionnaire).")
def schema(kind: str, fmt: str) -> None:
    """Print a JSON Schema: answers (default), catalogue, rules, plan, clinic (for --clinic) or checkin (the
    check-in questions)."""
    from planner import exchange, resources
    from planner.answers import answers_schema
    from planner.jsonio import canonical_json
    from planner.vocabulary import rules_schema

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
        "clinic": lambda: resources.schema("clinic"),
        "checkin": _checkin_schema,
    }[kind]()
    click.echo(canonical_json(data), nl=False)


# A group that still lists when called alone, so `plan-gen catalogue [--format]` works as before.
@cli.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people, json for other programs.")
@click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
              help="List this catalogue folder. Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")
@click.pass_context
def catalogue(ctx: click.Context, fmt: str, catalogue_dir: str | None) -> None:
    """List every exercise in the catalogue with its equipment and dose ranges.

    plan-gen catalogue export DIR writes the shipped catalogue files as a clinic's starting point.
    """
    if ctx.invoked_subcommand is not None:
        return
    from planner.catalogue import catalogue_json
    from planner.data_source import choose

    entries = catalogue_json(choose(catalogue=catalogue_dir).load_catalogue())
    if fmt == "json":
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    click.echo(_table(entries))


@catalogue.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def catalogue_export(folder: str) -> None:
    """Write the shipped catalogue files into FOLDER, for a clinic to edit; never over an existing file."""
    _export("catalogue", folder)


@cli.group()
def rules() -> None:
    """A clinic's own rules: export the shipped ones to edit, then check them."""


@rules.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def rules_export(folder: str) -> None:
    """Write the shipped rule files into FOLDER, for a clinic to edit; never over an existing file."""
    _export("rules", folder)


@rules.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
              help="The catalogue the rules name. Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")
def rules_check(folder: str | None, catalogue_dir: str | None) -> None:
    """Check a rules folder (default: $PLAN_GEN_RULES, else the shipped rules) as a careful reviewer would.

    Lists what the loader refuses (shape, unknown exercises or cautions, values out of range), then
    errors: a rule no answers can fire, an include and an exclude of one exercise under the same
    conditions, a warning sign with no referral rule; and warnings: an exercise no rule can choose.
    Exits 1 when there is any error, 0 when there are only warnings or none.
    """
    from planner.data_source import choose
    from planner.errors import DataError
    from planner.rules_check import review

    data = choose(folder, catalogue_dir, reviewing=True, rules_given_as="")  # report an unreferred sign
    try:
        rulebook, catalogue = data.pair()
    except DataError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}")
        click.echo(f"{count(len(exc.problems), 'error')}: the rules do not load; fix these first.")
        sys.exit(1)
    findings = review(rulebook, catalogue, data.catalogue or "catalogue", data.rules or "rules",
                      data.checkin_folder())
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.level == "error" for f in findings)
    click.echo(f"{rulebook.name} rules {rulebook.version} ({len(rulebook.rules)} rules): "
               f"{count(errors, 'error')}, {count(len(findings) - errors, 'warning')}.")
    if errors:
        sys.exit(1)


@rules.command("test")
@click.argument("cases", nargs=-1, type=click.Path())
@data_options
def rules_test(cases: tuple[str, ...], rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Run case files (docs/cases.md) against a rules folder and say, in plain words, what did not hold.

    CASES are case files or folders of them; none: the cases that came with the rules in use (the rules
    folder's cases/, else the shipped ones). Exits 1 when any case fails, 0 when all hold.
    """
    from planner.answers import todays_date
    from planner.cases import case_files, cases_folder, run_case
    from planner.data_source import choose

    data = choose(rules_dir, catalogue_dir, reviewing=True)  # a case names an unreferred warning sign
    data.pair()  # a broken rules or catalogue folder stops before any case
    failed = 0
    paths = case_files(list(cases) or [str(cases_folder(data.rules))])
    for path in paths:
        try:
            failures = run_case(path, data, todays_date()).failures
        except PlanGenError as exc:  # a broken case file fails alone; the others still run
            failures = (f"the case file is broken: {exc}",)
        failed += bool(failures)
        click.echo(f"{path}: {'FAILED' if failures else 'ok'}")
        for failure in failures:
            click.echo(f"  {failure}")
    click.echo(f"{count(len(paths), 'case')}: {len(paths) - failed} held, {failed} failed.")
    if failed:
        sys.exit(1)


def _export(kind: str, folder: str) -> None:
    from planner.data_source import export as export_data

    written = export_data(kind, Path(folder))
    click.echo(f"{count(len(written), 'file')} written to {folder}/. Use them with --{kind} {folder}, "
               f"or set PLAN_GEN_{kind.upper()}={folder} for every command.")


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
              help="Write a JSON report of every input's outcome to this file (a new one: an existing file is "
              "refused before any work, unless --overwrite).")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="JSON file: the clinic's name, phone and notes for the cover (see plan-gen schema clinic).")
@click.option("--clinician-copy", is_flag=True,
              help="Add one page for the clinic's file: the answers, the rules that fired, what was left out.")
@click.option("--overwrite", is_flag=True,
              help="Replace output files (and the --report) that already exist. Without it none is ever replaced.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar. Problems with inputs and the one summary line are still printed.")
@data_options
@timeout_option()
def batch(inputs: tuple[str, ...], out_dir: str, fmt: str, page_size: str, large_print: bool, session_time,
          jobs: int | None, report: str | None, quiet: bool, clinic_file: str | None = None,
          clinician_copy: bool = False, rules_dir: str | None = None, catalogue_dir: str | None = None,
          timeout: float | None = None, overwrite: bool = False) -> None:
    """Make a plan for every answers file or record.

    INPUTS may be answers files (*.json: an answers object or a FHIR
    QuestionnaireResponse), folders (every *.json inside, sorted), JSON
    Lines files (*.jsonl, one answers object a line), CSV files (*.csv, one
    person a row under a header of field paths: plan-gen schema --format
    csv) and - for JSON Lines on standard input. Writes OUT_DIR/<name>.pdf
    (or .json) for each: a plan, or a referral when an answer is a warning
    sign. An answers file is named after the file; a JSON Lines record or
    CSV row after its "id", else <file name>-<line or row number>.

    Every invalid input is reported and skipped; the others are still
    written, each atomically, and never over an input. No file is ever
    replaced unless --overwrite is given: an output already there with the
    very bytes this run would write is left as it is (counted unchanged, so
    a rerun is painless); one that differs is named and left, and its
    record is not written (the rest are). Exits 0 when all inputs were made
    (or left unchanged), 1 when any was invalid, could not be written or met
    a different file, 3 when
    plan-gen failed on one (the rest are still made). An input still
    running after --timeout seconds is stopped and counts as such a failure.
    The default start date (next Monday) counts from today, or from
    SOURCE_DATE_EPOCH.
    """
    from planner.batch import PdfOptions
    from planner.data_source import choose
    from planner.inputs import STDIN

    started = time.perf_counter()
    clinic = None
    if clinic_file:  # a bad clinic file stops before any work; only then is reportlab (its logo check) loaded
        from planner.clinic import load_clinic

        clinic = load_clinic(clinic_file)
    data = choose(rules_dir, catalogue_dir)
    stdin_path = read_stdin("answers") if STDIN in inputs else None
    try:
        options = PdfOptions(page_size, large_print, clinic, session_time, clinician_copy)
        _batch(list(inputs), Path(out_dir), fmt, options, jobs or os.cpu_count() or 1, report, quiet, stdin_path,
               started, data, timeout, overwrite)
    finally:
        if stdin_path:
            os.unlink(stdin_path)


def _batch(inputs, out_dir, fmt, options, jobs, report, quiet, stdin_path, started, data=None, timeout=None,
           overwrite=False) -> None:
    from planner import exchange
    from planner.answers import todays_date
    from planner.batch import check_data, run_batch
    from planner.inputs import STDIN
    from planner.jsonio import check_writable
    from planner.targets import plan_outputs

    formats = ("pdf", "json", "ics") if fmt == "both" else (fmt,)
    today = todays_date()
    check_data(data)  # a broken rule or catalogue file stops here, the same whatever --jobs is
    if all(raw != STDIN and Path(raw).is_dir() and not any(Path(raw).glob("*.json")) for raw in inputs):
        raise PlanGenError("no answers files found: " + ", ".join(inputs) + " holds no .json files")
    total = plan_outputs(inputs, out_dir, tuple(exchange.suffix(f) for f in formats), stdin_path, report)
    refuse_old_report(report, overwrite)
    check_writable(out_dir)
    outcomes = run_batch(inputs, out_dir, formats, today, options, min(jobs, total), stdin_path, data=data,
                         timeout=timeout, overwrite=overwrite)
    show_outcomes(outcomes, total=total, started=started, report=report, quiet=quiet, label="Making plans",
                  overwrite=overwrite)


def _session_time(value: str | None):
    """--session-time: a time of day, or a usage error (exit 2) saying what is allowed."""
    from planner import exchange

    try:
        return exchange.parse_session_time(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="figures", show_default=True,
              help="Folder for the figures; created if missing.")
@click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
              help="Draw this catalogue folder's exercises. Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")
@click.option("--overwrite", is_flag=True, help="Replace files that already exist in OUT (never done otherwise).")
def figures(out_dir: str, catalogue_dir: str | None = None, overwrite: bool = False) -> None:
    """Draw every exercise's figure for review.

    Writes OUT/<exercise id>.svg for each exercise in the catalogue, and
    OUT/figures.pdf with all of them under their names. A file already
    there is never replaced unless --overwrite is given: one with the very
    bytes this run would write is left as it is (unchanged); one that
    differs is named and left, the others are still written, and the exit
    code is 1.
    """
    from planner.data_source import choose
    from planner.figure_files import write_figures

    if Path(out_dir).suffix.lower() in (".json", ".pdf", ".svg", ".png") and not Path(out_dir).is_dir():
        raise PlanGenError(f"--out {out_dir} looks like a file name, but figures writes a folder of files; "
                           "name a folder, for example --out figures")
    done = write_figures(choose(catalogue=catalogue_dir).load_catalogue(), Path(out_dir), overwrite)
    for refused in done.refused:
        click.echo(str(refused), err=True)
    total = len(done.written) + len(done.unchanged) + len(done.refused)
    if not done.unchanged and not done.refused:
        click.echo(f"{total - 1} figures and a sheet of them written to {out_dir}/ (figures.pdf).")
        return
    click.echo(f"{total - 1} figures and a sheet of them (figures.pdf) in {out_dir}/: {len(done.written)} written, "
               f"{len(done.unchanged)} unchanged (the same bytes were there), {len(done.refused)} not replaced "
               f"(a different file is there; see above).")
    if done.refused:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path())
@data_options
def explain(file: str, rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Show which rules fired for one answers file and why each exercise is in the plan."""
    from planner.answers import load_answers, todays_date
    from planner.data_source import choose
    from planner.explain import explain as explain_plan

    data = choose(rules_dir, catalogue_dir)
    click.echo(explain_plan(load_answers(file), todays_date(), data), nl=False)


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


def _checkin_schema() -> dict:
    from planner.checkin import checkin_schema

    return checkin_schema()


def main() -> None:
    hold_during_start()  # no cycle collection while the command loads (planner/collector.py)
    cli(prog_name="plan-gen")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out-dir", "-o", type=click.Path(file_okay=False),
              help="Write the upgraded files here, under their own names. Default: NAME.v2.json beside each file.")
@click.option("--overwrite", is_flag=True, help="Allow replacing a file that already exists (never done otherwise).")
def upgrade(files: tuple[str, ...], out_dir: str | None, overwrite: bool) -> None:
    """Write version 2 copies of version 1 answers files.

    The warning signs and questions version 1 never asked are listed in the
    new file's not_asked, never silently answered no; the plan names them,
    and plan-gen interview --answers asks them. Each file is written
    atomically. Exits 0 when every file was upgraded or already version 2,
    1 otherwise.
    """
    from planner.upgrade import upgrade_file

    failed = 0
    for name in files:
        try:
            result = upgrade_file(Path(name), Path(out_dir) if out_dir else None, overwrite)
        except PlanGenError as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        click.echo(f"{result.source}: {result.message}")
    if failed:
        sys.exit(1)


# Commands kept in their own modules, so no module grows past a few hundred lines.
cli.add_command(interview)
cli.add_command(checkin)
