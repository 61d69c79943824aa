"""Check-ins: the check-in questionnaire, the plan JSON it is read against, and the check-in rules.

One loader per input kind, each reporting every problem at once: `load_checkin`
(the questionnaire, `planner/schemas/checkin.schema.json`), `load_plan_json`
(a plan written by `plan-gen batch --format json` or by an earlier check-in) and
`load_checkin_rules` (`rules/checkin/*.json`, kept apart from the plan rules so
a plan never depends on them). `decide_checkin` is the one place the check-in
rules go through durable_rules.
"""

from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from planner import resources
from planner.answers import check_answers, repeated_activities, same_words
from planner.catalogue import Catalogue
from planner.data_source import CATALOGUE_ENV, CHECKIN_RULES, RULES_ENV, SHIPPED
from planner.engine import engine_for
from planner.errors import DataError, InvalidInput, PlanGenError, Problem
from planner.jsonio import read_json_file
from planner.progression import most_cautious
from planner.rules import Rule, Rulebook, _condition_problems, _name_rules, read_rule_files
from planner.validation import schema_problems
from planner.vocabulary import BLOCKS, checkin_rules_schema

EXERCISE_LISTS = ("hurt", "too_hard", "too_easy")


def checkin_schema() -> dict:
    """The check-in schema, with the warning signs and the shape of an activity's rating taken from the answers
    schema (one source for both: the chart joins the first questionnaire's ratings to the check-ins')."""
    schema = resources.schema("checkin")
    answers = resources.schema("answers")["properties"]
    schema["properties"]["red_flags"] = copy.deepcopy(answers["red_flags"])
    schema["properties"]["activities"]["items"] = copy.deepcopy(answers["activities"]["items"])
    schema["properties"]["activities"]["x-allowed"] = answers["activities"]["x-allowed"]  # the same words for both
    return schema


def match_activities(data: dict, plan: dict) -> dict:
    """The check-in with each activity named as it was before ("putting on socks " is "Putting on socks"), so
    the chart draws one line for it across the start and every check-in."""
    before = {same_words(a["activity"]): a["activity"] for p in plan["checkin"]["history"] for a in p["activities"]}
    if not data.get("activities"):
        return data
    return {**data, "activities": [{**a, "activity": before.get(same_words(a["activity"]), a["activity"])}
                                   for a in data["activities"]]}


@dataclass(frozen=True)
class CheckIn:
    """A checked check-in, with exercise names turned into the plan's exercise ids."""

    data: dict
    hurt: tuple[str, ...] = ()
    too_hard: tuple[str, ...] = ()
    too_easy: tuple[str, ...] = ()


def _exercise_names(plan: dict) -> dict[str, str]:
    """Lower-case id or name -> id, for every exercise in the plan."""
    out = {}
    for ex in plan["exercises"]:
        out[ex["id"].lower()] = ex["id"]
        out[ex["name"].strip().lower()] = ex["id"]
    return out


def check_checkin(data: Any, source: str, plan: dict) -> CheckIn:
    """Validate a parsed check-in against its schema and against the plan it follows."""
    if isinstance(data, dict) and "plan_format" in data:
        raise InvalidInput([Problem(source, "", "is a plan, not a check-in: plan-gen checkin PLAN.json CHECKIN.json "
                                    "(see plan-gen schema checkin)")])
    problems = schema_problems(data, checkin_schema(), source) or repeated_activities(data, source)
    if problems:
        raise InvalidInput(problems)
    first, last = block_weeks(plan)
    after = data.get("after_week")
    if after is not None and not first <= after <= last:
        problems.append(Problem(source, "after_week", f"got {after}; this plan runs from week {first} to week {last}"))
        after = last
    done_by = last if after is None else after
    started = {ex["id"]: min((w["week"] for w in ex["weekly_doses"]), default=done_by + 1) for ex in plan["exercises"]}
    names = _exercise_names(plan)
    allowed = ", ".join(sorted(i for i, w in started.items() if w <= done_by))
    lists: dict[str, tuple[str, ...]] = {}
    for key in EXERCISE_LISTS:
        ids = []
        for i, given in enumerate(data.get("exercises", {}).get(key, [])):
            found = names.get(given.strip().lower())
            if found is None or started[found] > done_by:
                why = "is not an exercise in this plan" if found is None else f"starts after week {done_by}"
                problems.append(Problem(source, f"exercises.{key}[{i}]", f'"{given}" {why}; write the name or id '
                                        f"of one you have done: {allowed}"))
            elif found not in ids:
                ids.append(found)
        lists[key] = tuple(ids)
    if problems:
        raise InvalidInput(problems)
    return CheckIn(match_activities(data, plan), **lists)


