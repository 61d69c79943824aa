"""The questionnaire contract: loading, checking and completing one person's answers.

One loader for this input kind (`load_answers`) reads, parses, validates and
fills defaults in one step, raising `InvalidInput` with every problem at once.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

from planner import resources, upgrade
from planner.errors import InvalidInput
from planner.jsonio import read_json_file
from planner.validation import schema_problems

Answers = dict[str, Any]


def answers_schema() -> dict:
    return resources.schema("answers")


def apply_defaults(schema: dict, data: Any) -> Any:
    """A copy of `data` with every schema default filled in where the field is absent."""
    if not (isinstance(data, dict) and schema.get("type") == "object"):
        return copy.deepcopy(data)
    out = {key: copy.deepcopy(value) for key, value in data.items()}
    for name, sub in schema.get("properties", {}).items():
        if name not in out and "default" in sub:
            out[name] = copy.deepcopy(sub["default"])
        if name in out:
            out[name] = apply_defaults(sub, out[name])
    return out


def check_answers(data: Any, source: str) -> Answers:
    """Validate parsed answers and return them with defaults filled in."""
    data = upgrade.to_current(data, source)  # version 1 answers are upgraded in memory
    schema = answers_schema()
    problems = schema_problems(data, schema, source)
    if problems:
        raise InvalidInput(problems)
    return apply_defaults(schema, data)


def load_answers(path: str | os.PathLike) -> Answers:
    """Read one answers file: parsed, validated, defaults filled."""
    return check_answers(read_json_file(path), str(path))


def todays_date() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH when set, so a default start date can be repeated."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def next_monday(today: dt.date) -> dt.date:
    """The Monday after `today` (a week later when today is a Monday): the default start."""
    return today + dt.timedelta(days=7 - today.weekday())


def start_date(answers: Answers, today: dt.date) -> dt.date:
    given = answers.get("plan", {}).get("start_date")
    return dt.date.fromisoformat(given) if given else next_monday(today)
