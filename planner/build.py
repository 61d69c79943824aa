"""From answers to a plan: rules, decisions, the exercises' starting levels, the weeks and what each card prints.

`make_plan` is the core's one entry point: answers in, `Plan` out. It runs the
rules through durable_rules (`planner.engine`), applies their actions
(`planner.decide`), keeps the plan within its exercise cap
(`planner.plan_size`), sets each exercise's start and ceiling
(`planner.progression`) and lays out the weeks (`planner.sessions`). A plan
that cannot hold a strength exercise and whole sessions becomes a referral.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache

from planner import __version__, triage
from planner.answers import Answers, start_date
from planner.catalogue import Catalogue, shipped_catalogue
from planner.decide import Decisions, decide, phase_weeks
from planner.engine import engine_for
from planner.memo import Bounded, PerSource
from planner.model import Chosen, PhaseSpan, Plan, RuledOut, Text, Triage, Week, WeekDose
from planner.pdf import wording as W
from planner.plan_size import within_cap
from planner.progression import SUPPORTING, Level, ceilings, start_level, work_cap
from planner.rules import Rulebook, load_rulebook
from planner.sessions import ORDER, Entry, Layout, keep_level, lay_out, short_of_request

THIN_PLAN_RULE = "plan_too_thin"


@lru_cache(maxsize=1)
def shipped_rulebook() -> Rulebook:
    """The rules that ship with plan-gen, loaded and checked once per process."""
    return load_rulebook(shipped_catalogue())


def _positions(rulebook: Rulebook) -> dict[str, int]:
    return {rid: i for i, rid in enumerate(rulebook.rules)}


_POSITIONS: PerSource[dict[str, int]] = PerSource(_positions)


def _in_rule_order(rulebook: Rulebook, ids) -> list[str]:
    """`ids` once each, in the order the rulebook lists its rules (the order reasons print in).

    Sorting a plan's few rule ids by position, rather than filtering all of the rulebook's rules for
    each exercise and each list, spared 0.015 ms a plan."""
    position = _POSITIONS(rulebook)
    return sorted({rid for rid in ids if rid in position}, key=position.__getitem__)


@dataclasses.dataclass(frozen=True)
class _Texts:
    """The catalogue's advice, cautions, pain rule and self-check as a plan prints them (advice in catalogue
    order). They depend on the catalogue alone: made once per catalogue, not a dozen Text objects a plan."""

    advice: dict[str, Text]
    cautions: dict[str, Text]
    pain_rule: Text
    self_check: Text


def _texts(catalogue: Catalogue) -> _Texts:
    return _Texts(
        advice={aid: Text(aid, a.title, points=a.points) for aid, a in catalogue.advice.items()},
        cautions={cid: Text(cid, c.title, c.text) for cid, c in catalogue.cautions.items()},
        pain_rule=Text("pain_rule", catalogue.pain_rule.title, points=catalogue.pain_rule.points),
        self_check=Text("self_check", catalogue.self_check.title, points=catalogue.self_check.points))


_TEXTS: PerSource[_Texts] = PerSource(_texts)


def _cautions(catalogue: Catalogue, chosen: dict[str, tuple[int, str]], tri: Triage) -> tuple[Text, ...]:
    """The chosen cautions by rank (then id), the unasked questions named in theirs."""
    texts = _TEXTS(catalogue).cautions
    return triage.name_unasked(tuple(texts[cid] for cid, _ in sorted(chosen.items(), key=lambda kv: (kv[1][0], kv[0]))),
                               tri)


# Seconds per (exercise id, level): the exercise is the catalogue's, the timing the rulebook's. Kept across
# plans, not per layout: half of a layout's look-ups were new to it, though not to the process (0.02 ms a plan).
# Owned here, bounded here: lay_out only looks up and keeps.
_SECONDS: PerSource[Bounded[tuple[str, Level], int]] = PerSource(lambda rulebook, catalogue: Bounded(20_000))

Why = tuple[tuple[str, ...], tuple[str, ...]]  # an exercise's rule ids, sorted, and their reasons in rule order
_WHY: PerSource[Bounded[frozenset[str], Why]] = PerSource(lambda rulebook: Bounded(4_096))


def _why(rulebook: Rulebook, rules: set[str]) -> Why:
    """The rule ids that put an exercise in the plan, sorted, and their reasons in the order rules are listed.

    The same few sets of rules put an exercise in plan after plan: kept per rulebook (bounded), sorting and
    ordering them for every card spared ~0.015 ms a plan."""
    known = _WHY(rulebook)
    key = frozenset(rules)
    found = known.get(key)
    if found is None:
        found = known.keep(key, (tuple(sorted(rules)),
                                 tuple(rulebook.rules[r].because for r in _in_rule_order(rulebook, rules))))
    return found


Start = tuple[dict[str, int], float | None, Level]  # an exercise's tops, work cap and starting level
_STARTS: PerSource[Bounded[tuple, Start]] = PerSource(lambda catalogue: Bounded(10_000))


def _start(known: Bounded[tuple, Start], catalogue: Catalogue, ex_id: str, d: Decisions, settings: dict) -> Start:
    """An exercise's tops, work cap and starting level (planner.progression); `known`: the catalogue's table.

    They depend on the catalogue entry, the dosing choices and three settings alone, and a batch meets the
    same few combinations again and again: kept per catalogue, bounded, they spare 0.02-0.04 ms a plan."""
    ratio, per_rep = settings["progression"]["max_weekly_work_ratio"], settings["timing"]["seconds_per_rep"]
    share = settings["progression"]["below_top_work_share"]
    override = d.dose_overrides.get(ex_id, {})
    key = (ex_id, d.start, tuple(sorted(override.items())), d.ceiling, ratio, per_rep, share)
    found = known.get(key)
    if found is None:
        ex = catalogue.exercises[ex_id]
        tops = ceilings(ex)
        cap = work_cap(ex, d.ceiling, share, per_rep)
        found = known.keep(key, (tops, cap, start_level(ex, d.start, override, tops, ratio, per_rep, cap)))
    return found


def _entries(d: Decisions, catalogue: Catalogue, settings: dict, total: int) -> dict[str, Entry]:
    out = {}
    known = _STARTS(catalogue)
    for ex_id in sorted(d.included):
        week, inc = d.start_week(ex_id), d.included[ex_id]
        last = total if inc.end_week is None else min(total, inc.end_week - 1)
        if week is None or week > last:
            continue
        tops, cap, level = _start(known, catalogue, ex_id, d, settings)
        out[ex_id] = Entry(catalogue.exercises[ex_id], week, last, inc.priority, level, dict(tops), cap)
    return out


def how_often_by_exercise(weeks: tuple[Week, ...]) -> dict[str, tuple[str, int]]:
    """Each card's 'How often' and its session count, counted from the schedule itself (a plan's weeks, or a
    check-in block's).

    One pass over the weeks for all exercises: scanning every session once per exercise was a tenth of a
    plan's Python."""
    week_numbers: dict[str, list[int]] = {}  # exercise id -> the week numbers it is in
    holding: dict[str, int] = {}  # sessions that hold it
    every: dict[str, int] = {}  # sessions in the weeks it is in
    not_a: set[str] = set()  # in at least one routine B session
    for w in weeks:
        # A week's sessions of one routine share one items tuple (sessions.lay_out): count each tuple's
        # sessions, then walk its items once, not once per session.
        groups: dict[tuple[int, str], list] = {}  # (id of an items tuple, routine) -> [items, sessions]
        for s in w.sessions:
            groups.setdefault((id(s.items), s.routine), [s.items, 0])[1] += 1
        here: dict[str, int] = {}
        for (_, routine), (items, count) in groups.items():
            for i in items:
                here[i.id] = here.get(i.id, 0) + count
                if routine != "A":
                    not_a.add(i.id)
        for ex_id, n in here.items():
            week_numbers.setdefault(ex_id, []).append(w.number)
            holding[ex_id] = holding.get(ex_id, 0) + n
            every[ex_id] = every.get(ex_id, 0) + len(w.sessions)
    return {ex_id: (how_often_text(numbers, len(weeks), holding[ex_id], every[ex_id], ex_id not in not_a),
                    holding[ex_id]) for ex_id, numbers in week_numbers.items()}


