"""Many answers files to many plans: nothing lost, every output written whole.

One bad input is reported and skipped; the others are still produced. Each
output is written atomically, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.errors import InvalidInput, Problem
from planner.inputs import check_file, expand
from planner.jsonio import write_atomic
from planner.pdf.render import render_pdf
from planner.render_json import plan_json


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str | None  # "plan", "see_professional", "urgent_care"; None when the input was invalid
    outputs: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PdfOptions:
    page_size: str = "a4"
    large_print: bool = False


def today_for_reproducible_builds() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH when set, so builds can be repeated exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def plan_outputs(paths: list[str], out_dir: Path, formats: tuple[str, ...]) -> dict[str, list[Path]]:
    """Each input file and the outputs it will write; a clash of names is an error before any work."""
    planned: dict[str, list[Path]] = {}
    owners: dict[Path, str] = {}
    problems = []
    for source in expand(paths):
        targets = [out_dir / f"{Path(source).stem}.{fmt}" for fmt in formats]
        for target in targets:
            if target in owners:
                problems.append(Problem(source, "", f"would write {target}, as {owners[target]} does; "
                                                    "rename one of the two files"))
            owners[target] = source
        planned[source] = targets
    if problems:
        raise InvalidInput(problems)
    return planned


def render(plan, fmt: str, pdf: PdfOptions) -> tuple[bytes, list[str]]:
    """One output's bytes, and any warnings about text that could not print."""
    if fmt == "json":
        return plan_json(plan).encode("utf-8"), []
    return render_pdf(plan, shipped_catalogue(), page_size=pdf.page_size, large_print=pdf.large_print)


def write_pdf(plan, target: Path, pdf: PdfOptions) -> list[str]:
    """Write one plan's PDF atomically; return warnings about text that could not print."""
    data, warnings = render(plan, "pdf", pdf)
    write_atomic(target, data)
    return warnings


def run_batch(paths: list[str], out_dir: Path, formats: tuple[str, ...], today: dt.date,
              pdf: PdfOptions | None = None) -> Iterator[Outcome]:
    """Plan every input in turn, yielding each outcome as soon as its files are written."""
    pdf = pdf or PdfOptions()
    for source, targets in plan_outputs(paths, out_dir, formats).items():
        checked = check_file(source)
        if not checked.ok:
            yield Outcome(source, None, problems=checked.problems)
            continue
        plan = make_plan(checked.answers, today)
        warnings: list[str] = []
        for target in targets:
            data, found = render(plan, target.suffix.lstrip("."), pdf)
            warnings += [f"{source}: {w}" for w in found]
            write_atomic(target, data)
        yield Outcome(source, plan.status, tuple(str(t) for t in targets), warnings=tuple(warnings))
