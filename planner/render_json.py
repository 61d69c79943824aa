"""The plan as JSON: the format other programs read (documented by plan.schema.json).

Two roads to the same text. `plan_to_dict` builds the plan as Python data (the reference: the golden files,
the tests) for `canonical_json` to write. `plan_json`, a batch's road, writes the text straight from the plan
model, about three times faster: each kind of record (a session item, a weekly dose, a caution, ...) has one
template with its keys in sorted order, and the plain values of a whole list go through json.dumps's own C
encoder in one call. Texts that recur across plans (a session item, an exercise's weekly doses, a caution)
are kept per process by content, never by identity, with each value's type in the key (see content_key);
bounded.
tests/test_plan_json_text.py holds the two roads equal (every example, generated plans, plans written
after others), so a field added to one and not the other turns it red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain
from json.encoder import c_make_encoder, encode_basestring
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from planner.followup import STATE_KEYS, followup_base, followup_json, state_row
from planner.json_text import PLAIN, indented, not_serializable
from planner.jsonio import canonical_json
from planner.memo import Bounded
from planner.model import Chosen, Plan, Session, SessionItem, Text, Week, WeekDose

PLAN_FORMAT = 1
TEXT_ONLY = frozenset({str})
TOP = "  "  # the indent of a top-level key's line: where each section's text starts


class Shape(NamedTuple):
    """One kind of JSON record: its keys in sorted order, and how to read their values off a model object."""

    keys: tuple[str, ...]
    get: Callable[[Any], tuple]  # the values, in key order
    lists: tuple[tuple[int, Callable[[Any, str], str]], ...]  # (position, its writer) of each list value

    def as_dict(self, obj: Any) -> dict:
        """The record as plan_to_dict holds it (plain values only)."""
        return dict(zip(self.keys, self.get(obj), strict=True))


def shape(fields: dict[str, str | int], nested: dict[str, Callable[[Any, str], str]] | None = None) -> Shape:
    """`fields`: JSON key -> attribute path on the model object (or index in a tuple); `nested`: the keys
    whose value is a list, and its writer."""
    keys = tuple(sorted(fields))
    paths = [fields[k] for k in keys]
    get = itemgetter(*paths) if isinstance(paths[0], int) else attrgetter(*paths)
    return Shape(keys, get, tuple((keys.index(k), write) for k, write in (nested or {}).items()))


DOSE = {"sets": "dose.sets", "reps": "dose.reps", "hold_seconds": "dose.hold_seconds", "per_side": "dose.per_side",
        "minutes": "dose.minutes"}
ITEM = shape({"id": "id", **DOSE})  # a SessionItem
WEEK_DOSE = shape({"week": "week", "keep_level": "keep", **DOSE})  # a WeekDose


def _settings(plan: Plan) -> dict:
    return {"start_date": plan.start_date.isoformat(), "weeks": plan.weeks_count, "days_per_week": plan.days_per_week,
            "minutes_per_session": plan.minutes_per_session, "dosing": plan.dosing}


def _triage(plan: Plan) -> dict:
    t = plan.triage
    return {"time_frame": t.time_frame, "clearable": t.clearable, "cleared_for": list(t.cleared_for),
            "not_asked": list(t.not_asked), "start_back_group": t.start_back_group, "tell_them": list(t.tell_them),
            "written_on": t.written_on.isoformat() if t.written_on else None}


def _text(t: Text | None) -> dict | None:
    return None if t is None else {"title": t.title, "points": list(t.points)}


def plan_to_dict(plan: Plan, printed: dict | None = None) -> dict:
    """`printed`: the PDF's paper and type size ({"page_size", "large_print"}), recorded for the next check-in."""
    # A week's sessions of one routine hold the same items (sessions.lay_out): their list is built once and
    # shared. Kept for this call only.
    items: dict[int, list[dict]] = {}

    def exercises(held: tuple) -> list[dict]:
        if id(held) not in items:
            items[id(held)] = [ITEM.as_dict(i) for i in held]
        return items[id(held)]

    out = {
        "plan_format": PLAN_FORMAT,
        "status": plan.status,
        "person": {"name": plan.name, "id": plan.answers_id},
        "settings": _settings(plan),
        "referral": [{"rule": r, "text": t} for r, t in plan.referral_reasons],
        "phases": [{"id": p.id, "name": p.name, "starts_week": p.starts_week, "about": p.about} for p in plan.phases],
        "weeks": [
            {
                "number": w.number,
                "phase": w.phase,
                "self_check": w.self_check,
                "sessions": [
                    {
                        "day": s.day,
                        "date": s.date.isoformat(),
                        "estimated_minutes": s.estimated_minutes,
                        "routine": s.routine,
                        "exercises": exercises(s.items),
                    }
                    for s in w.sessions
                ],
            }
            for w in plan.weeks
        ],
        "exercises": [
            {
                "id": c.id,
                "name": c.name,
                "category": c.category,
                "first_week": c.first_week,
                "last_week": c.last_week,
                "priority": c.priority,
                "rules": list(c.rules),
                "dose_rules": list(c.dose_rules),
                "progression": c.progression,
                "how_often": c.how_often,
                "sessions": c.sessions,
                "weekly_doses": [WEEK_DOSE.as_dict(w) for w in c.weekly_doses],
            }
            for c in plan.exercises
        ],
        "ruled_out": [{"id": r.id, "rules": list(r.rules), "until_week": r.until_week} for r in plan.ruled_out],
        "cautions": [{"id": c.id, "title": c.title, "text": c.text} for c in plan.cautions],
        "advice": [{"id": a.id, "title": a.title, "points": list(a.points)} for a in plan.advice],
        "reasons": [{"rule": r, "text": t} for r, t in plan.reasons],
        "notes": list(plan.notes),
        "left_out": [{"id": i, "why": why} for i, why in plan.left_out],
        "pain_rule": _text(plan.pain_rule),
        "self_check": _text(plan.self_check),
        "versions": plan.versions,
        "triage": _triage(plan),
        "answers": plan.answers,
        "checkin": followup_json(plan),
    }
    if printed is not None:
        out["printed"] = printed
    return out


