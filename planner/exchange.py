"""Where the exchange formats plug in: CSV and FHIR forms of the answers, calendar and FHIR outputs.

batch and the CLI call the two functions here, so their own diffs stay one
line each; the formats live in `csv_input`, `ics` and `fhir`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Plan

# The formats' modules are imported where they are used: most runs need none of them, and icalendar
# alone costs a command's start-up a noticeable share.

FORMATS = ("ics", "fhir")
SUFFIXES = {"ics": "ics", "fhir": "fhir.json"}  # a FHIR resource is JSON; tools look for .json
NO_CALENDAR = ("no calendar file. This is a referral, not a plan, so there are no sessions. "
               "The referral page says whom to see and how soon.")


def parse_session_time(text: str) -> dt.time:
    """`--session-time HH:MM` (24-hour clock); ValueError says what is allowed."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise ValueError(f"got {text!r}; allowed: a time of day as HH:MM on the 24-hour clock, such as 18:30")
    return dt.time(int(match.group(1)), int(match.group(2)))


def suffix(fmt: str) -> str:
    """The file suffix of an output format (`pdf`, `json`, `ics`, `fhir.json`)."""
    return SUFFIXES.get(fmt, fmt)


def render(plan: Plan, fmt: str, session_time: dt.time | None = None) -> tuple[bytes | None, list[str]]:
    """The bytes of one exchange output (None: nothing to write) and notes for the run's summary."""
    from planner.plan_view import status

    if fmt == "ics":
        from planner.ics import plan_calendar

        if status(plan) != "plan":
            return None, [NO_CALENDAR]
        return plan_calendar(plan, session_time), []
    from planner.fhir import plan_resource

    return plan_resource(plan), []


def answers_form(fmt: str) -> str:
    """`plan-gen schema --format csv|fhir-questionnaire`: the answers as a form other tools fill in."""
    if fmt == "csv":
        from planner.csv_input import schema_csv

        return schema_csv()
    from planner.fhir import questionnaire_json

    return questionnaire_json()
