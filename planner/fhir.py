"""FHIR R4: the answers as a Questionnaire, a QuestionnaireResponse as answers, a plan as a CarePlan.

- `questionnaire()` is generated from the answers JSON Schema: every leaf
  field is an item whose linkId is its field path (`pain.level`), objects are
  groups, enums are choices with answerOptions, ranges are the standard
  minValue/maxValue extensions and defaults are `initial` values. A field
  added to the schema is a question at once.
- `answers_from_response()` turns a QuestionnaireResponse back into answers;
  the answers are then checked against the schema like any other input.
- `plan_resource()` writes a plan as a CarePlan (one activity for each run of
  sessions in which an exercise keeps one dose: its dates and its dose; the
  rules' reasons and the cautions as notes), or a referral as a
  ServiceRequest. The resources are plain JSON built here; no FHIR library is
  needed at run time (the tests validate them with `fhir.resources`).

Every resource says it is a proposal (`intent: proposal`): plan-gen suggests,
a professional decides.
"""

from __future__ import annotations

from typing import Any

from planner import __version__
from planner.answers import Answers, answers_schema, same_words
from planner.errors import InvalidInput, Problem
from planner.fields import (
    BOOLEAN,
    CHOICE,
    CHOICES,
    CONST,
    DATE,
    INTEGER,
    NUMBER,
    RATINGS,
    Field,
    answer_fields,
    kind_of_node,
    put,
)
from planner.followup import start_point
from planner.jsonio import canonical_json
from planner.model import Plan
from planner.pdf.wording import REFER_HEADING, REFER_INTRO, URGENT_HEADING, URGENT_INTRO
from planner.plan_view import (
    cautions,
    exercise_rules,
    fingerprint,
    period,
    person,
    reasons,
    referral_reasons,
    sessions,
    status,
    versions,
)

BASE = "https://plan-gen.invalid/fhir"
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/answers"
CHOICE_SYSTEM = f"{BASE}/CodeSystem/answers"
EXERCISE_SYSTEM = f"{BASE}/CodeSystem/exercises"
ANSWERS_ID_SYSTEM = f"{BASE}/answers-id"
EXT = "http://hl7.org/fhir/StructureDefinition"
ITEM_TYPES = {BOOLEAN: "boolean", INTEGER: "integer", NUMBER: "decimal", DATE: "date", CHOICE: "choice",
              CHOICES: "choice"}
VALUE_KEYS = {BOOLEAN: ("valueBoolean",), INTEGER: ("valueInteger",), NUMBER: ("valueDecimal", "valueInteger"),
              DATE: ("valueDate",), CHOICE: ("valueCoding", "valueString"), CHOICES: ("valueCoding", "valueString")}
ACCEPTED_STATUS = ("completed", "amended")


# --- the Questionnaire ------------------------------------------------------------------------------------------

def _value_key(kind: str) -> str:
    return {BOOLEAN: "Boolean", INTEGER: "Integer", NUMBER: "Decimal", DATE: "Date"}.get(kind, "String")


def _coding(code: Any) -> dict:
    return {"system": CHOICE_SYSTEM, "code": str(code), "display": str(code).replace("_", " ")}


def _question(path: str, node: dict, required: bool) -> dict | None:
    """One question. A warning-sign question (`x-interview: first`) must be answered and is never
    pre-filled: a form that shows "No" already chosen invites a person to skip past it."""
    safety = node.get("x-interview") == "first"
    required = required or safety
    kind, choices = kind_of_node(node)
    if kind == CONST:
        return None  # filled in when a response is read, never asked
    text = node.get("title", path)
    if node.get("description"):
        text += ". " + node["description"]
    item: dict[str, Any] = {"linkId": path, "text": text, "type": ITEM_TYPES.get(kind, "string")}
    if required and kind != CHOICES:  # "choose any, or none": a form must let a person choose none
        item["required"] = True
    if kind == CHOICES:
        item["repeats"] = True
    if choices:
        item["answerOption"] = [{"valueCoding": _coding(c)} for c in choices]
    if "maxLength" in node:
        item["maxLength"] = node["maxLength"]
    for bound, key in (("minimum", "minValue"), ("maximum", "maxValue")):
        if bound in node and kind in (INTEGER, NUMBER):
            item.setdefault("extension", []).append({"url": f"{EXT}/{key}",
                                                     f"value{_value_key(kind)}": node[bound]})
    default = None if safety else node.get("default")
    if default is not None and not isinstance(default, (list, dict)):
        key = "valueCoding" if choices else f"value{_value_key(kind)}"
        item["initial"] = [{key: _coding(default) if choices else default}]
    return item


