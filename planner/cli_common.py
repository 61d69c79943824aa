"""click helpers shared by the command modules (cli.py, cli_interview.py, cli_checkin.py): options,
the batch summary line, and the terminal's questions and answers."""

from __future__ import annotations

import sys

import click


def data_options(command):
    """--rules DIR and --catalogue DIR: a clinic's own data in place of the shipped data."""
    command = click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False),
                           help="A catalogue folder (from plan-gen catalogue export) in place of the shipped one. "
                           "Default: $PLAN_GEN_CATALOGUE, else the shipped catalogue.")(command)
    return click.option("--rules", "rules_dir", type=click.Path(file_okay=False),
                        help="A rules folder (from plan-gen rules export) in place of the shipped rules. "
                        "Default: $PLAN_GEN_RULES, else the shipped rules.")(command)


MOST_SECONDS = 86400  # a day: the timers refuse far larger values (nan, inf, 1e300 were exit 3); 0 is "no limit"


class Seconds(click.ParamType):
    """--timeout's value: a number of seconds from 0 to a day, else a usage error that says what is allowed."""

    name = "seconds"

    def convert(self, value, param, ctx) -> float:
        if isinstance(value, float):
            return value
        try:
            seconds = float(value)
        except ValueError:
            seconds = None
        if seconds is None or not 0 <= seconds <= MOST_SECONDS:  # also refuses nan, which compares false
            self.fail(f"{value!r} is not a number of seconds from 0 (no limit) to {MOST_SECONDS} (a day), "
                      "for example 120", param, ctx)
        return seconds


def timeout_option(prefix: str = "", what: str = "input"):
    """--timeout SECONDS: the longest one input of a batch may take (plan-gen batch, checkin --batch)."""
    from planner.watchdog import DEFAULT

    lead = f"{prefix}the" if prefix else "The"
    return click.option("--timeout", type=Seconds(), default=DEFAULT, show_default=True, metavar="SECONDS",
                        help=f"{lead} most seconds one {what} may take (0: no limit; {MOST_SECONDS}, a day, at "
                        "most). One still running then is stopped and reported (exit 3) and none of its files are "
                        "written; the rest are still made.")


def read_stdin(what: str) -> str:
    """Standard input spooled to a file (`planner.inputs.spool_stdin`). From a terminal, first say what it
    waits for and how to end it: `plan-gen batch -` typed with nothing piped in would otherwise sit silent."""
    from planner.inputs import spool_stdin

    if not sys.stdin.isatty():
        return spool_stdin(sys.stdin.buffer)
    click.echo(f"Reading {what} from the terminal, one a line (JSON Lines). End with Ctrl-D on a line of its "
               "own (Ctrl-Z, then Enter, on Windows); Ctrl-C stops. To read a file, give its name instead of -.",
               err=True)
    return spool_stdin(_EndsOnce(sys.stdin.buffer))


class _EndsOnce:
    """A terminal's Ctrl-D ends one read, not the input: a copy that reads on would wait for a second one."""

    def __init__(self, stream) -> None:
        self.stream, self.ended = stream, False

    def read(self, _size: int = -1) -> bytes:
        line = b"" if self.ended else self.stream.readline()
        self.ended = not line
        return line


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def summary_line(tally, seconds: float, made: str = "plan", record: str = "record", invalid: str = "invalid input"
                  ) -> str:
    """The one line a batch ends with (plan-gen batch, plan-gen checkin --batch)."""
    parts = [f"{count(tally.plans, made)} written", count(tally.referrals, "referral"),
             count(tally.invalid, invalid)]
    if tally.unchanged:
        parts.append(f"{count(tally.unchanged, record)} unchanged (the same bytes were there)")
    if tally.refused:
        parts.append(f"{count(tally.refused, record)} not written (a different file is there; see above)")
    if tally.failed:
        parts.append(f"{count(tally.failed, record)} not written")
    if tally.errors:
        parts.append(f"{count(tally.errors, 'internal error')} (a bug in plan-gen)")
    if tally.timed_out:
        parts.append(f"{count(tally.timed_out, record)} stopped (took longer than --timeout)")
    return ", ".join(parts) + f", in {seconds:.1f} s."


