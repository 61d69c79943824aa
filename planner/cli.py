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

from planner import __version__
from planner.errors import OutputError, PlanGenError

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

    FILES may be answers files, folders (every *.json inside), JSON Lines
    files (*.jsonl) and - for JSON Lines on standard input. Every problem in
    every file is listed, each with the file (and line), the field and what
    is allowed. Exits 0 when all are valid, 1 otherwise.
    """
    from planner.inputs import STDIN, check_files, spool_stdin

    stdin_path = spool_stdin(sys.stdin.buffer) if STDIN in files else None
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
    click.echo(f"{_count(checked, 'file')} checked: {checked - bad} valid, {bad} invalid.")
    if bad:
        sys.exit(1)


@cli.command()
@click.argument("kind", type=click.Choice(["answers", "catalogue", "rules", "plan", "clinic", "checkin"]),
                default="answers")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "fhir-questionnaire"]), default="json",
              show_default=True, help="json: the JSON Schema. For answers only: csv (the header row and an "
              "example row of a spreadsheet) or fhir-questionnaire (a FHIR R4 Questionnaire).")
def schema(kind: str, fmt: str) -> None:
    """Print a JSON Schema: answers (default), catalogue, rules, plan or clinic (for --clinic)."""
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


def _data_options(command):
    """--rules DIR and --catalogue DIR: a clinic's own data in place of the shipped data."""
    command = click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
                           help="A catalogue folder (from plan-gen catalogue export) in place of the shipped one. "
                           "Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")(command)
    return click.option("--rules", "rules_dir", type=click.Path(file_okay=False),
                        help="A rules folder (from plan-gen rules export) in place of the shipped rules. "
                        "Default: $PLAN_GEN_RULES, else the shipped rules.")(command)


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

    data = choose(folder, catalogue_dir)
    try:
        rulebook, catalogue = data.pair()
    except DataError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}")
        click.echo(f"{_count(len(exc.problems), 'error')}: the rules do not load; fix these first.")
        sys.exit(1)
    findings = review(rulebook, catalogue, data.catalogue or "catalogue", data.rules or "rules")
    for finding in findings:
        click.echo(str(finding))
    errors = sum(f.level == "error" for f in findings)
    click.echo(f"{rulebook.name} rules {rulebook.version} ({len(rulebook.rules)} rules): "
               f"{_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')}.")
    if errors:
        sys.exit(1)


