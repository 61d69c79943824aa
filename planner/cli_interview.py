"""`plan-gen interview`: the questions in a terminal, then the plan (registered on the group in cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli_common import ask_line, data_options, say
from planner.errors import PlanGenError


@click.command()
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
@data_options
def interview(out: str | None, save_answers: str | None, start: str | None, page_size: str,
              large_print: bool, force: bool, clinic_file: str | None = None, clinician_copy: bool = False,
              rules_dir: str | None = None, catalogue_dir: str | None = None) -> None:
    """Answer the questions in the terminal and get a printed plan.

    Warning-sign questions come first; an answer that needs emergency care
    stops the interview at once. Every answer is checked as you type it, and
    you can correct any answer before the plan is made. With --save-answers
    the answers are saved before the plan is made (nothing is saved without
    it). Works with answers piped on standard input too
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
    session = Interview(ask_line, say, today, max_tries=None if sys.stdin.isatty() else 3, data=data)
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
