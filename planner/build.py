"""Laying out the weeks: sessions, doses and the time budget, from the decisions.

`make_plan` is the core's one entry point: answers in, `Plan` out. It runs
the rules through durable_rules (`planner.engine`), applies their actions
(`planner.decide`) and lays out every week here.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

from planner import __version__, triage
from planner.answers import Answers, start_date
from planner.catalogue import Amount, Catalogue, Exercise, shipped_catalogue
from planner.decide import Decisions, decide, phase_weeks
from planner.engine import engine_for
from planner.model import Chosen, Dose, PhaseSpan, Plan, RuledOut, Session, SessionItem, Text, Week
from planner.rules import Rulebook, load_rulebook

CATEGORY_ORDER = {"mobility": 0, "strength": 1, "stretch": 2}  # warm up, work, then stretch


@lru_cache(maxsize=1)
def shipped_rulebook() -> Rulebook:
    """The rules that ship with plan-gen, loaded and checked once per process."""
    return load_rulebook(shipped_catalogue())


def _amount(a: Amount | None, start: str, override: int | None, frac: float) -> int | None:
    if a is None:
        return None
    first = a.low if start == "bottom" else a.base
    if override is not None:
        first = min(first, override) if start == "bottom" else override
    first = max(a.low, min(a.high, first))
    value = first + math.floor((a.high - first) * frac + 1e-9)
    if value >= 10 and value != a.high:
        # Round longer holds and counts down to a multiple of 5 (20, 25, 30 s): easier to follow
        # than 22 or 26, and rounding down keeps every value inside the range and never falling.
        value = max(first, value - value % 5)
    return value


def weekly_doses(ex: Exercise, d: Decisions, first: int, last: int, factor: float, has_gear: set[str]) -> list[Dose]:
    """The dose for each week from `first` to `last` (the plan's last week): rising evenly, never falling,
    never past the range. An exercise that leaves the plan early keeps this pace and stops, rather
    than rushing to the top of its range."""
    override = d.dose_overrides.get(ex.id, {})
    prog = d.progressions.get(ex.id) if ex.progression else None
    can_load = prog is not None and set(ex.progression["requires"]) <= has_gear
    out = []
    for week in range(first, last + 1):
        frac = 0.0 if last == first else (week - first) / (last - first)
        frac *= factor
        dose = Dose(
            sets=_amount(ex.dose.sets, d.start, override.get("sets"), frac),
            reps=_amount(ex.dose.reps, d.start, override.get("reps"), frac),
            hold_seconds=_amount(ex.dose.hold_seconds, d.start, override.get("hold_seconds"), frac),
            per_side=ex.dose.per_side,
        )
        if can_load and week >= prog[0] and dose.hold_seconds == ex.dose.hold_seconds.high:
            dose = Dose(dose.sets, dose.reps, dose.hold_seconds, dose.per_side, load="weights")
        out.append(dose)
    return out


def seconds(ex: Exercise, dose: Dose, timing: dict) -> int:
    """How long one exercise takes: work, rest between sets, and getting into position."""
    per_rep = (dose.hold_seconds or 0) + (timing["seconds_per_rep"] if dose.reps else 0)
    sides = 2 if dose.per_side else 1
    rest = ex.dose.rest_seconds if ex.dose.rest_seconds is not None else timing["rest_between_sets_seconds"]
    return sides * dose.sets * (dose.reps or 1) * per_rep + (dose.sets - 1) * rest + timing["setup_seconds"]


def session_dates(first: dt.date, weeks: int, offsets: list[int]) -> list[list[dt.date]]:
    return [[first + dt.timedelta(days=7 * w + o) for o in sorted(offsets)] for w in range(weeks)]


def make_plan(answers: Answers, today: dt.date, rulebook: Rulebook | None = None,
              catalogue: Catalogue | None = None) -> Plan:
    """One person's plan: durable_rules picks the rules, then the weeks are laid out."""
    catalogue = catalogue or shipped_catalogue()
    rulebook = rulebook or shipped_rulebook()
    fired = engine_for(rulebook).fired_rules(answers)
    d = decide(rulebook, catalogue, fired)
    settings = rulebook.settings
    plan_settings = answers["plan"]
    total = plan_settings["weeks"]
    first_day = start_date(answers, today)
    starts = phase_weeks(rulebook, d.pace)
    phases = tuple(PhaseSpan(p.id, p.name, starts[p.id], p.about) for p in rulebook.phases if starts[p.id] <= total)
    reasons = tuple((rid, rulebook.rules[rid].because) for rid in rulebook.rules if rid in fired)
    cautions = sorted(d.cautions.items(), key=lambda kv: (kv[1][0], kv[0]))
    if d.status != "plan":
        allowed = set(settings["referral_cautions"])
        cautions = [c for c in cautions if c[0] in allowed]
    tri = triage.assess(rulebook, fired, answers, d.status, today)
    common = dict(
        name=answers.get("name"), answers_id=answers.get("id"), start_date=first_day, weeks_count=total,
        days_per_week=plan_settings["days_per_week"], minutes_per_session=plan_settings["minutes_per_session"],
        cautions=triage.name_unasked(tuple(Text(cid, catalogue.cautions[cid].title, catalogue.cautions[cid].text)
                                           for cid, _ in cautions), tri), triage=tri,
        reasons=reasons,
        versions={"plan_gen": __version__, "rules": rulebook.version, "rules_digest": rulebook.digest,
                  "catalogue": catalogue.version, "catalogue_digest": catalogue.digest},
    )
    if d.status != "plan":
        referral = tuple((rid, rulebook.rules[rid].because) for rid in rulebook.rules if rid in d.status_rules)
        common["reasons"] = referral  # a referral speaks only of what led to it
        return Plan(status=d.status, phases=(), weeks=(), exercises=(), ruled_out=(), advice=(),
                    referral_reasons=referral, notes=(), dosing={}, **common)

    factor = settings["slow_pace"]["progress_factor"] if d.pace == "slow" else 1.0
    gear = set(answers["equipment"])
    chosen: dict[str, Chosen] = {}
    for ex_id in sorted(d.included):
        week = d.start_week(ex_id)
        ex, inc = catalogue.exercises[ex_id], d.included[ex_id]
        last = total if inc.end_week is None else min(total, inc.end_week - 1)
        if week is None or week > last:
            continue
        prog = d.progressions.get(ex_id)
        chosen[ex_id] = Chosen(
            id=ex_id, name=ex.name, category=ex.category, first_week=week, priority=inc.priority, last_week=last,
            rules=tuple(sorted(inc.rules)),
            weekly_doses=tuple(weekly_doses(ex, d, week, total, factor, gear)[:last - week + 1]),
            dose_rules=tuple(sorted(d.dosing_rules | d.dose_override_rules.get(ex_id, set()))),
            progression=ex.progression["text"] if prog and ex.progression and set(
                ex.progression["requires"]) <= gear else None,
        )
    ruled_out = tuple(
        RuledOut(ex_id, tuple(sorted(rules)), None if any(v is None for v in rules.values()) else max(rules.values()))
        for ex_id, rules in sorted(d.excluded.items())
        if ex_id not in chosen or chosen[ex_id].first_week > d.included[ex_id].start_week
    )
    focus = tuple(rulebook.rules[rid].because for rid in rulebook.rules if rid in fired and _shapes(rulebook, rid))
    weeks, notes = _lay_out(chosen, catalogue, settings, first_day, total, plan_settings, phases)
    scheduled = {i.id for w in weeks for s in w.sessions for i in s.items}
    unused = sorted(c.name for k, c in chosen.items() if k not in scheduled)
    if unused:
        notes.append("The rules chose these too, but the sessions were full: " + ", ".join(unused) + ".")
    chosen = {k: c for k, c in chosen.items() if k in scheduled}
    if not answers["floor_ok"]:
        notes.insert(0, "Most exercises in the catalogue are done on the floor. So this plan is short. "
                        "Ask a physiotherapist for seated or standing versions of the floor exercises.")
    advice = tuple(Text(aid, catalogue.advice[aid].title, points=catalogue.advice[aid].points)
                   for aid in catalogue.advice if aid in d.advice)
    return Plan(
        status="plan", phases=phases, weeks=weeks,
        exercises=tuple(sorted(chosen.values(), key=lambda c: (c.first_week, CATEGORY_ORDER[c.category], c.id))),
        ruled_out=ruled_out, advice=advice, referral_reasons=(), notes=tuple(notes),
        dosing={"start": d.start, "pace": d.pace}, focus=focus, **common,
    )


def _shapes(rulebook: Rulebook, rid: str) -> bool:
    """Does this rule shape what the plan holds (not just equipment, floor or standing cautions)?"""
    for action in rulebook.rules[rid].then:
        (name, params), = action.items()
        if name in ("include", "set_dosing", "set_dose", "enable_progression", "add_advice"):
            return True
        if name == "exclude" and ("tags" in params or "exercises" in params):
            return True
        if name == "add_caution" and params.get("rank", 50) < 5:
            return True
    return False


def _sessions(n: int) -> str:
    return "1 session" if n == 1 else f"{n} sessions"


def _by_priority_taking_turns(active: list[Chosen], turn: int) -> list[Chosen]:
    """Most important first; exercises of equal priority rotate from session to session,
    so when the cap or the clock cuts the list, the ones left out take turns."""
    out: list[Chosen] = []
    for priority in sorted({c.priority for c in active}):
        tier = sorted((c for c in active if c.priority == priority), key=lambda c: (CATEGORY_ORDER[c.category], c.id))
        shift = turn % len(tier)
        out += tier[shift:] + tier[:shift]
    return out


def _lay_out(chosen, catalogue, settings, first_day, total, plan_settings, phases):
    timing = settings["timing"]
    budget = plan_settings["minutes_per_session"]
    cap = settings["max_exercises_per_session"]
    offsets = settings["session_days"][str(plan_settings["days_per_week"])]

    def minutes(items: list[SessionItem]) -> int:
        return math.ceil(sum(seconds(catalogue.exercises[i.id], i.dose, timing) for i in items) / 60)

    dropped: dict[str, int] = {}
    capped: dict[str, int] = {}
    last_strength: dt.date | None = None
    session_index = 0
    weeks = []
    for index, dates in enumerate(session_dates(first_day, total, offsets)):
        number = index + 1
        phase = [p for p in phases if p.starts_week <= number][-1]
        sessions = []
        for date in dates:
            strength_day = last_strength is None or (date - last_strength).days >= 2
            active = [c for c in chosen.values() if c.first_week <= number <= c.last_week and (
                catalogue.exercises[c.id].dose.frequency == "daily" or strength_day)]
            active = _by_priority_taking_turns(active, session_index)
            session_index += 1
            for c in active[cap:]:
                capped[c.id] = capped.get(c.id, 0) + 1
            active = active[:cap]

            items = [SessionItem(c.id, c.weekly_doses[number - c.first_week]) for c in active]
            while len(items) > 1 and minutes(items) > budget:
                lost = items.pop()  # the list is in priority order: the last matters least
                dropped[lost.id] = dropped.get(lost.id, 0) + 1
            if any(catalogue.exercises[i.id].dose.frequency == "alternate_days" for i in items):
                last_strength = date
            items.sort(key=lambda i: (CATEGORY_ORDER[chosen[i.id].category], chosen[i.id].priority, i.id))
            sessions.append(Session(date, minutes(items), tuple(items)))
        weeks.append(Week(number, phase.id, tuple(sessions)))
    scheduled = {i.id for w in weeks for s in w.sessions for i in s.items}
    notes = []
    if capped:
        notes.append(f"Each session holds at most {cap} exercises. A few moves done well help more than many "
                     "done in a rush. So the less important ones take turns: "
                     + ", ".join(f"{catalogue.exercises[k].name} ({_sessions(n)} left out)"
                                 for k, n in sorted(capped.items()) if k in scheduled) + ".")
    if dropped:
        notes.append(f"Each session fits in {budget} minutes. So the less important exercises are sometimes left "
                     "out: " + ", ".join(f"{catalogue.exercises[k].name} ({_sessions(n)})"
                                         for k, n in sorted(dropped.items()) if k in scheduled) + ".")
    return tuple(weeks), [n for n in notes if not n.endswith(": .")]