def plan_json(plan: Plan, printed: dict | None = None) -> str:
    """Byte-identical for the same plan: sorted keys, fixed layout; the text canonical_json gives for
    plan_to_dict(plan, printed)."""
    pieces = _direct(plan, printed)
    return canonical_json(plan_to_dict(plan, printed)) if pieces is None else "".join(pieces)


def plan_json_bytes(plan: Plan, printed: dict | None = None) -> bytes:
    """plan_json(plan, printed) in UTF-8 (a batch's file). Encoded piece by piece: one name in Cyrillic
    made the whole joined text two bytes a character, and its encoding ten times slower (half the random
    people: 0.07 ms a plan); the pieces around the name are ASCII, and encoding one is a copy."""
    pieces = _direct(plan, printed)
    if pieces is None:
        return canonical_json(plan_to_dict(plan, printed)).encode("utf-8")
    return b"".join([piece.encode("utf-8") for piece in pieces])


def _direct(plan: Plan, printed: dict | None) -> list[str] | None:
    """The plan's text in pieces (plan_pieces), or None where the general road must write it."""
    if _FLAT is not None:
        try:
            return plan_pieces(plan, printed)
        except TypeError:  # a value the templates do not expect (a subclass, a key that is not text): the general
            pass           # road writes it as json.dumps would, or refuses it with json.dumps's message
    return None


# --- The direct road -------------------------------------------------------------------------------------

# json.dumps's C encoder writing a flat list of plain values with a NUL between them. The encoder escapes every
# control character inside a string (NUL as \u0000), so a raw NUL in its text is only ever a separator. NaN and
# infinity are refused (ValueError), as canonical_json refuses them.
_FLAT = None if c_make_encoder is None else c_make_encoder(None, not_serializable, encode_basestring, None, ":", "\0",
                                                           False, False, False)


def scalars(values: Sequence) -> list[str]:
    """Each plain value as json.dumps writes it. Anything else (a list, a subclass) is a TypeError: the
    caller's general road writes it."""
    if not values:
        return []
    if not PLAIN.issuperset(map(type, values)):
        raise TypeError("not a plain value")
    return "".join(_FLAT(values, 0))[1:-1].split("\0")


def strings(values: Sequence[str], pad: str) -> str:
    """A list of text values whose opening bracket is on a line indented `pad`."""
    if not values:
        return "[]"
    inner = pad + "  "
    return "[\n" + inner + (",\n" + inner).join(map(encode_basestring, values)) + "\n" + pad + "]"


def content_key(values: tuple) -> tuple | None:
    """Values as a key two sets of values share only when json.dumps writes them alike: each value's type
    beside it (1, 1.0 and True are equal keys), and None (not kept) with a float in them (0.0 == -0.0)."""
    types = tuple(map(type, values))
    return None if float in types else (values, types)