def how_often_text(numbers: list[int], weeks: int, holding: int, every: int, only_a: bool) -> str:
    """A card's 'How often': in `numbers` (the weeks it is in, of `weeks`), `holding` of the `every` sessions
    in those weeks hold it; `only_a`: none of them is a routine B session."""
    text = W.HOW_OFTEN_ALL if holding == every else W.HOW_OFTEN_A if only_a else W.HOW_OFTEN_SOME
    return text.format(n=holding, weeks="" if len(numbers) == weeks else week_span(numbers))


def week_span(numbers: list[int]) -> str:
    """' in week 3', ' in weeks 1 to 6', or, where weeks are missed (left out when sessions were full),
    each run of weeks: ' in weeks 1, 2 and 6', ' in weeks 1 to 3 and 5'. A card once said 'weeks 1 to
    6' of an exercise left out of weeks 3 to 5, and a person would have done it in those weeks too."""
    if len(numbers) == 1:
        return W.IN_WEEK.format(a=numbers[0])
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    if len(runs) == 1:
        return W.IN_WEEKS.format(a=numbers[0], b=numbers[-1])
    parts: list[str] = []
    for run in runs:
        parts += [str(run[0]), str(run[1])] if len(run) == 2 else [
            str(run[0]) if len(run) == 1 else W.WEEK_RUN.format(a=run[0], b=run[-1])]
    return W.IN_WEEKS_LIST.format(weeks=", ".join(parts[:-1]), last=parts[-1])


