"""`plan-gen checkin`: the next block of a plan after a check-in, one or many (registered in cli.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from planner.cli_common import ask_line, data_options, read_stdin, refuse_old_report, say, show_outcomes, timeout_option


@click.command()
@click.argument("plan_file", type=click.Path())
@click.argument("checkin_file", type=click.Path(allow_dash=True), required=False)
@click.option("--weeks", type=click.IntRange(1, 8), default=2, show_default=True, help="How many weeks the next "
              "block holds.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "both"]), default="both", show_default=True,
              help="pdf to print, json for the next check-in, or both.")
@click.option("--out-dir", "-o", type=click.Path(file_okay=False), help="Write here. Default: beside the plan file.")
@click.option("--interview", is_flag=True, help="Ask the check-in questions here instead of reading CHECKIN_FILE; "
              "the answers are saved as PLAN-blockN.checkin.json.")
# plan-gen checkin --batch (planner/checkin_batch.py)
@click.option("--batch", "many", is_flag=True, help="Many check-ins at once: PLAN_FILE is a folder of plans, "
              "CHECKIN_FILE JSON Lines (or - for standard input) of check-ins, each naming its plan by plan_id.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="--batch: worker processes. Default: the number of CPUs. 1 runs in this process.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="--batch: write a JSON report of every check-in's outcome to this file (never over a file).")
@click.option("--quiet", "-q", is_flag=True, help="--batch: no progress bar.")
@timeout_option("--batch: ", "check-in")
@click.option("--clinician-copy", is_flag=True, help="Add pages for the clinic's file: the progress in figures "
              "(ratings and sessions at the start and each check-in), then the answers and rules.")
@click.option("--page-size", type=click.Choice(["a4", "letter"]), default=None,
              help="Paper size of the PDF. Default: as the plan was printed (recorded in its JSON), else a4.")
@click.option("--large-print/--standard-print", default=None,
              help="Bigger type (14 pt body text) or standard type. Default: as the plan was printed (recorded in "
                   "its JSON), else standard.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="JSON file: the clinic's name, phone and notes (see plan-gen schema clinic).")
@data_options
def checkin(plan_file: str, checkin_file: str | None, weeks: int, fmt: str, out_dir: str | None,
            interview: bool, many: bool = False, jobs: int | None = None, report: str | None = None,
            quiet: bool = False, clinician_copy: bool = False, page_size: str | None = None,
            large_print: bool | None = None, clinic_file: str | None = None, timeout: float | None = None,
            rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Write the next block of a plan after a check-in.

    PLAN_FILE is a plan JSON (plan-gen batch --format json, or an earlier
    check-in's); CHECKIN_FILE answers the check-in questions (plan-gen
    schema checkin), or --interview asks them. Week numbers and doses go on
    from where the person is. Writes PLAN-blockN.pdf and .json; never
    replaces a file. Ctrl-C during --interview writes nothing.

    With --batch, PLAN_FILE is a folder of plans and CHECKIN_FILE JSON Lines
    (or - for standard input) of check-ins, each naming its plan by plan_id
    (the plan file's name without .json). Each bad check-in is reported and
    the others are made; exits as plan-gen batch does (0, 1, 3).

    --rules and --catalogue name the folders the plan was made with (a plan
    made with other ones is refused); check-in rules come from the rules
    folder's checkin/ files, else the shipped ones.
    """
    from planner.answers import todays_date
    from planner.checkin_files import CheckinOptions, read_plan, run_checkin, write_urgent
    from planner.data_source import choose

    clinic = None
    if clinic_file:  # a bad clinic file stops before anything is read or asked
        from planner.clinic import load_clinic

        clinic = load_clinic(clinic_file)
    data = choose(rules_dir, catalogue_dir)
    options = CheckinOptions(page_size, large_print, clinic, clinician_copy=clinician_copy, data=data)

    if many:
        if interview or checkin_file is None:
            raise click.UsageError("--batch needs a folder of plans and a JSON Lines file of check-ins "
                                   "(plan-gen checkin --batch PLANS CHECKINS.jsonl); it cannot ask questions "
                                   "(--interview)")
        _checkin_batch(Path(plan_file), checkin_file, weeks, fmt, Path(out_dir or plan_file), jobs or os.cpu_count()
                       or 1, report, quiet, options, timeout)
        return
    ctx = click.get_current_context()
    given = [f"--{name}" for name in ("jobs", "report", "quiet", "timeout")
             if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE]
    if given:  # a --report asked for and silently not written would mislead
        raise click.UsageError(f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} for --batch "
                               "(many check-ins at once); one check-in writes no report and has no time limit")
    if Path(plan_file).is_dir() or checkin_file == "-":
        raise click.UsageError(f"{plan_file} is a folder or the check-ins come from standard input: give --batch "
                               "to check in many plans at once")
    if (checkin_file is None) != interview:
        raise click.UsageError("give either CHECKIN_FILE or --interview (one of them)")
    out = Path(out_dir) if out_dir else None
    answers = None
    if interview:
        from planner.checkin_interview import CheckinInterview

        plan = read_plan(Path(plan_file), data)  # a plan from other rules is refused before the first question
        data.load_checkin_rules()  # as are broken check-in rules
        outcome = CheckinInterview(ask_line, say, plan, todays_date(),
                                   max_tries=None if sys.stdin.isatty() else 3, data=data).run()
        if outcome.data is None:
            path = write_urgent(Path(plan_file), plan, outcome.urgent, out, options)
            click.echo(f"wrote {path}: take it with you")
            return
        answers = outcome.data
    new, paths, warnings = run_checkin(Path(plan_file), Path(checkin_file) if checkin_file else None, weeks, fmt,
                                       out, todays_date(), answers, options)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    what = "a plan" if new.status == "plan" else f"a referral ({new.triage.time_frame or 'soon'})"
    click.echo(f"check-in {new.followup['block']}: {what}; wrote " + ", ".join(str(p) for p in paths))


def _checkin_batch(plans: Path, checkins: str, weeks: int, fmt: str, out_dir: Path, jobs: int, report: str | None,
                   quiet: bool, options=None, timeout: float | None = None) -> None:
    """plan-gen checkin --batch: every check-in's next block; the same guarantees and exit codes as batch."""
    from planner.answers import todays_date
    from planner.checkin_batch import plan_checkins, run_checkins
    from planner.checkin_files import CheckinOptions
    from planner.inputs import STDIN
    from planner.jsonio import check_writable

    started = time.perf_counter()
    data = (options or CheckinOptions()).data
    data.pair()  # broken or refused rules stop the run here, once, before any worker
    data.load_checkin_rules()
    stdin_path = read_stdin("check-ins") if checkins == STDIN else None
    try:
        total = plan_checkins([checkins], plans, out_dir, fmt, stdin_path, report, timeout)
        refuse_old_report(report, can_overwrite=False)  # as every output of a check-in: never over a file
        check_writable(out_dir)
        outcomes = run_checkins([checkins], plans, out_dir, fmt, weeks, todays_date(), min(jobs, max(total, 1)),
                                stdin_path, options=options, timeout=timeout)
        show_outcomes(outcomes, total=total, started=started, report=report, quiet=quiet, label="Check-ins",
                      made="next block", record="check-in", invalid="invalid check-in")
    finally:
        if stdin_path:
            os.unlink(stdin_path)