def keepable(values: tuple, types: tuple) -> bool:
    """Whether a text may be kept under (values, types): no float, and a list value (a tuple) holds only text,
    whose equality is exact (an equal lookup then holds equal text too: a float among them never is kept,
    so a lookup holding one finds nothing)."""
    return float not in types and all(TEXT_ONLY.issuperset(map(type, v)) for v in values if type(v) is tuple)


# Texts kept by content for the whole process, so plans written later reuse them; bounded (memo.Bounded),
# so memory stays flat over any batch, and a miss only costs the writing.
_DAYS = Bounded(4096)  # a date -> its ISO text and its day's name
# An exercise's weekly doses come back in other people's plans: over 1,000 random people, a ninth as many
# distinct weekly-dose lists as lists. Small on purpose: over 4,000 random people, 4,096 held 40 MiB more
# (resident memory grew for the first 2,500 plans); at this size memory stays flat from the first 500.
# (Whole weeks are not kept: over 1,000 random people, 4,000 of their 5,300 weeks are distinct.)
_WEEK_DOSES = Bounded(512)
_EACH: dict[tuple, Bounded[Any, str]] = {}  # (a kind's keys, indent) -> its records' texts: a few kinds, a few indents


# Templates: "%s" where each value goes. Bounded (lru_cache): a record's keys are few, and a list's length and
# depth take few values.
@lru_cache(maxsize=256)
def record_template(keys: tuple[str, ...], pad: str) -> str:
    """A record with `keys` (sorted), its opening brace on a line indented `pad`."""
    inner = pad + "  "
    lines = (inner + encode_basestring(k).replace("%", "%%") + ": %s" for k in keys)
    return "{\n" + ",\n".join(lines) + "\n" + pad + "}"


@lru_cache(maxsize=1024)
def records_template(keys: tuple[str, ...], count: int, pad: str) -> str:
    """A list of `count` (at least one) such records."""
    inner = pad + "  "
    return "[\n" + inner + (",\n" + inner).join([record_template(keys, inner)] * count) + "\n" + pad + "]"


def _values(kind: Shape, objects: Sequence, pad: str) -> tuple[str, ...]:
    """The texts of every value of `objects`' records, in order, for records whose opening brace is at
    `pad`: the plain ones in one C call (a list value held by a placeholder), then each list by its writer."""
    rows = list(map(kind.get, objects))
    values = list(chain.from_iterable(rows))
    width = len(kind.keys)
    for at, _ in kind.lists:
        values[at::width] = [0] * len(rows)
    plain = scalars(values)
    for at, write in kind.lists:
        plain[at::width] = [write(row[at], pad + "  ") for row in rows]
    return tuple(plain)


def records(kind: Shape, objects: Sequence, pad: str, kept: Bounded[Any, str] | None = None) -> str:
    """A list of records, its opening bracket on a line indented `pad`. `kept`: texts kept by content, for
    lists of plain records that come back (a routine's items, an exercise's weekly doses)."""
    if not objects:
        return "[]"
    if kept is None:
        return records_template(kind.keys, len(objects), pad) % _values(kind, objects, pad + "  ")
    values = tuple(chain.from_iterable(map(kind.get, objects)))
    key = content_key(values)
    text = kept.get((pad, key)) if key else None
    if text is None:
        text = records_template(kind.keys, len(objects), pad) % tuple(scalars(values))
        if key:
            kept.keep((pad, key), text)
    return text


def record(kind: Shape, obj: Any, pad: str) -> str:
    """One record, or null."""
    return "null" if obj is None else record_template(kind.keys, pad) % _values(kind, (obj,), pad)


def kept_texts(kind: Shape, objects: Sequence, pad: str) -> list[str]:
    """Each record's text (its opening brace at `pad`), kept by content (keepable) across plans: the
    catalogue's and the rules' texts recur in every plan (over 1,000 random people: 52 distinct reasons in
    15,000, 14 cautions, 5 advice cards)."""
    kept = kept_store(kind, pad)
    rows = list(map(kind.get, objects))
    keys = [(row, tuple(map(type, row))) for row in rows]
    texts = list(map(kept.get, keys))
    for n, text in enumerate(texts):
        if text is None:
            texts[n] = _written(kind, objects[n], pad, kept, keys[n])
    return texts


