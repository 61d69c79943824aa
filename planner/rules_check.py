"""What a careful reviewer would flag in a rules folder that loads (`plan-gen rules check`).

The loader already refuses what cannot work (a bad shape, an unknown exercise or
caution, a value outside a fact's range). This looks at what loads but cannot
be meant:

- error: a rule that no answers can ever fire (its conditions contradict
  each other), because a clinician who wrote it expects it to act, and a
  silent referral rule is a missed warning sign;
- error: an include and a whole-plan exclude of the same exercise under the
  same conditions, because the exclusion always wins and the include is dead;
- error: a warning sign (a `red_flags.*` answer) that no rule turns into a
  referral, because then a person with that sign could be handed a plan;
- error: a check-in rule file in the folder's `checkin/` that the loader refuses (check-ins read them);
- warning: an exercise no rule can ever choose, or a caution no rule can ever add (harmless: it is
  never printed).

Conditions are checked by listing, for each way a condition can be met, the
values each fact may still take. Every fact has a small finite set of values
(numbers come in steps of 0.01, the most the engine reads), so this is exact.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from planner import resources
from planner.catalogue import Catalogue
from planner.decide import _matches
from planner.errors import DataError, Problem
from planner.rules import Rule, Rulebook, condition_facts
from planner.vocabulary import FACTS, Fact

MAX_WAYS = 4096  # beyond this many ways, a condition counts as one that can fire (never a false error)


@dataclass(frozen=True, order=True)
class Finding:
    level: str  # "error" or "warning"
    source: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.source}: at {self.where}: {self.message}"


def _values(fact: Fact) -> frozenset:
    if fact.kind == "boolean":
        return frozenset((True, False))
    if fact.kind == "integer":
        return frozenset(range(int(fact.low), int(fact.high) + 1))
    if fact.kind == "number":
        return frozenset(round(i / 100, 2) for i in range(round(fact.low * 100), round(fact.high * 100) + 1))
    if fact.kind == "choice":
        return frozenset(fact.choices)
    return frozenset(frozenset(c) for n in range(len(fact.choices) + 1)
                     for c in itertools.combinations(fact.choices, n))


TESTS = {
    "is": lambda v, x: v == x, "is_not": lambda v, x: v != x,
    "at_least": lambda v, x: v >= x, "at_most": lambda v, x: v <= x,
    "above": lambda v, x: v > x, "below": lambda v, x: v < x,
    "one_of": lambda v, x: v in x, "includes": lambda v, x: x in v, "excludes": lambda v, x: x not in v,
}

Way = dict  # fact name -> the values it may still take
TOO_MANY = None  # a condition with too many ways to list: taken as one that can fire


def ways(cond: dict) -> list[Way] | None:
    """Every way to meet `cond`, each with the values its facts may take; [] when it can never be met."""
    if "always" in cond:
        return [{}]
    if "any" in cond:
        out: list[Way] = []
        for child in cond["any"]:
            found = ways(child)
            if found is TOO_MANY or len(out) + len(found) > MAX_WAYS:
                return TOO_MANY
            out += found
        return out
    if "all" in cond:
        out = [{}]
        for child in cond["all"]:
            found = ways(child)
            if found is TOO_MANY or len(out) * len(found) > MAX_WAYS:
                return TOO_MANY
            out = [w for a in out for b in found if (w := _both(a, b)) is not None]
        return out
    name = cond["fact"]
    op = next(k for k in cond if k != "fact")
    kept = frozenset(v for v in _values(FACTS[name]) if TESTS[op](v, cond[op]))
    return [{name: kept}] if kept else []


def _both(a: Way, b: Way) -> Way | None:
    merged = dict(a)
    for name, values in b.items():
        merged[name] = merged.get(name, values) & values
        if not merged[name]:
            return None
    return merged


def _contradiction(cond: dict) -> str:
    """Name the facts a never-met condition tests, for the message."""
    if "fact" in cond:
        return cond["fact"]
    names = sorted({_contradiction(c) for c in cond.get("all", cond.get("any", []))})
    return ", ".join(names)


def review(rulebook: Rulebook, catalogue: Catalogue, catalogue_label: str = "catalogue",
           rules_label: str = "rules", checkin: Path | None = None) -> list[Finding]:
    """Every finding, errors and warnings, sorted by file and rule; `checkin`: the folder's own check-in rules."""
    findings: list[Finding] = checkin_findings(checkin)
    met: dict[str, list[Way] | None] = {}
    for rid, rule in rulebook.rules.items():
        met[rid] = ways(rule.when)
        if met[rid] == []:
            findings.append(Finding("error", rule.source, f"rule {rid}: when", "no answers can ever fire this rule: "
                                    f"its conditions on {_contradiction(rule.when)} contradict each other or "
                                    "ask for a value no answer can have"))
    live = [rule for rid, rule in rulebook.rules.items() if met[rid] != []]
    findings += _include_and_exclude(live, catalogue)
    findings += unreferred_signs(live, rules_label, met)
    chosen = {ex for rule in live for a in rule.then if "include" in a for ex in a["include"]["exercises"]}
    for ex_id in sorted(set(catalogue.exercises) - chosen):
        findings.append(Finding("warning", f"{catalogue_label}/exercises/{ex_id}.json", "id",
                                f"no rule can ever choose {ex_id}: no rule that can fire includes it, "
                                "so no plan has it"))
    added = {c for rule in live for a in rule.then if "add_caution" in a for c in a["add_caution"]["cautions"]}
    for c_id in sorted(set(catalogue.cautions) - added - set(rulebook.settings.get("referral_cautions", ()))):
        findings.append(Finding("warning", f"{catalogue_label}/cautions.json", f"id {c_id}",
                                f"no rule can ever add the caution {c_id}: no rule that can fire adds it, "
                                "so no plan or referral prints it"))
    return sorted(findings)