def _weekly_doses(e: Entry, ratio: float, per_rep: int) -> tuple[WeekDose, ...]:
    """The card's dose for each week it is done, and whether that is its ceiling ("keep this level")."""
    out, level, dose, keep = [], None, None, False
    for week, now in sorted(e.done.items()):
        if now is not level:  # weeks at one level share it (the same object): look its dose up once
            level, dose, keep = now, e.item(now).dose, keep_level(e, week, ratio, per_rep)
        out.append(WeekDose(week, dose, keep))
    return tuple(out)


def _reaches_top(e: Entry) -> bool:
    """Some week holds every amount but the sets at the top of its range: the dose a checkpoint asks about
    ('Can you hold 60 seconds ...?'; a set added later may bring the hold down again)."""
    amounts = [name for name in SUPPORTING if name in e.tops]
    return bool(amounts) and any(all(getattr(level, name) == e.tops[name] for name in amounts)
                                 for level in e.done.values())


def _thin(layout: Layout, chosen: dict[str, Chosen], minimum: int) -> bool:
    """No strength work, or a session without a warm-up or with too few exercises."""
    if not any(c.category == "strength" for c in chosen.values()):
        return True
    return any(len(s.items) < minimum or chosen[s.items[0].id].category != "mobility"
               for w in layout.weeks for s in w.sessions)


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
    fired_in_order = _in_rule_order(rulebook, fired)
    reasons = tuple((rid, rulebook.rules[rid].because) for rid in fired_in_order)
    tri = triage.assess(rulebook, fired, answers, d.status, today)
    common = dict(
        name=answers.get("name"), answers_id=answers.get("id"), start_date=first_day, weeks_count=total,
        days_per_week=plan_settings["days_per_week"], minutes_per_session=plan_settings["minutes_per_session"],
        triage=tri, answers=answers,
        versions={"plan_gen": __version__, "rules": rulebook.version, "rules_digest": rulebook.digest,
                  "catalogue": catalogue.version, "catalogue_digest": catalogue.digest,
                  "rules_name": rulebook.name, "catalogue_name": catalogue.name},
    )
    if d.status != "plan":
        referral = tuple((rid, rulebook.rules[rid].because) for rid in _in_rule_order(rulebook, d.status_rules))
        return _referral(d.status, referral, d, catalogue, settings, common)

    # Optional, so a rules folder exported before the cap existed still loads and plans as it did.
    cap = settings.get("max_exercises_per_plan", len(catalogue.exercises))
    entries, capped = within_cap(_entries(d, catalogue, settings, total), cap, settings["sessions"]["min_exercises"],
                                 frozenset(settings.get("cap_never_drops", ())))
    phase_of_week = [[p for p in phases if p.starts_week <= n][-1].id for n in range(1, total + 1)]
    layout = lay_out(entries, settings, first_day, total, plan_settings, phase_of_week, d.pace,
                     _SECONDS(rulebook, catalogue))
    gear = set(answers["equipment"])
    ratio, per_rep = settings["progression"]["max_weekly_work_ratio"], settings["timing"]["seconds_per_rep"]
    chosen: dict[str, Chosen] = {}
    how_often_of = how_often_by_exercise(layout.weeks)
    for ex_id, e in layout.entries.items():
        if not e.done:
            continue
        ex = e.ex
        how_often, count = how_often_of[ex_id]
        # A checkpoint belongs to the phase a rule names: printed only if the exercise is still done then,
        # and only if the plan takes its hold to the top ('Can you hold 60 seconds ...?' beside a plank held
        # at 15 s for every week of a plan whose minutes were full asked about a dose the plan never gives).
        doses = _weekly_doses(e, ratio, per_rep)
        checkpoint = ex.progression["text"] if ex_id in d.progressions and ex.progression and set(
            ex.progression["requires"]) <= gear and d.ceiling == "top" and max(
            e.done) >= d.progressions[ex_id][0] and _reaches_top(e) else None
        rules, why = _why(rulebook, d.included[ex_id].rules)
        chosen[ex_id] = Chosen(
            id=ex_id, name=ex.name, category=ex.category, first_week=min(e.done), priority=e.priority,
            last_week=max(e.done), rules=rules,
            weekly_doses=doses,
            dose_rules=tuple(sorted(d.dosing_rules | d.dose_override_rules.get(ex_id, set()))),
            progression=checkpoint, aim=ex.aim, steps=ex.steps, cautions=ex.cautions, figure=ex.figure,
            how_often=how_often, sessions=count,
            reasons=why,
            rest_seconds=ex.dose.rest_seconds if ex.dose.rest_seconds is not None else
            settings["timing"]["rest_between_sets_seconds"],
        )
    if _thin(layout, chosen, settings["sessions"]["min_exercises"]):
        # Not a warning sign, but a plan too hollow to hand out: an examination within a week or two.
        thin = triage.assess(rulebook, fired, answers, "see_professional", today)
        common["triage"] = dataclasses.replace(thin, time_frame="soon")
        return _referral("see_professional", ((THIN_PLAN_RULE, W.TOO_THIN),), d, catalogue, settings, common)

    ruled_out = tuple(
        RuledOut(ex_id, tuple(sorted(rules)), None if any(v is None for v in rules.values()) else max(rules.values()))
        for ex_id, rules in sorted(d.excluded.items())
        if ex_id not in chosen or chosen[ex_id].first_week > d.included[ex_id].start_week
    )
    left_out = tuple(sorted((k, W.LEFT_OUT.format(n=n)) for k, n in layout.left_out.items()))
    left_out += tuple((k, W.NEVER_FITTED) for k, e in layout.entries.items() if not e.done and k not in layout.left_out)
    # Above the cap where only protected exercises were left (planner/plan_size.py): say what it kept.
    left_out += tuple((k, W.LEFT_OUT_CAP.format(n=max(cap, len(entries)))) for k in sorted(capped))
    second = phases[1].starts_week if len(phases) > 1 else total + 1
    asked = plan_settings["minutes_per_session"]
    notes = (W.SHORTER_THAN_ASKED.format(asked=asked),) if short_of_request(
        layout.weeks, second, asked, settings["sessions"]["fill_share"]) else ()
    texts = _TEXTS(catalogue)
    return Plan(
        status="plan", phases=phases, weeks=layout.weeks,
        exercises=tuple(sorted(chosen.values(), key=lambda c: (c.first_week, ORDER[c.category], c.id))),
        ruled_out=ruled_out, referral_reasons=(), notes=notes,
        advice=tuple(text for aid, text in texts.advice.items() if aid in d.advice),
        cautions=_cautions(catalogue, d.cautions, tri),
        reasons=reasons, dosing={"start": d.start, "pace": d.pace, "ceiling": d.ceiling},
        focus=_focus(rulebook, fired_in_order, d, set(chosen), {r.id for r in ruled_out} & set(d.included)),
        pain_rule=texts.pain_rule, self_check=texts.self_check,
        left_out=left_out, **common,
    )


