"""Rule files: loading and checking them (`planner.engine` compiles them for durable_rules).

`load_rulebook` is the one loader for this input kind. It checks each file in
`rules/` against the schema built from `planner.vocabulary`, then checks what
a schema cannot: every exercise, tag, caution, advice and phase a rule names
exists, every value suits its fact, rule ids are unique. Every problem is
reported at once, each naming the file and the rule id.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from planner import resources, verified
from planner.catalogue import Catalogue
from planner.errors import DataError, InvalidInput, Problem
from planner.jsonio import parse_json_bytes
from planner.validation import schema_problems, suggest, validator
from planner.vocabulary import FACTS, FACTS_DOCUMENTED, OPERATORS, rules_schema

SETTINGS_FILE = "settings.json"

SETTINGS_SCHEMA: dict = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "phases", "slow_pace", "session_days", "timing", "max_exercises_per_session",
                 "referral_cautions", "progression", "sessions"],
    "properties": {
        "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"},
        "description": {"type": "string"},
        "phases": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "additionalProperties": False, "required": ["id", "name", "starts_week", "about"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "name": {"type": "string", "minLength": 1},
                    "starts_week": {"type": "integer", "minimum": 1, "maximum": 16},
                    "about": {"type": "string", "minLength": 1},
                },
            },
        },
        "slow_pace": {
            "type": "object", "additionalProperties": False, "required": ["phase_delay_weeks", "rise_every_weeks"],
            "properties": {
                "phase_delay_weeks": {"type": "integer", "minimum": 0, "maximum": 4},
                "rise_every_weeks": {"type": "integer", "minimum": 1, "maximum": 4},
            },
        },
        "progression": {
            "type": "object", "additionalProperties": False,
            "required": ["max_weekly_work_ratio", "below_top_work_share"],
            "properties": {"max_weekly_work_ratio": {"type": "number", "minimum": 1, "maximum": 2},
                           "below_top_work_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}},
        },
        "sessions": {
            "type": "object", "additionalProperties": False, "required": ["min_exercises", "fill_share"],
            "properties": {"min_exercises": {"type": "integer", "minimum": 1, "maximum": 10},
                           "fill_share": {"type": "number", "minimum": 0, "maximum": 1}},
        },
        "session_days": {
            "type": "object", "additionalProperties": False,
            "required": ["2", "3", "4", "5", "6", "7"],
            "patternProperties": {
                "^[2-7]$": {"type": "array", "uniqueItems": True, "items": {"type": "integer", "minimum": 0,
                                                                           "maximum": 6}},
            },
        },
        "timing": {
            "type": "object", "additionalProperties": False,
            "required": ["seconds_per_rep", "rest_between_sets_seconds", "setup_seconds"],
            "properties": {k: {"type": "integer", "minimum": 0, "maximum": 300}
                           for k in ("seconds_per_rep", "rest_between_sets_seconds", "setup_seconds")},
        },
        "max_exercises_per_session": {"type": "integer", "minimum": 1, "maximum": 20},
        # Every exercise that gets a card, the walk included (planner/plan_size.py, docs/clinical.md).
        "max_exercises_per_plan": {"type": "integer", "minimum": 1, "maximum": 40},
        "cap_never_drops": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "referral_cautions": {"type": "array", "items": {"type": "string"}},
    },
}


@dataclass(frozen=True)
class Rule:
    id: str
    because: str
    when: dict
    then: tuple[dict, ...]
    source: str


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    starts_week: int
    about: str


@dataclass(frozen=True)
class Rulebook:
    version: str
    digest: str
    rules: dict[str, Rule]
    phases: tuple[Phase, ...]
    settings: dict
    name: str = "shipped"  # the folder's name for a clinic's own rules (--rules), recorded in each plan
    # Every shipped rule file, and no other, holds the bytes `make stamp` checked (planner/verified.py),
    # which include the warning-sign check (planner/data_source.py skips it then, at every start).
    stamped: bool = False


def _value_problem(fact_name: str, op: str, value: Any) -> str | None:
    fact = FACTS[fact_name]
    if fact.kind not in OPERATORS[op]:
        allowed = ", ".join(o for o, kinds in OPERATORS.items() if fact.kind in kinds)
        return f'operator "{op}" does not apply to {fact_name}; use one of {allowed}'
    values = value if op == "one_of" else [value]
    if op == "one_of" and (not isinstance(value, list) or not value):
        return f"one_of needs a non-empty list of values for {fact_name}"
    for v in values:
        if fact.kind == "boolean" and not isinstance(v, bool):
            return f"{fact_name} is true or false; got {v!r}"
        if fact.kind in ("integer", "number"):
            if isinstance(v, bool) or not isinstance(v, int | float):
                return f"{fact_name} is a number; got {v!r}"
            if not fact.low <= v <= fact.high:
                return f"{fact_name} runs from {fact.low} to {fact.high}; got {v}"
            if isinstance(v, float) and round(v, 2) != v:  # durable_rules cannot read 1e-05 (its error 204)
                return f"{fact_name}: write {v!r} with at most two decimal places"
        if fact.kind in ("choice", "choices") and v not in fact.choices:
            return f"{fact_name} is one of {', '.join(fact.choices)}; got {v!r}{suggest(v, fact.choices)}"
    return None


def _condition_problems(cond: dict) -> list[str]:
    if "all" in cond or "any" in cond:
        return [p for c in cond.get("all", cond.get("any", [])) for p in _condition_problems(c)]
    if "fact" in cond:
        op = next(k for k in cond if k != "fact")
        found = _value_problem(cond["fact"], op, cond[op])
        return [found] if found else []
    return []


MAX_CONDITION_DEPTH = 8  # durable_rules refuses a ruleset nested about 15 deep (its error 113)


def _shape_problems(cond: Any, where: str, depth: int = 1) -> list[tuple[str, str]]:
    """What the schema would report badly: conditions nested too deep (and past Python's recursion in the
    schema check), and a fact or an operator that is not one (the schema's oneOf said "when.fact: unknown
    field; allowed here: all", naming neither the fact nor a near spelling)."""
    if not isinstance(cond, dict):
        return []
    if depth > MAX_CONDITION_DEPTH:
        return [(where, f"conditions nest more than {MAX_CONDITION_DEPTH} levels of all/any; write the rule "
                        "flatter, or split it into several rules")]
    found: list[tuple[str, str]] = []
    for key in ("all", "any"):
        if isinstance(cond.get(key), list):
            for i, inner in enumerate(cond[key]):
                found += _shape_problems(inner, f"{where}.{key}[{i}]", depth + 1)
    if "fact" in cond:
        name = cond["fact"]
        if isinstance(name, str) and name not in FACTS:
            found.append((f"{where}.fact", f'unknown fact "{name}"{suggest(name, FACTS)}; {FACTS_DOCUMENTED}'))
        found += [(f"{where}.{op}", f'unknown operator "{op}"{suggest(op, OPERATORS)}; operators: '
                                    f'{", ".join(OPERATORS)}')
                  for op in cond if op != "fact" and op not in OPERATORS]
    return found


def _rule_shape_problems(data: Any, name: str) -> tuple[list[Problem], set[str]]:
    """Shape problems of every rule's condition, and the ids of the rules that have them."""
    problems, bad = [], set()
    for rule in data.get("rules", []) if isinstance(data, dict) and isinstance(data.get("rules"), list) else []:
        if isinstance(rule, dict) and isinstance(rule.get("id"), str):
            for where, message in _shape_problems(rule.get("when"), "when"):
                problems.append(Problem(name, f"rule {rule['id']}: {where}", message))
                bad.add(rule["id"])
    return problems, bad


def _settings_meaning(settings: dict, catalogue: Catalogue, source: str) -> list[Problem]:
    """What the settings schema cannot see: each session_days list holds as many days as its key says,
    referral pages name cautions that exist (else they would print none), and the plan's exercise cap leaves room
    for a whole session."""
    out = []
    for key, days in sorted(settings["session_days"].items()):
        if len(days) != int(key):
            out.append(Problem(source, f"session_days.{key}", f"lists {len(days)} days for {key} sessions a week; "
                                                              f"list {key} different weekdays (0 Monday to 6 Sunday)"))
    for cid in settings["referral_cautions"]:
        if cid not in catalogue.cautions:
            out.append(Problem(source, "referral_cautions", f'"{cid}" is not a caution in the catalogue; cautions: '
                                                            + ", ".join(sorted(catalogue.cautions))))
    if not settings["referral_cautions"]:
        out.append(Problem(source, "referral_cautions", "is empty; a referral page must carry the cautions"))
    for i, ex_id in enumerate(settings.get("cap_never_drops", [])):
        if ex_id not in catalogue.exercises:
            out.append(Problem(source, f"cap_never_drops[{i}]", f'"{ex_id}" is not an exercise in the catalogue; '
                                                                "use an exercise id (plan-gen catalogue lists them)"))
    cap, minimum = settings.get("max_exercises_per_plan"), settings["sessions"]["min_exercises"]
    if cap is not None and cap < minimum:
        most = SETTINGS_SCHEMA["properties"]["max_exercises_per_plan"]["maximum"]
        out.append(Problem(source, "max_exercises_per_plan", f"is {cap}, under sessions.min_exercises ({minimum}); "
                                                             "a plan must hold at least one whole session; allowed: "
                                                             f"a whole number from {minimum} to {most}, or leave "
                                                             "it out for no cap"))
    return out


def _action_meaning(action: dict, catalogue: Catalogue, phases: tuple[Phase, ...]) -> list[str]:
    """Actions that load but could not do what they say: an inclusion that leaves before it starts, and an
    exclusion, for the whole plan, of every exercise in the catalogue (a "plan" of empty sessions)."""
    (name, params), = action.items()
    if not isinstance(params, dict):
        return []
    order = {p.id: i for i, p in enumerate(phases)}
    if name == "include" and params.get("from_phase") in order and params.get("until_phase") in order and (
            order[params["until_phase"]] <= order[params["from_phase"]]):
        return [f'include: until_phase "{params["until_phase"]}" is not after from_phase "{params["from_phase"]}", '
                "so the exercises would never be in the plan"]
    if name == "exclude" and "until_phase" not in params and "until_week" not in params and catalogue.exercises:
        selected = [e for e in catalogue.exercises.values() if (
            e.id in params.get("exercises", ()) or set(params.get("tags", ())) & set(e.tags)
            or set(params.get("equipment", ())) & set(e.equipment) or (params.get("needs_floor") and e.needs_floor))]
        if len(selected) == len(catalogue.exercises):
            return ["exclude: this rules out every exercise in the catalogue, which would leave a plan with no "
                    "exercises; to stop the plan, use set_status instead"]
    return []


def _reference_problems(action: dict, catalogue: Catalogue, phases: set[str]) -> list[str]:
    (name, params), = action.items()
    out = []
    known = {
        "exercises": set(catalogue.exercises),
        "tags": {t for e in catalogue.exercises.values() for t in e.tags},
        "equipment": set(FACTS["equipment"].choices),
        "cautions": set(catalogue.cautions),
        "advice": set(catalogue.advice),
    }
    if isinstance(params, dict):
        for key, ids in params.items():
            if key in known:
                out += [f'{name}.{key}: "{i}" is not in the catalogue{suggest(i, sorted(known[key]))}'
                        for i in ids if i not in known[key]]
            if key in ("from_phase", "until_phase") and params[key] not in phases:
                out.append(f'{name}.{key}: "{params[key]}" is not a phase{suggest(params[key], sorted(phases))}; '
                           f'phases: {", ".join(sorted(phases))}')
    return out


def _files(base: Traversable | Path) -> list[Traversable | Path]:
    return sorted((p for p in base.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)


def read_rule_files(base: Traversable | Path, label: str, digest, problems: list[Problem]) -> Iterator[tuple]:
    """(file, its name for messages, its JSON) for each top-level *.json file in `base`, in name order.

    Every file's name and bytes feed `digest`; a file that is not JSON adds its problem and is skipped.
    The plan's rules and the check-in rules are read the same way.
    """
    for item, name, data, _raw in _read_rule_files(base, label, digest, problems):
        yield item, name, data


def _read_rule_files(base: Traversable | Path, label: str, digest, problems: list[Problem]) -> Iterator[tuple]:
    """As `read_rule_files`, with each file's bytes last (for the stamp of checked files)."""
    for item in _files(base):
        name = f"{label}/{item.name}"
        raw = item.read_bytes()
        digest.update(item.name.encode() + b"\0" + raw + b"\0")
        try:
            data = parse_json_bytes(raw, name)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        yield item, name, data, raw


def condition_facts(condition: dict) -> set[str]:
    """Every fact a rule's condition reads ("age", "pain.level"), through its `all` and `any`."""
    if "fact" in condition:
        return {condition["fact"]}
    return {name for c in condition.get("all", condition.get("any", [])) for name in condition_facts(c)}


def load_rulebook(catalogue: Catalogue, root: Traversable | Path | None = None) -> Rulebook:
    """Load, check and return every rule file (the shipped ones unless `root` names a folder)."""
    base = root if root is not None else resources.data_root(resources.RULES)
    label = str(root) if root is not None else "rules"
    problems: list[Problem] = []
    digest = hashlib.sha256()
    settings: dict | None = None
    phase_data: list = []  # the phases, even from a settings file broken elsewhere
    rules: dict[str, Rule] = {}
    raw_rules: list[tuple[str, dict]] = []
    schema = rules_schema()
    shipped = root is None  # only the shipped files' bytes may match the stamp of checked files
    schema_sha = {"rules": verified.schema_digest(schema), "settings": verified.schema_digest(SETTINGS_SCHEMA)
                  } if shipped else {}

    read: dict[str, bool] = {}  # each file's name: were its bytes stamped?

    def trusted(name: str, raw: bytes, kind: str) -> bool:
        read[name] = shipped and verified.checked(name, raw, kind, schema_sha[kind])
        return read[name]

    for item, name, data, raw in _read_rule_files(base, label, digest, problems):
        if item.name == SETTINGS_FILE:
            found = [] if trusted(name, raw, "settings") else schema_problems(data, SETTINGS_SCHEMA, name)
            problems.extend(found)
            settings = None if found else data
            # One bad setting (a folder exported before a setting was added) must not also report every
            # rule's phase as unknown: the phases are read whenever they are valid on their own.
            phases_schema = SETTINGS_SCHEMA["properties"]["phases"]
            if not found or (isinstance(data, dict) and not schema_problems(data.get("phases"), phases_schema, name)):
                phase_data = data["phases"]
            continue
        shape, bad = _rule_shape_problems(data, name)
        if bad:  # check the rest of the file with those conditions set aside (already reported)
            data = copy.deepcopy(data)
            for rule in data["rules"]:
                if isinstance(rule, dict) and rule.get("id") in bad:
                    rule["when"] = {"always": True}
        found = [] if trusted(name, raw, "rules") and not bad else schema_problems(data, schema, name)
        problems.extend(shape)
        problems.extend(_name_rules(found, data))
        # The rules the schema found whole still have their values checked (unknown exercises, repeated ids),
        # so one run lists every problem rather than one round of them at a time.
        raw_rules.extend((name, r) for r in _whole_rules(data, schema, found))

    if settings is None and not any(p.source.endswith(SETTINGS_FILE) for p in problems):
        problems.append(Problem(f"{label}/{SETTINGS_FILE}", "", "missing: phases and timing live here"))
    phases = tuple(Phase(p["id"], p["name"], p["starts_week"], p["about"]) for p in phase_data)
    phase_ids = {p.id for p in phases}
    if phases and (phases[0].starts_week != 1 or [p.starts_week for p in phases] != sorted(
            {p.starts_week for p in phases})):
        problems.append(Problem(f"{label}/{SETTINGS_FILE}", "phases",
                                "the first phase starts in week 1 and each later phase starts in a later week"))

    if settings is not None:
        problems += _settings_meaning(settings, catalogue, f"{label}/{SETTINGS_FILE}")

    for source, raw in raw_rules:
        rid = raw["id"]
        where = f"rule {rid}"
        if rid in rules:
            problems.append(Problem(source, where, f"the id is used twice (also in {rules[rid].source})"))
            continue
        for message in _condition_problems(raw["when"]):
            problems.append(Problem(source, f"{where}: when", message))
        for action in raw["then"]:
            for message in _reference_problems(action, catalogue, phase_ids) + _action_meaning(action, catalogue,
                                                                                               phases):
                problems.append(Problem(source, f"{where}: then", message))
        rules[rid] = Rule(rid, raw["because"], raw["when"], tuple(raw["then"]), source)

    if problems:
        raise DataError(problems)
    stamped = shipped and all(read.values()) and set(read) == verified.stamped_files(f"{label}/")
    return Rulebook(settings["version"], "sha256:" + digest.hexdigest()[:16], rules, phases, settings,
                    "shipped" if root is None else root.name, stamped)


def _whole_rules(data: Any, schema: dict, found: list[Problem]) -> list[dict]:
    """The rules of a file that the schema problems `found` do not touch (all of them when none).

    Which rules are touched comes from each schema error's path (`("rules", 3, "when")`), not from the words
    of a message: a message's wording may change, its path does not. Only a file with problems is checked
    again for them."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return []
    if not found:
        return rules
    paths = [tuple(error.absolute_path) for error in validator(schema).iter_errors(data)]
    broken = {path[1] for path in paths if len(path) > 1 and path[0] == "rules"}
    return [r for i, r in enumerate(rules) if i not in broken]


def _name_rules(problems: list[Problem], data: Any) -> list[Problem]:
    """Say `rule <id>` instead of `rules[3]` where the rule has an id, so a clinician finds it."""
    out = []
    rules = data.get("rules") if isinstance(data, dict) else None
    for p in problems:
        loc = p.location
        if isinstance(rules, list) and loc.startswith("rules["):
            index = int(loc[len("rules["):loc.index("]")])
            rest = loc[loc.index("]") + 1:].lstrip(".")
            rid = rules[index].get("id") if index < len(rules) and isinstance(rules[index], dict) else None
            if isinstance(rid, str):
                loc = f"rule {rid}" + (f": {rest}" if rest else "")
        out.append(Problem(p.source, loc, p.message))
    return out