def _ratings_group(path: str, node: dict) -> dict:
    """A list of rated activities: a group asked up to `maxItems` times, each a text and a rating."""
    text = node.get("title", path) + (". " + node["description"] if node.get("description") else "")
    return {"linkId": path, "text": text, "type": "group", "repeats": True,
            "extension": [{"url": f"{EXT}/questionnaire-maxOccurs", "valueInteger": node["maxItems"]}],
            "item": [_question(f"{path}.{name}", sub, True) for name, sub in node["items"]["properties"].items()]}


def _items(node: dict, prefix: str) -> list[dict]:
    out = []
    needed = set(node.get("required", ()))
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        if kind_of_node(sub)[0] == RATINGS:
            out.append(_ratings_group(path, sub))
        elif sub.get("type") == "object" and "properties" in sub:
            group = {"linkId": path, "text": sub.get("title", path), "type": "group", "item": _items(sub, f"{path}.")}
            if name in needed:
                group["required"] = True
            out.append(group)
        elif (question := _question(path, sub, name in needed)) is not None:
            out.append(question)
    return out


def questionnaire() -> dict:
    """A FHIR R4 Questionnaire asking every question of the answers schema."""
    schema = answers_schema()
    version = schema.get("properties", {}).get("schema_version", {}).get("const", 1)
    return {
        "resourceType": "Questionnaire",
        "id": "plan-gen-answers",
        "url": QUESTIONNAIRE_URL,
        "version": str(version),
        "name": "PlanGenAnswers",
        "title": schema.get("title", "plan-gen answers"),
        "status": "active",
        "subjectType": ["Patient"],
        "description": schema.get("description", ""),
        "item": _items(schema, ""),
    }


def questionnaire_json() -> str:
    return canonical_json(questionnaire())


# --- a QuestionnaireResponse as answers -------------------------------------------------------------------------

def _answered(items: list, found: dict[str, list], problems: list[Problem], source: str,
              groups: dict[str, list] | None = None) -> None:
    """Every answer by linkId into `found`; each repetition of a repeating group (RATINGS) into `groups`."""
    groups = {} if groups is None else groups
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = str(item.get("linkId", ""))
        if link in groups:
            inner: dict[str, list] = {}
            _answered(item.get("item", []), inner, problems, source)
            groups[link].append(inner)
            continue
        answers = item.get("answer") or []
        if answers:
            if link in found:
                problems.append(Problem(source, f"item {link}", "answered twice; keep one"))
            found[link] = answers
        _answered(item.get("item", []), found, problems, source, groups)
        for answer in answers if isinstance(answers, list) else []:
            if isinstance(answer, dict):
                _answered(answer.get("item", []), found, problems, source, groups)


def _value(answer: Any, f: Field) -> Any:
    """One answer's value as the schema types it; ValueError says what is allowed."""
    keys = VALUE_KEYS.get(f.kind, ("valueString",))
    present = [k for k in keys if isinstance(answer, dict) and k in answer]
    if not present:
        raise ValueError(f"expected {' or '.join(keys)}")
    value = answer[present[0]]
    if present[0] == "valueCoding":
        value = value.get("code") if isinstance(value, dict) else None
    return value