def kept_text(kind: Shape, obj: Any, pad: str, kept: Bounded[Any, str]) -> str:
    """One record's text, as kept_texts finds it (`kept`: kept_store(kind, pad))."""
    row = kind.get(obj)
    key = (row, tuple(map(type, row)))
    text = kept.get(key)
    return _written(kind, obj, pad, kept, key) if text is None else text


def kept_store(kind: Shape, pad: str) -> Bounded[Any, str]:
    """The texts kept for records of `kind` written at `pad`."""
    kept = _EACH.get((kind.keys, pad))
    if kept is None:
        kept = _EACH[(kind.keys, pad)] = Bounded(2048)
    return kept


def _written(kind: Shape, obj: Any, pad: str, kept: Bounded[Any, str], key: tuple) -> str:
    """A record not kept yet: written, and kept when its key is keepable."""
    text = record(kind, obj, pad)
    if keepable(*key):
        kept.keep(key, text)
    return text


def each_kept(kind: Shape, objects: Sequence, pad: str) -> str:
    """A list of records, each kept by content."""
    if not objects:
        return "[]"
    inner = pad + "  "
    return "[\n" + inner + (",\n" + inner).join(kept_texts(kind, objects, inner)) + "\n" + pad + "]"


def _weekly_doses(doses: Sequence[WeekDose], pad: str) -> str:
    return records(WEEK_DOSE, doses, pad, _WEEK_DOSES)


PAIR = shape({"rule": 0, "text": 1})  # (rule id, because)
CHOSEN = shape({"id": "id", "name": "name", "category": "category", "first_week": "first_week",
                "last_week": "last_week", "priority": "priority", "rules": "rules", "dose_rules": "dose_rules",
                "progression": "progression", "how_often": "how_often", "sessions": "sessions",
                "weekly_doses": "weekly_doses"},
               {"rules": strings, "dose_rules": strings, "weekly_doses": _weekly_doses})
SECTIONS = {  # the top-level lists of records: key -> (its kind, where the plan holds it)
    "referral": (PAIR, attrgetter("referral_reasons")),
    "phases": (shape({"id": "id", "name": "name", "starts_week": "starts_week", "about": "about"}),
               attrgetter("phases")),
    "exercises": (CHOSEN, attrgetter("exercises")),
    "ruled_out": (shape({"id": "id", "rules": "rules", "until_week": "until_week"}, {"rules": strings}),
                  attrgetter("ruled_out")),
    "cautions": (shape({"id": "id", "title": "title", "text": "text"}), attrgetter("cautions")),
    "advice": (shape({"id": "id", "title": "title", "points": "points"}, {"points": strings}), attrgetter("advice")),
    "reasons": (PAIR, attrgetter("reasons")),
    "left_out": (shape({"id": 0, "why": 1}), attrgetter("left_out")),
}
TEXT = shape({"title": "title", "points": "points"}, {"points": strings})  # the pain rule, the self-check

WEEK_KEYS = ("number", "phase", "self_check", "sessions")
SESSION_KEYS = ("date", "day", "estimated_minutes", "exercises", "routine")
_WEEK = attrgetter("number", "phase", "self_check")


def _day(s: Session) -> tuple[str, str]:
    """Session.day (strftime) takes a third of a session's time, and a date's day never changes. Only plain
    dates are kept: an aware datetime equal to another may print otherwise, and a datetime never equals a
    date, so it never meets a kept one."""
    found = _DAYS.get(s.date)
    if found is None:
        found = (s.date.isoformat(), s.day)
        if type(s.date) is dt.date:
            _DAYS.keep(s.date, found)
    return found


_SESSION = attrgetter("date", "estimated_minutes", "items", "routine")


def _week(values: list, lists: list[str], pad: str) -> str:
    """A week: its three plain values, then each session's five (the fourth a placeholder for its items)."""
    plain = scalars(values)
    held = "[]"
    if lists:
        each = plain[3:]
        each[3::5] = lists  # the placeholders (0) become the lists
        held = records_template(SESSION_KEYS, len(lists), pad + "  ") % tuple(each)
    return record_template(WEEK_KEYS, pad) % (*plain[:3], held)


