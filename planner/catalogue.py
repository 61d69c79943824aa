"""The exercise catalogue: exercises, general cautions and daily-habit advice.

`load_catalogue` is the one loader for this input kind: it reads every file
under `catalogue/`, checks each against its part of the catalogue schema and
against the rules a schema cannot say (id equals file name, base inside its
range, strength work on alternate days), and reports every problem at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from planner import resources, verified
from planner.errors import DataError, InvalidInput, Problem
from planner.jsonio import parse_json_bytes
from planner.poses import natural_bend_problems
from planner.validation import schema_problems


@dataclass(frozen=True)
class Amount:
    base: int
    low: int
    high: int


@dataclass(frozen=True)
class DoseRange:
    """What the sources allow: base and range per amount (model.Dose is one week's concrete dose)."""

    sets: Amount
    reps: Amount | None
    hold_seconds: Amount | None
    per_side: bool
    frequency: str  # "daily" or "alternate_days"
    rest_seconds: int | None = None
    note: str | None = None
    minutes: Amount | None = None  # a timed activity (the walk)
    step: dict[str, int] | None = None  # how far each amount may rise in one week

    def amount(self, name: str) -> Amount | None:
        return getattr(self, name)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    aim: str
    position: str
    needs_floor: bool
    equipment: tuple[str, ...]
    steps: tuple[str, ...]
    dose: DoseRange
    tags: tuple[str, ...]
    cautions: tuple[str, ...]
    sources: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    progression: dict | None = None
    source_doses: tuple[dict, ...] = ()
    figure: dict | None = None
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Caution:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Advice:
    id: str
    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    """A fixed titled list every plan prints: the pain rule, the weekly self-check."""

    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    version: str
    digest: str
    exercises: dict[str, Exercise]
    cautions: dict[str, Caution]
    advice: dict[str, Advice]
    pain_rule: Guide = Guide("", ())
    self_check: Guide = Guide("", ())
    name: str = "shipped"  # the folder's name for a clinic's own catalogue (--catalogue), recorded in each plan

    def ordered_exercises(self) -> list[Exercise]:
        return [self.exercises[k] for k in sorted(self.exercises)]


def _amount(raw: dict | None) -> Amount | None:
    if raw is None:
        return None
    return Amount(raw["base"], raw["range"][0], raw["range"][1])


def _exercise(raw: dict) -> Exercise:
    d = raw["dose"]
    dose = DoseRange(
        sets=_amount(d["sets"]),
        reps=_amount(d["reps"]),
        hold_seconds=_amount(d["hold_seconds"]),
        per_side=d["per_side"],
        frequency=d["frequency"],
        rest_seconds=d.get("rest_seconds"),
        note=d.get("note"),
        minutes=_amount(d.get("minutes")),
        step=dict(d["step"]),
    )
    return Exercise(
        id=raw["id"],
        name=raw["name"],
        category=raw["category"],
        aim=raw["aim"],
        position=raw["position"],
        needs_floor=raw["needs_floor"],
        equipment=tuple(raw["equipment"]),
        steps=tuple(raw["steps"]),
        dose=dose,
        tags=tuple(raw["tags"]),
        cautions=tuple(raw["cautions"]),
        sources=tuple(raw["sources"]),
        aliases=tuple(raw.get("aliases", ())),
        progression=raw.get("progression"),
        source_doses=tuple(raw.get("source_doses", ())),
        figure=raw.get("figure"),
        references=tuple(raw.get("references", ())),
    )


def _dose_problems(raw: dict, source: str) -> list[Problem]:
    problems = []
    dose = raw["dose"]
    for field in ("sets", "reps", "hold_seconds", "minutes"):
        amount = dose.get(field)
        if not amount:
            continue
        low, high = amount["range"]
        where = f"dose.{field}"
        if low > high:
            problems.append(
                Problem(source, f"{where}.range", f"min {low} is above max {high}; write [min, max]")
            )
        elif not low <= amount["base"] <= high:
            message = f"{amount['base']} lies outside the range [{low}, {high}]"
            problems.append(Problem(source, f"{where}.base", message))
    if dose["reps"] is None and dose["hold_seconds"] is None and dose.get("minutes") is None:
        problems.append(Problem(source, "dose", "needs reps, hold_seconds or minutes; all are null"))
    for field in dose["step"]:
        if not dose.get(field):
            problems.append(Problem(source, f"dose.step.{field}", f"steps an amount the dose does not have ({field})"))
    if not raw["sources"] and not raw.get("references"):
        problems.append(Problem(source, "sources", "needs a source article or a named reference"))
    for pose in ("start", "end"):
        for problem in natural_bend_problems({**raw["figure"][pose], "facing": raw["figure"]["facing"]}):
            problems.append(Problem(source, f"figure.{pose}", problem))
    if raw["category"] == "strength" and dose["frequency"] != "alternate_days":
        message = "strength exercises need alternate_days, so muscles rest between sessions"
        problems.append(Problem(source, "dose.frequency", message))
    return problems


def _read(raw: bytes, name: str, definition: str, schema: dict, trusted: bool) -> tuple[Any, list[Problem]]:
    """A file's JSON and its problems; `trusted`: these bytes are stamped as passing this schema."""
    try:
        data = parse_json_bytes(raw, name)
    except InvalidInput as exc:
        return None, exc.problems
    problems = [] if trusted else schema_problems(data, {**schema, "$ref": f"#/$defs/{definition}"}, name)
    return (None if problems else data), problems


def load_catalogue(root: Traversable | Path | None = None) -> Catalogue:
    """Load and check the whole catalogue (the shipped one unless `root` names a folder)."""
    base = root if root is not None else resources.data_root(resources.CATALOGUE)
    label = str(root) if root is not None else "catalogue"
    schema = resources.schema("catalogue")
    schema_sha = verified.schema_digest(schema) if root is None else ""
    problems: list[Problem] = []
    digest = hashlib.sha256()

    def read(item: Traversable, name: str, definition: str) -> Any:
        if not item.is_file():
            problems.append(Problem(name, "", "missing: the catalogue needs this file"))
            return None
        # The name inside the folder, not the folder's path: the same files give the same digest wherever they are.
        raw = item.read_bytes()
        digest.update(name[len(label) + 1:].encode() + b"\0" + raw + b"\0")
        trusted = root is None and verified.checked(name, raw, f"catalogue#{definition}", schema_sha)
        data, found = _read(raw, name, definition, schema, trusted)
        problems.extend(found)
        return data

    manifest = read(base / "catalogue.json", f"{label}/catalogue.json", "manifest")
    cautions_raw = read(base / "cautions.json", f"{label}/cautions.json", "cautions_file")
    advice_raw = read(base / "advice.json", f"{label}/advice.json", "advice_file")

    exercises: dict[str, Exercise] = {}
    folder = base / "exercises"
    items = []
    if folder.is_dir():
        items = sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    if not items:
        message = "no exercise files found; expected one .json file per exercise"
        problems.append(Problem(f"{label}/exercises", "", message))
    for item in items:
        name = f"{label}/exercises/{item.name}"
        raw = read(item, name, "exercise")
        if raw is None:
            continue
        stem = item.name[: -len(".json")]
        if raw["id"] != stem:
            problems.append(Problem(name, "id", f'"{raw["id"]}" must equal the file name "{stem}"'))
            continue
        problems.extend(_dose_problems(raw, name))
        exercises[raw["id"]] = _exercise(raw)

    cautions: dict[str, Caution] = {}
    for i, c in enumerate((cautions_raw or {}).get("cautions", [])):
        if c["id"] in cautions:
            problems.append(Problem(f"{label}/cautions.json", f"cautions[{i}].id", f'"{c["id"]}" is used twice'))
        cautions[c["id"]] = Caution(c["id"], c["title"], c["text"])
    advice: dict[str, Advice] = {}
    for i, a in enumerate((advice_raw or {}).get("advice", [])):
        if a["id"] in advice:
            problems.append(Problem(f"{label}/advice.json", f"advice[{i}].id", f'"{a["id"]}" is used twice'))
        advice[a["id"]] = Advice(a["id"], a["title"], tuple(a["points"]))

    if problems:
        raise DataError(problems)
    return Catalogue(
        version=manifest["version"],
        digest="sha256:" + digest.hexdigest()[:16],
        exercises=exercises,
        cautions=cautions,
        advice=advice,
        pain_rule=Guide(advice_raw["pain_rule"]["title"], tuple(advice_raw["pain_rule"]["points"])),
        self_check=Guide(advice_raw["self_check"]["title"], tuple(advice_raw["self_check"]["points"])),
        name="shipped" if root is None else root.name,
    )


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    """The catalogue that ships with plan-gen, loaded once per process."""
    return load_catalogue()


def catalogue_json(catalogue: Catalogue) -> list[dict]:
    """The catalogue as a list other programs can read (`plan-gen catalogue --format json`)."""

    def rng(a: Amount | None) -> list[int] | None:
        return None if a is None else [a.low, a.high]

    return [
        {
            "id": e.id,
            "name": e.name,
            "aliases": list(e.aliases),
            "category": e.category,
            "aim": e.aim,
            "position": e.position,
            "needs_floor": e.needs_floor,
            "equipment": list(e.equipment),
            "tags": list(e.tags),
            "dose": {
                "sets": rng(e.dose.sets),
                "reps": rng(e.dose.reps),
                "hold_seconds": rng(e.dose.hold_seconds),
                "minutes": rng(e.dose.minutes),
                "per_side": e.dose.per_side,
                "frequency": e.dose.frequency,
                "step": dict(e.dose.step or {}),
            },
            "has_progression": e.progression is not None,
            "sources": list(e.sources),
            "references": list(e.references),
        }
        for e in catalogue.ordered_exercises()
    ]