def _referral(status: str, referral: tuple, d: Decisions, catalogue: Catalogue, settings: dict, common: dict) -> Plan:
    allowed = set(settings["referral_cautions"])
    return Plan(status=status, phases=(), weeks=(), exercises=(), ruled_out=(), advice=(),
                cautions=_cautions(catalogue, {c: v for c, v in d.cautions.items() if c in allowed}, common["triage"]),
                reasons=referral, referral_reasons=referral, notes=(), dosing={}, **common)


def _shapers(rulebook: Rulebook) -> dict[str, tuple[bool, frozenset[str], bool]]:
    """Each rule: (does it shape every plan it fires for, the exercises it includes, does it exclude by name
    or tag). Worked out per rulebook: walking every fired rule's actions each plan was a thirtieth of one."""
    out = {}
    for rid, rule in rulebook.rules.items():
        # A rule that adds exercises speaks of them: if none is in the plan (the cap or full sessions left
        # them out), its advice alone does not put that reason on the cover.
        adds = any("include" in action for action in rule.then)
        always, includes, excludes = False, set(), False
        for action in rule.then:
            (name, params), = action.items()
            if name == "include":
                includes |= set(params["exercises"])
            elif name == "add_advice":
                always |= not adds
            elif name == "exclude" and ("tags" in params or "exercises" in params):
                excludes = True
            else:
                always |= name in ("set_dosing", "set_dose") or (name == "add_caution" and params.get("rank", 50) < 5)
        out[rid] = (always, frozenset(includes), excludes)
    return out


_SHAPERS: PerSource[dict[str, tuple[bool, frozenset[str], bool]]] = PerSource(_shapers)


def _focus(rulebook: Rulebook, fired_in_order: list[str], d: Decisions, chosen: set[str], ruled_out: set[str]
           ) -> tuple:
    """The reasons on the cover: only rules that changed what this plan holds or how it is dosed."""
    shapers = _SHAPERS(rulebook)
    out = []
    for rid in fired_in_order:
        always, includes, excludes = shapers[rid]
        if always or not includes.isdisjoint(chosen) or (
                excludes and any(rid in d.excluded.get(x, {}) for x in ruled_out)):
            out.append(rulebook.rules[rid].because)
    return tuple(out)
