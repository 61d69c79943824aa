"""A plan as calendar reminders (iCalendar, RFC 5545): one event a session, each with an alarm.

Built with the `icalendar` package. The same answers give the same bytes:
every UID comes from a digest of the plan and the session's date, and DTSTAMP
(which RFC 5545 requires) is the plan's start date at midnight UTC, or
SOURCE_DATE_EPOCH when set; never the time of the run.

Without `--session-time` each session is an all-day event whose alarm rings
at 08:00 that day; with it, the event starts at that time (floating local
time: "18:00 wherever you are", which suits a personal reminder) and lasts
the session's estimated minutes, with an alarm 15 minutes before.
"""

from __future__ import annotations

import datetime as dt
import os

from icalendar import Alarm, Calendar, Event

from planner.model import Plan
from planner.plan_view import SessionView, fingerprint, period, person, sessions

PRODID = "-//plan-gen//home exercise plan//EN"
ALL_DAY_ALARM = dt.timedelta(hours=8)  # from the start of the day: 08:00
TIMED_ALARM = dt.timedelta(minutes=-15)
SAFETY = ("Stop any exercise that makes your pain worse, and get help. "
          "Read 'Before you start' in your printed plan.")


def stamp(start: dt.date) -> dt.datetime:
    """DTSTAMP: SOURCE_DATE_EPOCH when set, else the plan's start date; never now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)


def description(session: SessionView) -> str:
    lines = [f"Week {session.week}, about {session.minutes} minutes.", ""]
    lines += [f"- {item.name}: {item.dose_words}" for item in session.items]
    return "\n".join([*lines, "", SAFETY])


def session_event(session: SessionView, uid: str, when: dt.datetime, at: dt.time | None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", when)
    event.add("summary", "Back exercises")
    if at is None:
        event.add("dtstart", session.date)
        event.add("dtend", session.date + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(session.date, at)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=max(session.minutes, 5)))
    event.add("transp", "TRANSPARENT" if at is None else "OPAQUE")
    event.add("description", description(session))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Time for your back exercises")
    alarm.add("trigger", ALL_DAY_ALARM if at is None else TIMED_ALARM)
    event.add_component(alarm)
    return event


def plan_calendar(plan: Plan, at: dt.time | None = None) -> bytes:
    """The calendar of one plan's sessions, as bytes (CRLF line ends, as RFC 5545 requires)."""
    name, _ = person(plan)
    views = sessions(plan)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = " ".join(name.split()) if name else ""  # a name may hold line breaks; a calendar name may not
    cal.add("x-wr-calname", f"Back exercises: {name}" if name else "Back exercises")
    digest = fingerprint(plan)
    when = stamp(period(plan)[0])
    for view in views:
        cal.add_component(session_event(view, f"{digest}-{view.date:%Y%m%d}@plan-gen.invalid", when, at))
    return cal.to_ical()