def load_checkin(path: str | os.PathLike, plan: dict) -> CheckIn:
    """Read one check-in file: parsed, validated, names matched to the plan's exercises."""
    return check_checkin(read_json_file(path), str(path), plan)


def block_weeks(plan: dict) -> tuple[int, int]:
    """The first and last week number of the block a plan JSON holds."""
    numbers = [w["number"] for w in plan["weeks"]] or [1]
    return min(numbers), max(numbers)


def check_plan_json(data: Any, source: str, rulebook: Rulebook, catalogue: Catalogue,
                    warnings: list[str] | None = None) -> dict:
    """A plan JSON a check-in can follow: valid, a plan (not a referral), made by these rules and catalogue
    (`made_with`; a warning about rules or a catalogue edited since goes to `warnings`)."""
    if isinstance(data, dict) and "plan_format" not in data:
        what = "a check-in" if "checkin_version" in data else "not a plan"
        raise InvalidInput([Problem(source, "", f"is {what}: give the plan JSON first (plan-gen batch --format "
                                    "json writes one), then the check-in: plan-gen checkin PLAN.json CHECKIN.json")])
    problems = schema_problems(data, resources.schema("plan"), source)
    if problems:
        raise InvalidInput(problems)
    if data["status"] != "plan":
        raise InvalidInput([Problem(source, "status", f'is "{data["status"]}": a referral has no exercises to check '
                                    "in on; see a professional as it says, then make a new plan")])
    if data.get("answers") is None or data.get("checkin") is None:
        raise InvalidInput([Problem(source, "answers", "is missing: this plan was made by an older plan-gen; make "
                                    "a new plan from the answers file, then check in against it")])
    problems = made_with(data, source, rulebook, catalogue, warnings if warnings is not None else [])
    try:  # an answer edited by hand would stop the next block later, named against no file
        check_answers(data["answers"], source)
    except InvalidInput as exc:
        problems += [Problem(source, "answers" if p.location == "(top level)" else f"answers.{p.location}", p.message)
                     for p in exc.problems]
    if problems:
        raise InvalidInput(problems)
    return data


REMAKE = "make a new plan from its answers (plan-gen batch), then check in against the new plan"


def made_with(plan: dict, source: str, rulebook: Rulebook, catalogue: Catalogue, warnings: list[str]
              ) -> list[Problem]:
    """Problems when the check-in's rules or catalogue are not the ones the plan records (`versions`).

    A next block goes on from the plan's exercises and doses, under the plan's triage, so it is never made
    from other data without a word:
    - another folder (by name; `shipped` for the shipped data) is refused, naming what the plan was made with
      and the option to give: the next block must not quietly follow other doses, or miss an exercise only
      the clinic's catalogue has;
    - another version under the same name is refused (a new plan-gen's shipped data): make a new plan;
    - the same name and version with other contents (the clinic edited its folder since) goes on, with a
      warning naming both digests: the clinic's current rules, triage included, are the ones it stands by.
      An exercise of the plan that the catalogue no longer has is refused.
    """
    versions = plan["versions"]
    problems = []
    for kind, have, option, env in (("rules", rulebook, "--rules", RULES_ENV),
                                    ("catalogue", catalogue, "--catalogue", CATALOGUE_ENV)):
        what = "exercise catalogue" if kind == "catalogue" else "rules"
        name = versions.get(f"{kind}_name", SHIPPED)
        made = f"{versions.get(kind)}, {versions.get(f'{kind}_digest')}"
        if name != have.name:
            problems.append(Problem(source, f"versions.{kind}_name", _other_folder(what, name, made, have, option,
                                                                                   env)))
        elif versions.get(kind) != have.version:
            problems.append(Problem(source, f"versions.{kind}", f"this plan was made with {what} {versions.get(kind)}"
                                    f"{'' if kind == 'rules' else ' (' + str(versions.get(f'{kind}_digest')) + ')'}; "
                                    f"this plan-gen has {what} {have.version}"
                                    f"{'' if kind == 'rules' else ' (' + have.digest + ')'}; {REMAKE}"))
        elif versions.get(f"{kind}_digest") != have.digest:
            warnings.append(f"{source}: the {_called(what, name)} changed since this plan was made (the plan "
                            f"records {versions.get(f'{kind}_digest')}, now {have.digest}); the next block "
                            "follows them as they are now")
    if not problems:
        now = _called("exercise catalogue", catalogue.name)
        problems += [Problem(source, f"exercises[{i}].id", f'"{ex["id"]}" is not in the {now} as it is now; put '
                             f"it back, or {REMAKE}")
                     for i, ex in enumerate(plan["exercises"]) if ex["id"] not in catalogue.exercises]
    return problems


def _called(what: str, name: str) -> str:
    return f"shipped {what}" if name == SHIPPED else f"{what} in {name}"