def _rated(repeats: list[dict[str, list]], f: Field, problems: list[Problem], source: str) -> list[dict]:
    """Each repetition of a RATINGS group as one object ({"activity": ..., "rating": ...})."""
    out = []
    for n, inner in enumerate(repeats, start=1):
        entry = {}
        for name, node in f.parts:
            link = f"{f.path}.{name}"
            got = inner.pop(link, None)
            try:
                if got is None or len(got) != 1:
                    raise ValueError("needs one answer in each repetition of the group")
                entry[name] = _value(got[0], Field(link, kind_of_node(node)[0], node))
            except ValueError as exc:
                problems.append(Problem(source, f"item {link} ({n})", str(exc)))
        problems += [Problem(source, f"item {link} ({n})", f"not a question of the {f.path} group") for link in inner]
        out.append(entry)
    return out


def answers_from_response(resource: dict, source: str) -> Answers:
    """The answers a completed QuestionnaireResponse holds (checked against the schema by the caller)."""
    problems: list[Problem] = []
    state = resource.get("status")
    if state not in ACCEPTED_STATUS:
        problems.append(Problem(source, "status", f"got {state!r}; allowed: completed or amended (a draft "
                                "or stopped response may lack answers that matter for safety)"))
    found: dict[str, list] = {}
    fields = answer_fields()
    groups: dict[str, list] = {f.path: [] for f in fields if f.kind == RATINGS}
    _answered(resource.get("item", []), found, problems, source, groups)
    data: Answers = {}
    for f in fields:
        if f.kind == CONST:
            put(data, f.keys, f.node["const"])
            continue
        if f.kind == RATINGS:
            if groups[f.path]:
                put(data, f.keys, _rated(groups[f.path], f, problems, source))
            continue
        got = found.pop(f.path, None)
        if not got:
            if f.kind == CHOICES:  # a form leaves a multiple choice unanswered when none applies
                put(data, f.keys, [])
            continue
        try:
            values = [_value(a, f) for a in got]
        except ValueError as exc:
            problems.append(Problem(source, f"item {f.path}", str(exc)))
            continue
        if f.kind == CHOICES:
            put(data, f.keys, values)
        elif len(values) > 1:
            problems.append(Problem(source, f"item {f.path}", "has several answers; allowed: one"))
        else:
            put(data, f.keys, values[0])
    for link in sorted(found):
        problems.append(Problem(source, f"item {link}", "not a question of the plan-gen questionnaire; "
                                "`plan-gen schema --format fhir-questionnaire` lists them"))
    if problems:
        raise InvalidInput(problems)
    return data


def answers_from_input(data: Any, source: str) -> Any:
    """Answers as given, or converted when the input is a FHIR QuestionnaireResponse (found by resourceType)."""
    if not (isinstance(data, dict) and "resourceType" in data):
        return data
    if data["resourceType"] == "QuestionnaireResponse":
        return answers_from_response(data, source)
    raise InvalidInput([Problem(source, "resourceType", f"got {data['resourceType']!r}; plan-gen reads answers "
                                "or a FHIR QuestionnaireResponse")])


# --- the plan as a CarePlan, a referral as a ServiceRequest -----------------------------------------------------

def _subject(plan: Plan) -> dict:
    name, answers_id = person(plan)
    subject: dict[str, Any] = {"display": name or "The person who gave the answers"}
    if answers_id:
        subject["identifier"] = {"system": ANSWERS_ID_SYSTEM, "value": answers_id}
    return subject


def _activities(plan: Plan) -> list[dict]:
    """One activity for each exercise's run of sessions with one dose, in the order they start."""
    runs: dict[str, list[list]] = {}
    for view in sessions(plan):
        for item in view.items:
            spans = runs.setdefault(item.id, [])
            if spans and spans[-1][0] == item.dose:
                spans[-1][2].append(view.date)
            else:
                spans.append([item.dose, item, [view.date]])
    why = exercise_rules(plan)
    out = []
    for exercise_id, spans in runs.items():
        for _, item, dates in spans:
            detail = {
                "status": "not-started",
                "code": {"coding": [{"system": EXERCISE_SYSTEM, "code": exercise_id, "display": item.name}],
                         "text": item.name},
                "scheduledTiming": {"event": [d.isoformat() for d in dates],
                                    "repeat": {"boundsPeriod": {"start": dates[0].isoformat(),
                                                                "end": dates[-1].isoformat()}}},
                "description": f"{item.name}: {item.dose_words}, on each date of this schedule.",
            }
            if why.get(exercise_id):
                detail["reasonCode"] = [{"text": text} for text in why[exercise_id]]
            out.append({"detail": detail})
    return sorted(out, key=lambda a: (a["detail"]["scheduledTiming"]["event"][0], a["detail"]["code"]["text"]))