def weeks(plan_weeks: Sequence[Week], pad: str) -> str:
    """The weeks and their sessions (most of a plan's text). A week's sessions of one routine share their
    items (sessions.lay_out), and a routine's items are shared objects, one per exercise and level: each
    list and each item is written once per plan, looked up by identity within this call only."""
    if not plan_weeks:
        return "[]"
    inner = pad + "  "
    items_pad = inner + "      "  # week { -> "sessions": [ -> session { -> "exercises": [
    written: dict[int, str] = {}
    each_item: dict[int, str] = {}
    days = _DAYS.get
    plain_date = dt.date
    texts = []
    for w in plan_weeks:
        values = list(_WEEK(w))
        lists = []
        for s in w.sessions:
            date, minutes, items, routine = _SESSION(s)
            held = written.get(id(items))
            if held is None:
                held = written[id(items)] = _items(items, items_pad, each_item)
            lists.append(held)
            day = days(date) if type(date) is plain_date else None  # a date subclass might print otherwise
            values += (*(day or _day(s)), minutes, 0, routine)
        texts.append(_week(values, lists, inner))
    return "[\n" + inner + (",\n" + inner).join(texts) + "\n" + pad + "]"


def _items(items: Sequence[SessionItem], pad: str, each_item: dict[int, str]) -> str:
    """A session's items, each item's text found by identity in `each_item` (this plan's), else kept by
    content across plans (over 1,000 random people: 153 distinct items in 138,000; 2,700 distinct lists in
    9,100, so keeping whole lists missed often and still built every list's key)."""
    if not items:
        return "[]"
    inner = pad + "  "
    texts = list(map(each_item.get, map(id, items)))
    if None in texts:
        kept = kept_store(ITEM, inner)
        for n, text in enumerate(texts):
            if text is None:
                texts[n] = each_item[id(items[n])] = kept_text(ITEM, items[n], inner, kept)
    return "[\n" + inner + (",\n" + inner).join(texts) + "\n" + pad + "]"


def _state(chosen: Sequence[Chosen], pad: str) -> str:
    """The check-in's "state": each exercise's last level, keyed by its id (a later duplicate wins, as in a dict)."""
    latest = {c.id: c for c in chosen}
    if not latest:
        return "{}"
    ids = sorted(latest)
    if not TEXT_ONLY.issuperset(map(type, ids)):
        raise TypeError("an exercise id that is not text")  # json.dumps turns it into text: the general road
    inner = pad + "  "
    values = [v for i in ids for v in (i, *state_row(latest[i]))]  # the id is written as a key is: a JSON string
    entry = "%s: " + record_template(STATE_KEYS, inner)
    return "{\n" + inner + (",\n" + inner).join([entry] * len(ids)) % tuple(scalars(values)) + "\n" + pad + "}"


def braces(texts: dict[str, str], pad: str) -> list[str]:
    """A JSON object whose values are written already (`texts`: key -> text), its opening brace on a line
    indented `pad`, in pieces (joined once: a plan's text is copied once, not once per key)."""
    if not texts:
        return ["{}"]
    inner = pad + "  "
    pieces = []
    separator = "{\n" + inner
    for key in sorted(texts):
        pieces += (separator, encode_basestring(key), ": ", texts[key])
        separator = ",\n" + inner
    pieces.append("\n" + pad + "}")
    return pieces


def plan_text(plan: Plan, printed: dict | None = None) -> str:
    """canonical_json(plan_to_dict(plan, printed)), written from the plan itself."""
    return "".join(plan_pieces(plan, printed))


def plan_pieces(plan: Plan, printed: dict | None = None) -> list[str]:
    """plan_text's pieces, in order."""
    general = {"plan_format": PLAN_FORMAT, "status": plan.status, "person": {"name": plan.name, "id": plan.answers_id},
               "settings": _settings(plan), "versions": plan.versions, "triage": _triage(plan), "answers": plan.answers}
    if printed is not None:
        general["printed"] = printed
    texts = {key: indented(value, TOP) for key, value in general.items()}
    for key, (kind, held) in SECTIONS.items():
        texts[key] = records(kind, held(plan), TOP) if kind is CHOSEN else each_kept(kind, held(plan), TOP)
    texts["weeks"] = weeks(plan.weeks, TOP)
    texts["notes"] = strings(plan.notes, TOP)
    texts["pain_rule"] = "null" if plan.pain_rule is None else kept_texts(TEXT, (plan.pain_rule,), TOP)[0]
    texts["self_check"] = "null" if plan.self_check is None else kept_texts(TEXT, (plan.self_check,), TOP)[0]
    inner = TOP + "  "
    checkin = {key: indented(value, inner) for key, value in followup_base(plan).items()}
    checkin["state"] = _state(plan.exercises, inner)
    texts["checkin"] = "".join(braces(checkin, TOP))
    return braces(texts, "") + ["\n"]
