"""Calendar reminders: one event a session, parsed back with icalendar, same bytes every time."""

from __future__ import annotations

import datetime as dt
import json

from icalendar import Calendar

from conftest import EXAMPLES
from planner.cli import cli

EXAMPLE = EXAMPLES / "office_worker.json"


def make(runner, tmp_path, *extra, name="out", inputs=(EXAMPLE,)):
    out = tmp_path / name
    result = runner.invoke(cli, ["batch", *map(str, inputs), "-o", str(out), "-j", "1", *extra],
                           catch_exceptions=False)
    return result, out


def sessions_of(plan_json: dict) -> list[dict]:
    return [s for w in plan_json["weeks"] for s in w["sessions"]]


def test_an_event_for_every_session_with_its_date_exercises_and_an_alarm(runner, tmp_path):
    result, out = make(runner, tmp_path, "--format", "both")
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "office_worker.json").read_text())
    names = {e["id"]: e["name"] for e in plan["exercises"]}
    cal = Calendar.from_ical((out / "office_worker.ics").read_bytes())
    events = cal.walk("VEVENT")
    sessions = sessions_of(plan)
    assert len(events) == len(sessions) > 0
    for event, session in zip(events, sessions, strict=True):
        assert event.decoded("dtstart") == dt.date.fromisoformat(session["date"])  # all-day by default
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1)
        text = str(event["description"])
        for item in session["exercises"]:
            assert names[item["id"]] in text
        assert "Stop any exercise that makes your pain worse" in text
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_session_time_gives_timed_events(runner, tmp_path):
    result, out = make(runner, tmp_path, "--format", "ics", "--session-time", "18:30")
    assert result.exit_code == 0, result.output
    event = Calendar.from_ical((out / "office_worker.ics").read_bytes()).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert isinstance(start, dt.datetime) and (start.hour, start.minute) == (18, 30)
    assert event.decoded("dtend") > start
    assert event.walk("VALARM")[0].decoded("trigger") == dt.timedelta(minutes=-15)
    bad = runner.invoke(cli, ["batch", str(EXAMPLE), "-o", str(tmp_path / "x"), "--format", "ics",
                              "--session-time", "25:00"])
    assert bad.exit_code == 2 and "HH:MM" in bad.output


def test_same_bytes_twice_and_no_clock_in_the_file(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _, one = make(runner, tmp_path, "--format", "ics", name="one")
    _, two = make(runner, tmp_path, "--format", "ics", name="two")
    data = (one / "office_worker.ics").read_bytes()
    assert data == (two / "office_worker.ics").read_bytes()
    plan_start = json.loads(EXAMPLE.read_text())["plan"]["start_date"].replace("-", "")
    assert f"DTSTAMP:{plan_start}T000000Z".encode() in data


def test_a_referral_gets_no_calendar_and_says_why(runner, tmp_path):
    result, out = make(runner, tmp_path, "--format", "ics", inputs=(EXAMPLES / "red_flag_see_professional.json",))
    assert result.exit_code == 0
    assert not list(out.glob("*.ics"))
    assert "no calendar file. This is a referral, not a plan" in result.output


def test_any_name_makes_a_readable_calendar(runner, tmp_path, base_answers):
    """Names may hold line breaks, commas, semicolons and any script; the calendar name keeps them on one line."""
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(base_answers | {"name": "Ann;\nO'Neil, Jr.\r\nЁлка"}), encoding="utf-8")
    result, out = make(runner, tmp_path, "--format", "ics", inputs=(path,))
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical((out / "odd.ics").read_bytes())
    assert str(cal["x-wr-calname"]) == "Back exercises: Ann; O'Neil, Jr. Ёлка"