def fit(text: str) -> str:
    """Text wrapped at spaces to the terminal's width, each line keeping its indent; unchanged in a pipe.

    A terminal otherwise breaks long questions mid-word ("diagn" / "ose")."""
    if not sys.stdout.isatty():
        return text
    import shutil
    import textwrap

    width = max(40, shutil.get_terminal_size().columns - 1)
    lines = []
    for line in text.split("\n"):
        indent = " " * (len(line) - len(line.lstrip(" ")))
        tail = line[len(line.rstrip(" ")):]  # a prompt's closing "> " keeps its space
        lines.append(textwrap.fill(line, width, subsequent_indent=indent) + tail if len(line) > width else line)
    return "\n".join(lines)


def say(text: str) -> None:
    click.echo(fit(text))


def ask_line(prompt: str) -> str:
    """Read one answer from standard input (a terminal or a pipe); InputEnded when it ends.

    Bytes that are not UTF-8 come back as lone surrogates, which the question refuses and asks again.
    """
    from planner.interview import InputEnded

    click.echo(fit(prompt), nl=False)
    line = sys.stdin.buffer.readline()
    if not line:
        click.echo("")
        raise InputEnded("Input ended before the interview was finished; nothing was saved.")
    return line.decode("utf-8", errors="surrogateescape").rstrip("\r\n")


def refuse_old_report(report: str | None, overwrite: bool = False, can_overwrite: bool = True) -> None:
    """Before any work: a --report that names a file already there is refused, unless `overwrite`. Not even one
    with the same bytes is kept: a report holds the run's timings, so no two runs write the same report."""
    import os

    from planner.errors import OutputError

    if report and not overwrite and os.path.lexists(report):
        advice = ("remove it, choose another file for the report, or give --overwrite" if can_overwrite
                  else "remove it, or choose another file for the report")
        raise OutputError(f"--report {report} exists already; plan-gen never replaces a file: {advice}")


def show_outcomes(outcomes, *, total: int, started: float, report: str | None, quiet: bool, label: str,
                  made: str = "plan", record: str = "record", invalid: str = "invalid input",
                  overwrite: bool = False) -> None:
    """The end of every batch (plan-gen batch, plan-gen checkin --batch): a progress bar over the outcomes,
    each problem and warning on standard error, the report written as records finish (put in place never over
    a file unless `overwrite`), the summary line, and the exit code (0, 1 or 3: a bug, or an input that ran
    past --timeout)."""
    import time

    from planner.batch import Tally
    from planner.errors import OutputError
    from planner.jsonio import RUN_TAG, ReportStream

    tally, done = Tally(), 0
    hidden = quiet or not sys.stderr.isatty()
    clear = "" if hidden else "\r\x1b[K"  # a message starts its own line, not at the end of the bar's
    # Its own tag: the report may sit in the output folder, whose cleanup removes the run's outputs in flight.
    stream = ReportStream(report, tag=f"{RUN_TAG}-report", overwrite=overwrite) if report else None
    try:
        with click.progressbar(length=total, label=label, file=sys.stderr,
                               hidden=hidden) as bar:
            for outcome in outcomes:
                done += outcome.status != "stopped"
                tally.add(outcome)
                if stream and outcome.status != "stopped":  # "stopped" is not an input: the summary says it
                    stream.add(outcome.report())
                for line in [*(f"Warning: {w}" for w in outcome.warnings), *map(str, outcome.problems)]:
                    click.echo(clear + line, err=True)
                bar.update(1)
    except BaseException:
        if stream:
            stream.abandon()
        raise
    seconds = time.perf_counter() - started
    click.echo(summary_line(tally, seconds, made, record, invalid))
    if tally.stopped:
        click.echo(f"Stopped early ({tally.stopped}): {count(total - done, record)} not tried.", err=True)
    if stream:
        try:
            stream.finish({**tally.summary(), "seconds": round(seconds, 3), "not_tried": total - done})
        except OutputError as exc:
            raise OutputError(f"the report was not written: {exc}") from None
    if tally.exit_code():
        sys.exit(tally.exit_code())
