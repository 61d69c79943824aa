"""`plan-gen checkin`: read a plan JSON and a check-in, write the next block as PDF and/or JSON.

Outputs are named after the plan file with the block number (`anna.json` -> `anna-block1.pdf`); a
file that exists already is never replaced, and each is written atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.batch import PdfOptions
from planner.checkin import CheckIn, check_checkin, load_checkin, load_plan_json
from planner.data_source import DataSource
from planner.errors import InvalidInput, PlanGenError, Problem
from planner.jsonio import canonical_json, write_atomic
from planner.model import Plan
from planner.next_block import next_block
from planner.pdf.checkin_pages import render_checkin_pdf
from planner.pdf.render import render_pdf
from planner.render_json import plan_json_bytes

if TYPE_CHECKING:
    from planner.clinic import Clinic

FORMATS = {"pdf": ("pdf",), "json": ("json",), "both": ("pdf", "json")}


def output_paths(plan_path: Path, block: int, fmt: str, out_dir: Path | None) -> list[Path]:
    stem = re.sub(r"-block[0-9]+$", "", plan_path.stem)
    folder = out_dir if out_dir is not None else plan_path.parent
    return [folder / f"{stem}-block{block}.{ext}" for ext in FORMATS[fmt]]


def read_plan(plan_path: Path, data: DataSource | None = None) -> dict:
    """The plan, checked against the rules and catalogue of this run (warnings aside: `run_checkin` gives them)."""
    return load_plan_json(plan_path, *(data or DataSource()).pair())


def free_outputs(paths: list[Path]) -> None:
    taken = [p for p in paths if p.exists()]
    if taken:
        raise PlanGenError(f"{taken[0]}: exists already; plan-gen never replaces a file. Move it, or choose "
                           "another folder with --out-dir")


def run_checkin(plan_path: Path, checkin_path: Path | None, weeks: int, fmt: str, out_dir: Path | None,
                today: dt.date, data: dict | None = None, options: CheckinOptions | None = None
                ) -> tuple[Plan, list[Path], list[str]]:
    """Make the next block and write it; returns the plan, the files written and any font warnings.

    The check-in comes from `checkin_path`, or as `data` from the interview (then saved beside the outputs
    as `NAME-blockN.checkin.json`, so the block can be made again from it)."""
    warnings: list[str] = []
    plan = load_plan_json(plan_path, *(options or CheckinOptions()).data.pair(), warnings)
    checkin = load_checkin(checkin_path, plan) if data is None else check_checkin(data, "interview", plan)
    check_plan_id(checkin.data, plan_path, str(checkin_path or "interview"))
    new, paths, more = write_block(plan_path, plan, checkin, weeks, fmt, out_dir, today, saved=data, options=options)
    return new, paths, warnings + more


def check_plan_id(data: dict, plan_path: Path, source: str) -> None:
    """A check-in that names its plan (`plan_id`) must be read against that plan, not another person's."""
    given = data.get("plan_id")
    if given is not None and given != plan_path.stem:
        raise InvalidInput([Problem(source, "plan_id", f'is "{given}", but the plan given is {plan_path.name}; '
                                    "check that this is the right person's plan, or leave plan_id out")])


@dataclass(frozen=True)
class CheckinOptions:
    """The options a check-in run was given. Unlike `PdfOptions`, the paper and type size may be None,
    "not given": the next block then prints as the plan was printed (`as_printed`), not in batch's defaults.
    `data`: the rules and catalogue folders (--rules, --catalogue), which batch workers load as batch's do."""

    page_size: str | None = None
    large_print: bool | None = None
    clinic: Clinic | None = None
    clinician_copy: bool = False
    data: DataSource = DataSource()


def as_printed(options: CheckinOptions | None, plan: dict) -> PdfOptions:
    """The options a check-in prints with: what the run gave, else how the plan was printed (its JSON's
    `printed`), else the defaults. A large-print reader's next block is large print without asking again."""
    given = options or CheckinOptions()
    was = plan.get("printed") or {}
    return PdfOptions(page_size=given.page_size or was.get("page_size", "a4"),
                      large_print=was.get("large_print", False) if given.large_print is None else given.large_print,
                      clinic=given.clinic, clinician_copy=given.clinician_copy)


def write_block(plan_path: Path, plan: dict, checkin: CheckIn, weeks: int, fmt: str, out_dir: Path | None,
                today: dt.date, *, saved: dict | None = None, tag: str | None = None,
                options: CheckinOptions | None = None) -> tuple[Plan, list[Path], list[str]]:
    """The next block after a checked check-in, written atomically beside the plan (or in `out_dir`), never
    over a file; `saved` is an interview's check-in, written too. `tag` names a batch run's temporary files;
    `options` are the PDF's paper, type size and clinic, as for plan-gen batch (`clinician_copy` adds the
    clinic's pages)."""
    data = (options or CheckinOptions()).data
    rulebook, catalogue = data.pair()
    new = next_block(plan, checkin, weeks, today, rulebook, catalogue, data.load_checkin_rules())
    paths = output_paths(plan_path, new.followup["block"], fmt, out_dir)
    saved_path = paths[0].with_suffix(".checkin.json") if saved is not None else None
    free_outputs(paths + ([saved_path] if saved_path else []))
    if saved_path:
        write_atomic(saved_path, canonical_json(saved).encode("utf-8"), tag=tag)
    warnings: list[str] = []
    o = as_printed(options, plan)
    for path in paths:
        if path.suffix == ".json":
            write_atomic(path, plan_json_bytes(new, o.printed()), tag=tag)
        else:
            pdf, warnings = render_checkin_pdf(new, catalogue, page_size=o.page_size, large_print=o.large_print,
                                               clinic=o.clinic,
                                               clinician_answers=plan["answers"] if o.clinician_copy else None)
            write_atomic(path, pdf, tag=tag)
    return new, paths + ([saved_path] if saved_path else []), warnings


def write_urgent(plan_path: Path, plan: dict, urgent: Plan, out_dir: Path | None,
                 options: CheckinOptions | None = None) -> Path:
    """The emergency page when a check-in interview stopped at a warning sign: the PDF only."""
    path = output_paths(plan_path, plan["checkin"]["block"] + 1, "pdf", out_dir)[0]
    free_outputs([path])
    o = as_printed(options, plan)
    catalogue = (options or CheckinOptions()).data.load_catalogue()
    data, _ = render_pdf(urgent, catalogue, page_size=o.page_size, large_print=o.large_print, clinic=o.clinic)
    write_atomic(path, data)
    return path