def _other_folder(what: str, name: str, made: str, have, option: str, env: str) -> str:
    told = (f"leave out {option} (and {env}) to use the shipped {what}" if name == SHIPPED
            else f"give {option} with the folder {name} (or set {env} to it)")
    return (f"this plan was made with the {_called(what, name)} ({made}); this check-in uses the "
            f"{_called(what, have.name)}; {told}, so the next block follows what the plan was made with")


def load_plan_json(path: str | os.PathLike, rulebook: Rulebook, catalogue: Catalogue,
                   warnings: list[str] | None = None) -> dict:
    return check_plan_json(read_json_file(path), str(path), rulebook, catalogue, warnings)


def load_checkin_rules(root: Traversable | Path | None = None) -> Rulebook:
    """Load and check every check-in rule file (the shipped ones unless `root` names a folder)."""
    base = root if root is not None else resources.data_root(resources.RULES) / CHECKIN_RULES
    label = str(root) if root is not None else f"rules/{CHECKIN_RULES}"
    problems: list[Problem] = []
    digest = hashlib.sha256()
    rules: dict[str, Rule] = {}
    schema = checkin_rules_schema()
    for _item, name, data in read_rule_files(base, label, digest, problems):
        found = schema_problems(data, schema, name)
        if found:
            problems.extend(_name_rules(found, data))
            continue
        for raw_rule in data["rules"]:
            rid = raw_rule["id"]
            if rid in rules:
                problems.append(Problem(name, f"rule {rid}", f"the id is used twice (also in {rules[rid].source})"))
            problems += [Problem(name, f"rule {rid}: when", m) for m in _condition_problems(raw_rule["when"])]
            rules[rid] = Rule(rid, raw_rule["because"], raw_rule["when"], tuple(raw_rule["then"]), name)
    if not rules and not problems:
        problems.append(Problem(label, "", "holds no check-in rules"))
    if problems:
        raise DataError(problems)
    return Rulebook("checkin", "sha256:" + digest.hexdigest()[:16], rules, (), {})


@lru_cache(maxsize=1)
def shipped_checkin_rules() -> Rulebook:
    return load_checkin_rules()


@dataclass
class Decision:
    """What the check-in rules decided for the next block, and the reasons, in rule order."""

    doses: str = ""  # step_back, repeat or progress ("" until a rule sets it)
    simpler_routine: int | None = None
    tips: list[str] = field(default_factory=list)
    swap_hurting: bool = False
    step_on_easy: bool = False
    step_back_hard: bool = False
    reasons: list[tuple[str, str]] = field(default_factory=list)


DEFAULT_BLOCK = "repeat"  # no rule decided: keep the same doses (the cautious choice)


def checkin_facts(checkin: CheckIn, plan: dict) -> dict:
    """The check-in as facts for the rules: pain change since the last rating, share of sessions done."""
    data = checkin.data
    last_pain = plan["checkin"]["history"][-1]["pain"]
    done = data["sessions_per_week"]
    planned = plan["settings"]["days_per_week"]
    share = min(1.0, round(sum(done) / (len(done) * planned), 2))
    return {
        "pain_now": data["pain"]["now"],
        "pain_change": data["pain"]["now"] - last_pain,
        "pain_compared": data["pain"]["compared"],
        "sessions_share": int(share) if share.is_integer() else share,
        "settled_by_morning": data["settled_by_morning"],
        "any_hurt": bool(checkin.hurt),
        "any_too_hard": bool(checkin.too_hard),
        "any_too_easy": bool(checkin.too_easy),
    }


def decide_checkin(checkin: CheckIn, plan: dict, rulebook: Rulebook | None = None) -> Decision:
    """Run the check-in rules through durable_rules and apply their actions; the most cautious block wins."""
    rulebook = rulebook or shipped_checkin_rules()
    facts = {**plan["answers"], "checkin": checkin_facts(checkin, plan)}
    fired = set(engine_for(rulebook).fired_rules(facts))
    d = Decision()
    for rid, rule in rulebook.rules.items():
        if rid not in fired:
            continue
        d.reasons.append((rid, rule.because))
        for action in rule.then:
            (name, params), = action.items()
            if name == "next_block":
                d.doses = most_cautious(BLOCKS, d.doses, params["doses"]) if d.doses else params["doses"]
                if "simpler_routine" in params:
                    d.simpler_routine = min(d.simpler_routine or 99, params["simpler_routine"])
                d.tips += [t for t in params.get("tips", []) if t not in d.tips]
            elif name == "hurting_exercises":
                d.swap_hurting = True
            elif name == "too_easy_exercises":
                d.step_on_easy = True
            elif name == "too_hard_exercises":
                d.step_back_hard = True
            else:  # the schema allows only the actions above
                raise PlanGenError(f"check-in action {name} has no handler")
    d.doses = d.doses or DEFAULT_BLOCK
    return d