@rules.command("test")
@click.argument("cases", nargs=-1, type=click.Path())
@_data_options
def rules_test(cases: tuple[str, ...], rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Run case files (docs/cases.md) against a rules folder and say, in plain words, what did not hold.

    CASES are case files or folders of them; none: the cases that came with the rules in use (the rules
    folder's cases/, else the shipped ones). Exits 1 when any case fails, 0 when all hold.
    """
    from planner.answers import todays_date
    from planner.cases import case_files, cases_folder, run_case
    from planner.data_source import choose

    data = choose(rules_dir, catalogue_dir)
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
    click.echo(f"{_count(len(paths), 'case')}: {len(paths) - failed} held, {failed} failed.")
    if failed:
        sys.exit(1)


def _export(kind: str, folder: str) -> None:
    from planner.data_source import export as export_data

    written = export_data(kind, Path(folder))
    click.echo(f"{_count(len(written), 'file')} written to {folder}/. Use them with --{kind} {folder}, "
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
              help="Write a JSON report of every input's outcome to this file.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="JSON file: the clinic's name, phone and notes for the cover (see plan-gen schema clinic).")
@click.option("--clinician-copy", is_flag=True,
              help="Add one page for the clinic's file: the answers, the rules that fired, what was left out.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar. Problems with inputs and the one summary line are still printed.")
@_data_options
def batch(inputs: tuple[str, ...], out_dir: str, fmt: str, page_size: str, large_print: bool, session_time,
          jobs: int | None, report: str | None, quiet: bool, clinic_file: str | None = None,
          clinician_copy: bool = False, rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Make a plan for every answers file or record.

    INPUTS may be answers files, folders (every *.json inside, sorted),
    JSON Lines files (*.jsonl, one answers object a line) and - for JSON
    Lines on standard input. Writes OUT_DIR/<name>.pdf (or .json) for each:
    a plan, or a referral when an answer is a warning sign. An answers file
    is named after the file; a JSON Lines record after its "id", else
    <file name>-<line number>.

    Every invalid input is reported and skipped; the others are still
    written, each atomically, and never over an input. Exits 0 when all
    inputs were made, 1 when any was invalid or could not be written, 3 when
    plan-gen failed on one (the rest are still made). The default start
    date (next Monday) counts from today, or from SOURCE_DATE_EPOCH.
    """
    from planner.batch import PdfOptions
    from planner.data_source import choose
    from planner.inputs import STDIN, spool_stdin

    started = time.perf_counter()
    clinic = None
    if clinic_file:  # a bad clinic file stops before any work; only then is reportlab (its logo check) loaded
        from planner.clinic import load_clinic

        clinic = load_clinic(clinic_file)
    data = choose(rules_dir, catalogue_dir)
    stdin_path = spool_stdin(sys.stdin.buffer) if STDIN in inputs else None
    try:
        options = PdfOptions(page_size, large_print, clinic, session_time, clinician_copy)
        _batch(list(inputs), Path(out_dir), fmt, options, jobs or os.cpu_count() or 1, report, quiet, stdin_path,
               started, data)
    finally:
        if stdin_path:
            os.unlink(stdin_path)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _batch(inputs, out_dir, fmt, options, jobs, report, quiet, stdin_path, started, data=None) -> None:
    from planner import exchange
    from planner.answers import todays_date
    from planner.batch import Tally, check_data, run_batch
    from planner.inputs import STDIN
    from planner.jsonio import RUN_TAG, ReportStream, check_writable
    from planner.targets import plan_outputs

    formats = ("pdf", "json", "ics") if fmt == "both" else (fmt,)
    today = todays_date()
    check_data(data)  # a broken rule or catalogue file stops here, the same whatever --jobs is
    if all(raw != STDIN and Path(raw).is_dir() and not any(Path(raw).glob("*.json")) for raw in inputs):
        raise PlanGenError("no answers files found: " + ", ".join(inputs) + " holds no .json files")
    total = plan_outputs(inputs, out_dir, tuple(exchange.suffix(f) for f in formats), stdin_path, report)
    check_writable(out_dir)
    tally = Tally()
    # Its own tag: the report may sit in the output folder, whose cleanup removes the run's outputs in flight.
    stream = ReportStream(report, tag=f"{RUN_TAG}-report") if report else None
    outcomes = run_batch(inputs, out_dir, formats, today, options, min(jobs, total), stdin_path, data=data)
    show_bar = not quiet and sys.stderr.isatty()
    done = 0
    try:
        with click.progressbar(length=total, label="Making plans", file=sys.stderr, hidden=not show_bar) as bar:
            for outcome in outcomes:
                done += outcome.status != "stopped"
                tally.add(outcome)
                if stream and outcome.status != "stopped":  # "stopped" is not an input: the summary says it
                    stream.add(outcome.report())
                for warning in outcome.warnings:
                    click.echo(f"Warning: {warning}", err=True)
                for problem in outcome.problems:
                    click.echo(str(problem), err=True)
                bar.update(1)
    except BaseException:
        if stream:
            stream.abandon()
        raise
    seconds = time.perf_counter() - started
    parts = [f"{_count(tally.plans, 'plan')} written", _count(tally.referrals, "referral"),
             _count(tally.invalid, "invalid input")]
    if tally.failed:
        parts.append(f"{_count(tally.failed, 'record')} not written")
    if tally.errors:
        parts.append(f"{_count(tally.errors, 'internal error')} (a bug in plan-gen)")
    click.echo(", ".join(parts) + f", in {seconds:.1f} s.")
    if tally.stopped:
        click.echo(f"Stopped early ({tally.stopped}): {_count(total - done, 'record')} not tried.", err=True)
    if stream:
        try:
            stream.finish({**tally.summary(), "seconds": round(seconds, 3), "not_tried": total - done})
        except OutputError as exc:
            raise OutputError(f"the report was not written: {exc}") from None
    if tally.exit_code():
        sys.exit(tally.exit_code())


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
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="JSON file: the clinic's name, phone and notes for the cover (see plan-gen schema clinic).")
@click.option("--clinician-copy", is_flag=True,
              help="Add one page for the clinic's file: the answers, the rules that fired, what was left out.")
@click.option("--force", is_flag=True, help="Replace an existing --out or --save-answers file.")
@_data_options
def interview(out: str | None, save_answers: str | None, start: str | None, page_size: str,
              large_print: bool, force: bool, clinic_file: str | None = None, clinician_copy: bool = False,
              rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Answer the questions in the terminal and get a printed plan.

    Warning-sign questions come first; an answer that needs emergency care
    stops the interview at once. Every answer is checked as you type it, and
    you can correct any answer before the plan is made. The answers are saved
    before the plan is made. Works with answers piped on standard input too
    (three wrong answers in a row to one question then end it, exit 1).
    Ctrl-C leaves without writing anything. Existing files are never
    replaced unless you give --force.
    """
    from planner.answers import todays_date
    from planner.batch import PdfOptions, write_pdf
    from planner.clinic import load_clinic
    from planner.data_source import choose
    from planner.interview import Interview, free_name, load_partial
    from planner.jsonio import canonical_json, write_atomic

    clinic = load_clinic(clinic_file) if clinic_file else None  # checked before any question is asked
    data = choose(rules_dir, catalogue_dir)
    data.load_rulebook()  # a broken rules or catalogue folder stops before the first question
    _check_interview_files(out, save_answers, start, force)
    initial = load_partial(start) if start else None
    today = todays_date()
    session = Interview(_ask_line, click.echo, today, max_tries=None if sys.stdin.isatty() else 3, data=data)
    result = session.run(initial)
    options = PdfOptions(page_size=page_size, large_print=large_print, clinic=clinic, clinician_copy=clinician_copy)
    if result.stopped_early:
        if out:
            write_pdf(result.plan, Path(out), options, catalogue=data.load_catalogue())
            click.echo(f"The page for the emergency staff is in {out}.")
        if save_answers:
            click.echo("Your answers were not saved: the interview stopped before all questions were asked.")
        return
    if save_answers:  # first: if making the plan fails, the answers are not lost
        write_atomic(save_answers, canonical_json(result.answers).encode("utf-8"))
        click.echo(f"Your answers are saved in {save_answers}.")
    plan = session.plan_for(result.answers)
    target = Path(out) if out else free_name(Path.cwd())
    warnings = write_pdf(plan, target, options, result.answers, catalogue=data.load_catalogue())
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if plan.status == "plan":
        click.echo(f"Your {plan.weeks_count}-week plan is in {target}. Print it and read "
                   "'Before you start' first.")
    else:
        click.echo("plan-gen did not make an exercise plan, because:")
        for _, because in plan.referral_reasons:
            click.echo(f"  {because}")
        click.echo(f"Take the page in {target} to a doctor or physiotherapist.")


def _check_interview_files(out: str | None, save_answers: str | None, start: str | None, force: bool) -> None:
    """Refuse, before the first question, any output that would replace a file or land on another one."""
    from planner.jsonio import check_writable
    from planner.targets import same_file_key

    problems = []
    keys = {name: same_file_key(path) for name, path in
            (("--out", out), ("--save-answers", save_answers), ("--answers", start)) if path}
    if save_answers and keys["--save-answers"] in (keys.get("--out"), keys.get("--answers")):
        problems.append(f"--save-answers {save_answers} is also the PDF or the answers file read; choose another name")
    for name, path in (("--out", out), ("--save-answers", save_answers)):
        if path and Path(path).exists() and not force:
            problems.append(f"{name} {path} exists; choose another name, or add --force to replace it")
    if problems:
        raise PlanGenError("\n".join(problems))
    for path in (out, save_answers):
        if path:
            check_writable(Path(path).parent)


def _session_time(value: str | None):
    """--session-time: a time of day, or a usage error (exit 2) saying what is allowed."""
    from planner import exchange

    try:
        return exchange.parse_session_time(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _ask_line(prompt: str) -> str:
    """Read one answer from standard input (a terminal or a pipe); InputEnded when it ends.

    Bytes that are not UTF-8 come back as lone surrogates, which the question refuses and asks again.
    """
    from planner.interview import InputEnded

    click.echo(prompt, nl=False)
    line = sys.stdin.buffer.readline()
    if not line:
        click.echo("")
        raise InputEnded("Input ended before the interview was finished; nothing was saved.")
    return line.decode("utf-8", errors="surrogateescape").rstrip("\r\n")


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="figures", show_default=True,
              help="Folder for the figures; created if missing.")
@click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
              help="Draw this catalogue folder's exercises. Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")
def figures(out_dir: str, catalogue_dir: str | None = None) -> None:
    """Draw every exercise's figure for review.

    Writes OUT/<exercise id>.svg for each exercise in the catalogue, and
    OUT/figures.pdf with all of them under their names.
    """
    from planner.data_source import choose
    from planner.figure_files import write_figures

    if Path(out_dir).suffix.lower() in (".json", ".pdf", ".svg", ".png") and not Path(out_dir).is_dir():
        raise PlanGenError(f"--out {out_dir} looks like a file name, but figures writes a folder of files; "
                           "name a folder, for example --out figures")
    written = write_figures(choose(catalogue=catalogue_dir).load_catalogue(), Path(out_dir))
    click.echo(f"{len(written) - 1} figures and a sheet of them written to {out_dir}/ ({Path(written[-1]).name}).")


@cli.command()
@click.argument("file", type=click.Path())
@_data_options
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


@cli.command()
@click.argument("plan_file", type=click.Path(dir_okay=False))
@click.argument("checkin_file", type=click.Path(dir_okay=False), required=False)
@click.option("--weeks", type=click.IntRange(1, 8), default=2, show_default=True, help="How many weeks the next "
              "block holds.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "both"]), default="both", show_default=True,
              help="pdf to print, json for the next check-in, or both.")
@click.option("--out-dir", type=click.Path(file_okay=False), help="Write here. Default: beside the plan file.")
@click.option("--interview", is_flag=True, help="Ask the check-in questions here instead of reading CHECKIN_FILE; "
              "the answers are saved as PLAN-blockN.checkin.json.")
def checkin(plan_file: str, checkin_file: str | None, weeks: int, fmt: str, out_dir: str | None,
            interview: bool) -> None:
    """Write the next block of a plan after a check-in.

    PLAN_FILE is a plan JSON (plan-gen batch --format json, or an earlier
    check-in's); CHECKIN_FILE answers the check-in questions (plan-gen
    schema checkin), or --interview asks them. Week numbers and doses go on
    from where the person is. Writes PLAN-blockN.pdf and .json; never
    replaces a file. Ctrl-C during --interview writes nothing.
    """
    from planner.answers import todays_date
    from planner.checkin_files import read_plan, run_checkin, write_urgent

    if (checkin_file is None) != interview:
        raise click.UsageError("give either CHECKIN_FILE or --interview (one of them)")
    out = Path(out_dir) if out_dir else None
    data = None
    if interview:
        from planner.checkin_interview import CheckinInterview

        plan = read_plan(Path(plan_file))
        outcome = CheckinInterview(_ask_line, click.echo, plan, todays_date(),
                                   max_tries=None if sys.stdin.isatty() else 3).run()
        if outcome.data is None:
            path = write_urgent(Path(plan_file), plan, outcome.urgent, out)
            click.echo(f"wrote {path}: take it with you")
            return
        data = outcome.data
    new, paths, warnings = run_checkin(Path(plan_file), Path(checkin_file) if checkin_file else None, weeks, fmt,
                                       out, todays_date(), data)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    what = "a plan" if new.status == "plan" else f"a referral ({new.triage.time_frame or 'soon'})"
    click.echo(f"check-in {new.followup['block']}: {what}; wrote " + ", ".join(str(p) for p in paths))