def _notes(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"text": text} for _, text in pairs]


def _made_with(plan: Plan) -> dict:
    """Which program and rules made this resource, so a reviewer can trace it."""
    made = ", ".join(f"{key} {value}" for key, value in sorted(versions(plan).items()))
    return {"text": f"Made by plan-gen from the person's answers ({made})."}


def _when(point: dict) -> str:
    return f"{point['label']} (after week {point['week']})" if point["week"] else point["label"]


def _goals(plan: Plan) -> list[dict]:
    """The everyday activities the person rates, as contained Goals: each with every rating so far, so the
    clinic's record shows where the person started and how it has gone (the PDF's chart, in FHIR)."""
    history = (plan.followup or {}).get("history") or [start_point(plan.answers)]
    goals = []
    for number, name in enumerate(plan.activities, 1):
        ratings = [f"{_when(point)}: {a['rating']} of 10" for point in history for a in point["activities"]
                   if same_words(a["activity"]) == same_words(name)]
        goal = {"resourceType": "Goal", "id": f"activity-{number}", "lifecycleStatus": "active",
                "description": {"text": name}, "subject": _subject(plan)}
        if ratings:
            goal["note"] = [{"text": "How well the person can do it (0 is not at all, 10 is as well as before the "
                                     f"pain). {'; '.join(ratings)}."}]
        goals.append(goal)
    return goals


def care_plan(plan: Plan) -> dict:
    first, last = period(plan)
    weeks = ((last - first).days + 1) // 7
    goals = _goals(plan)
    resource = {
        "resourceType": "CarePlan",
        "id": f"plan-gen-{fingerprint(plan)}",
        "status": "active",
        "intent": "proposal",
        "title": "Home exercise plan for lower back pain",
        "description": f"A {weeks}-week home exercise plan made by plan-gen {__version__} from the person's "
                       "answers. It is not a diagnosis; a professional should check it before the person starts.",
        "subject": _subject(plan),
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "activity": _activities(plan),
        "note": [*_notes(reasons(plan)), *[{"text": f"{title}: {text}"} for title, text in cautions(plan)],
                 _made_with(plan)],
    }
    if goals:  # contained, so the CarePlan stays one file; each is referenced, as FHIR requires
        resource["contained"] = goals
        resource["goal"] = [{"reference": f"#{g['id']}", "display": g["description"]["text"]} for g in goals]
    return resource


def service_request(plan: Plan) -> dict:
    urgent = status(plan) == "urgent_care"
    return {
        "resourceType": "ServiceRequest",
        "id": f"plan-gen-{fingerprint(plan)}",
        "status": "active",
        "intent": "proposal",
        "priority": "stat" if urgent else "routine",
        "code": {"text": URGENT_HEADING if urgent else REFER_HEADING},
        "subject": _subject(plan),
        "reasonCode": [{"text": text} for _, text in referral_reasons(plan)],
        "patientInstruction": URGENT_INTRO if urgent else REFER_INTRO,
        "note": [*[{"text": f"{title}: {text}"} for title, text in cautions(plan)], _made_with(plan)],
    }


def plan_resource(plan: Plan) -> bytes:
    """`--format fhir`: a CarePlan for a plan, a ServiceRequest for a referral."""
    resource = care_plan(plan) if status(plan) == "plan" else service_request(plan)
    return canonical_json(resource).encode("utf-8")