def checkin_findings(folder: Path | None) -> list[Finding]:
    """What the loader refuses in a rules folder's own check-in rules (`checkin/`), as errors: a check-in with
    that folder reads them (planner/data_source.py), so a broken one would stop every check-in."""
    if folder is None:
        return []
    from planner.checkin import load_checkin_rules  # only a folder with check-in rules needs their loader

    try:
        load_checkin_rules(folder)
    except DataError as exc:
        return [Finding("error", p.source, p.location, p.message) for p in exc.problems]
    return []


def _include_and_exclude(live: list, catalogue: Catalogue) -> list[Finding]:
    """An include and a whole-plan exclude of one exercise under the same conditions: the include never acts."""
    groups: dict[str, list] = {}
    for rule in live:
        groups.setdefault(json.dumps(rule.when, sort_keys=True), []).append(rule)
    out = []
    for rules in groups.values():
        included = {ex: rule.id for rule in rules for a in rule.then if "include" in a
                    for ex in a["include"]["exercises"]}
        for rule in rules:
            for action in rule.then:
                params = action.get("exclude")
                if params is None or "until_week" in params or "until_phase" in params:
                    continue
                for ex in catalogue.exercises.values():
                    if ex.id in included and _matches(params, ex):
                        out.append(Finding("error", rule.source, f"rule {rule.id}: then",
                                           f"excludes {ex.id}, which rule {included[ex.id]} includes under the same "
                                           "conditions; the exclusion always wins, so that include does nothing"))
    return out


def unreferred_signs(rules: Iterable[Rule], rules_label: str, met: dict | None = None) -> list[Finding]:
    """Each warning sign in the answers schema needs a rule that can fire and refers a person who has it.

    Only the referral (`set_status`) rules are worked out, so this is cheap enough for every load of a
    clinic's folder (`planner.data_source`), which refuses such a folder for making plans."""
    met = met or {}
    signs = sorted(resources.shared_schema("answers")["properties"]["red_flags"]["properties"])  # read only
    referred = set()
    for rule in rules:
        if not any("set_status" in a for a in rule.then):
            continue
        found = met[rule.id] if rule.id in met else ways(rule.when)
        if found == []:  # it can never fire, so it refers no one
            continue
        for way in found or [{}]:  # too many ways to list: count every sign it names
            names = way if found else condition_facts(rule.when)
            referred |= {n for n in names if n.startswith("red_flags.") and way.get(n, {True}) == {True}}
    return [Finding("error", rules_label, f"red_flags.{sign}",
                    f"no rule gives a referral when red_flags.{sign} is true, so a person with this warning sign "
                    "could be given an exercise plan; add a set_status rule for it")
            for sign in signs if f"red_flags.{sign}" not in referred]


def refuse_unreferred(rulebook: Rulebook, label: str) -> None:
    """DataError, naming every warning sign that no rule refers, as `plan-gen rules check` names it.

    Such rules would hand a person with that sign an exercise plan, so nothing is made with them."""
    findings = unreferred_signs(rulebook.rules.values(), label)
    if findings:
        raise UnreferredSigns(label, findings)


class UnreferredSigns(DataError):
    """A rules folder in which a warning sign has no referral rule: no plan or referral is made with it."""

    def __init__(self, label: str, findings: list) -> None:
        self.label, self.findings = label, findings
        super().__init__([Problem(f.source, f.where, f.message) for f in findings])

    def __str__(self) -> str:
        lines = "\n".join(str(f) for f in self.findings)
        return (f"{self.label}: these rules are refused, so nothing was made: a person with a warning sign "
                f"could be given an exercise plan.\n{lines}\nAdd the missing referral rules (the shipped ones "
                f"are in plan-gen rules export), then run plan-gen rules check {self.label}.")
