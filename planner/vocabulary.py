"""The words a rule file may use: facts, operators and actions.

This one list is the source for the rule-file JSON Schema (`rules_schema`),
for the engine's compiler (`planner.engine`), and for the
tests, so a rule can never name a fact or action the program does not know.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """A fact about one person that a condition may test."""

    kind: str  # "integer", "number", "boolean", "choice" or "choices" (a list of choices)
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


WORSE_WITH = ("sitting", "standing", "walking", "bending_forward", "bending_backward", "lifting", "lying_down")
EQUIPMENT = ("wall", "exercise_ball", "bench", "chair", "weights")
FREQUENCY = ("rarely", "sometimes", "often")
RED_FLAGS = (
    "bladder_or_bowel_change",
    "saddle_numbness",
    "leg_weakness_worsening",
    "fever_or_unwell",
    "unexplained_weight_loss",
    "cancer_history",
    "recent_fall_or_injury",
    "constant_night_pain",
)

FACTS: dict[str, Fact] = {
    "age": Fact("integer", 18, 100),
    "pain.level": Fact("integer", 0, 10),
    "pain.duration_weeks": Fact("integer", 0, 520),
    "pain.below_knee": Fact("boolean"),
    "pain.worse_with": Fact("choices", choices=WORSE_WITH),
    # Rules read version 2 answers (v1 files are upgraded first), where fever_or_unwell is named fever:
    # a rule on the old name would load and never match.
    **{f"red_flags.{name}": Fact("boolean") for name in RED_FLAGS if name != "fever_or_unwell"},
    "posture.sitting_hours": Fact("number", 0, 24),
    "posture.slouching": Fact("choice", choices=FREQUENCY),
    "posture.lifting": Fact("choice", choices=FREQUENCY),
    # "not_given" stands for an unanswered optional question, so rules can test it.
    "posture.footwear": Fact("choice", choices=("supportive", "heels", "worn_or_flat", "not_given")),
    "equipment": Fact("choices", choices=EQUIPMENT),
    "floor_ok": Fact("boolean"),
    "activity_level": Fact("choice", choices=("low", "moderate", "high")),
    "pregnant": Fact("boolean"),
    "recent_back_surgery": Fact("boolean"),
    "cleared_by_professional": Fact("boolean"),
    "plan.weeks": Fact("integer", 2, 16),
    "plan.days_per_week": Fact("integer", 2, 7),
    "plan.minutes_per_session": Fact("integer", 10, 60),
}

# Questionnaire version 2: the warning signs it added, how the pain has gone, the STarT Back scores
# (optional; absent scores never match a rule) and the questions a version 1 file never asked.
RED_FLAGS_V2 = (
    "urine_sensation_change",
    "sexual_function_change",
    "both_legs",
    "numbness_spreading",
    "fever",
    "infection_risk",
    "recent_infection",
    "upper_back_pain",
    "osteoporosis_or_steroids",
    "minor_fall",
    "leg_weakness_marked",
)
COURSE = ("first_episode", "improving", "examined")
NOT_ASKED = tuple(n for n in RED_FLAGS_V2 if n != "fever") + COURSE
FACTS.update({
    **{f"red_flags.{name}": Fact("boolean") for name in RED_FLAGS_V2},
    **{f"course.{name}": Fact("boolean") for name in COURSE},
    "start_back.total": Fact("integer", 0, 9),
    "start_back.psychosocial": Fact("integer", 0, 5),
    "not_asked": Fact("choices", choices=NOT_ASKED),
})

# Operator -> the fact kinds it applies to.
SCALAR = ("integer", "number", "boolean", "choice")
NUMERIC = ("integer", "number")
OPERATORS: dict[str, tuple[str, ...]] = {
    "is": SCALAR,
    "is_not": SCALAR,
    "at_least": NUMERIC,
    "at_most": NUMERIC,
    "above": NUMERIC,
    "below": NUMERIC,
    "one_of": ("integer", "choice"),
    "includes": ("choices",),
    "excludes": ("choices",),
}

STATUSES = ("urgent_care", "see_professional")
DOSE_FIELDS = ("sets", "reps", "hold_seconds")


def _ids(description: str) -> dict:
    return {"type": "array", "minItems": 1, "uniqueItems": True, "description": description,
            "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}}


PHASE_REF = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "description": "A phase id from settings.json."}

# Action -> the JSON Schema of its parameters. Python applies each one (planner.decide.HANDLERS).
ACTIONS: dict[str, dict] = {
    "set_status": {"enum": list(STATUSES), "description": "Stop: no exercises; refer instead."},
    "include": {
        "type": "object",
        "additionalProperties": False,
        "required": ["exercises"],
        "description": "Put exercises in the plan.",
        "properties": {
            "exercises": _ids("Exercise ids from the catalogue."),
            "from_phase": PHASE_REF,
            "until_phase": {**PHASE_REF, "description": "The phase in which the exercise leaves the plan."},
            "priority": {"type": "integer", "minimum": 1, "maximum": 9,
                         "description": "1 keeps it longest when time is short; 9 drops it first."},
        },
    },
    "exclude": {
        "type": "object",
        "additionalProperties": False,
        "description": "Keep exercises out, by id, tag, equipment or floor use; for the whole plan or until a phase "
                       "or week.",
        "minProperties": 1,
        "properties": {
            "exercises": _ids("Exercise ids from the catalogue."),
            "tags": _ids("Catalogue tags."),
            "equipment": _ids("Equipment names."),
            "needs_floor": {"const": True},
            "until_phase": PHASE_REF,
            "until_week": {"type": "integer", "minimum": 2, "maximum": 16},
        },
    },
    "set_dosing": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "description": "How doses start, rise and how high they go; the more cautious choice always wins.",
        "properties": {
            "start": {"enum": ["bottom", "base", "step_up"],
                      "description": "bottom: each amount at the low end of its range; base: the catalogue's "
                                     "base; step_up: one weekly step above the base."},
            "pace": {"enum": ["slow", "normal"],
                     "description": "normal: one step a week; slow: one step every second week, and each phase "
                                    "after the first a week later."},
            "ceiling": {"enum": ["below_top", "top"],
                        "description": "top: doses may reach the top of their range; below_top: one session of an "
                                       "exercise never holds more than below_top_work_share (settings.json) of "
                                       "the work at the top of its range, for the whole plan."},
        },
    },
    "set_dose": {
        "type": "object",
        "additionalProperties": False,
        "required": ["exercises"],
        "minProperties": 2,
        "description": "Change the starting dose of exercises (kept inside the catalogue range).",
        "properties": {
            "exercises": _ids("Exercise ids from the catalogue."),
            **{f: {"type": "integer", "minimum": 1, "maximum": 300} for f in DOSE_FIELDS},
        },
    },
    "enable_progression": {
        "type": "object",
        "additionalProperties": False,
        "required": ["exercises"],
        "description": "Print the catalogue's checkpoint for a harder version (ask a physiotherapist about a weight) "
                       "when the person has its equipment and still does the exercise in from_phase (default: the last "
                       "phase); never a scheduled dose.",
        "properties": {"exercises": _ids("Exercise ids from the catalogue."), "from_phase": PHASE_REF},
    },
    "add_caution": {
        "type": "object",
        "additionalProperties": False,
        "required": ["cautions"],
        "description": "Print general cautions; lower rank prints first.",
        "properties": {
            "cautions": _ids("Caution ids from catalogue/cautions.json."),
            "rank": {"type": "integer", "minimum": 0, "maximum": 99},
        },
    },
    "add_advice": {
        "type": "object",
        "additionalProperties": False,
        "required": ["advice"],
        "description": "Print daily-habit advice pages.",
        "properties": {"advice": _ids("Advice ids from catalogue/advice.json.")},
    },
}

# Triage (docs/triage.md): how soon a referral must be seen, and what a professional's clearance lifts.
TIME_FRAMES = ("now", "today", "soon")  # most urgent first
ACTIONS.update({
    "referral": {
        "type": "object",
        "additionalProperties": False,
        "required": ["time_frame"],
        "description": "With set_status: how soon to be seen (now: emergency; today: same day; soon: within one to "
                       "two weeks; the most urgent wins), and whether a professional's clearance can lift it.",
        "properties": {"time_frame": {"enum": list(TIME_FRAMES)}, "clearable": {"type": "boolean"}},
    },
    "relies_on_clearance": {
        "type": "string",
        "pattern": "^[a-z][a-z0-9_]*$",
        "description": "This plan is made only because a professional cleared the person for this (the plan names it).",
    },
})


# Where a rule writer finds the facts: printed by the schema and by the loader's "unknown fact" message.
FACTS_DOCUMENTED = ("plan-gen schema rules lists every fact; plan-gen schema answers says what each answers "
                    "field means; the check-in facts (checkin.*) are in docs/checkin.md")


def _condition_schema() -> dict:
    fact = {"title": "Fact", "enum": sorted(FACTS), "description": f"The fact a condition tests. {FACTS_DOCUMENTED}."}
    leaf_variants = [
        {"required": ["fact", op], "properties": {"fact": fact, op: {}}, "additionalProperties": False}
        for op in OPERATORS
    ]
    return {
        "title": "Condition",
        "description": "A test of one fact ({'fact': NAME, OPERATOR: VALUE}), all/any of several, or "
                     "{'always': true}.",
        "oneOf": [
            {"type": "object", "oneOf": leaf_variants},
            {"type": "object", "required": ["all"], "additionalProperties": False,
             "properties": {"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}}},
            {"type": "object", "required": ["any"], "additionalProperties": False,
             "properties": {"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}}},
            {"type": "object", "required": ["always"], "additionalProperties": False,
             "properties": {"always": {"const": True}}},
        ],
    }


def rules_schema() -> dict:
    """The JSON Schema of a rule file, built from the vocabulary above."""
    action_variants = [
        {"type": "object", "required": [name], "additionalProperties": False, "properties": {name: params}}
        for name, params in ACTIONS.items()
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "plan-gen rule file",
        "description": "A list of rules. Each rule: an id, a plain-language reason ('because') that the plan prints, "
                       "a condition ('when') and actions ('then').",
        "type": "object",
        "additionalProperties": False,
        "required": ["rules"],
        "properties": {
            "description": {"type": "string"},
            "rules": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "title": "Rule",
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "because", "when", "then"],
                    "properties": {
                        "id": {"title": "Rule id", "description": "Unique snake_case id.", "type": "string",
                               "pattern": "^[a-z][a-z0-9_]{1,59}$"},
                        "because": {"title": "Reason", "description": "One plain sentence the plan prints.",
                                    "type": "string", "minLength": 10, "maxLength": 300},
                        "when": {"$ref": "#/$defs/condition"},
                        "then": {"title": "Actions", "description": "What the rule does, from the action list.",
                                 "type": "array", "minItems": 1, "items": {"oneOf": action_variants}},
                    },
                },
            },
        },
        "$defs": {"condition": _condition_schema()},
    }


# Check-ins (planner/checkin.py): what a check-in tells the rules in rules/checkin/, beside the answers.
# Absent in a first plan's answers, so no plan rule can match them there.
COMPARED = ("better", "same", "worse")
CHECKIN_FACTS: dict[str, Fact] = {
    "checkin.pain_now": Fact("integer", 0, 10),
    "checkin.pain_change": Fact("integer", -10, 10),  # now minus the last rating (positive: worse)
    "checkin.pain_compared": Fact("choice", choices=COMPARED),
    "checkin.sessions_share": Fact("number", 0, 1),  # sessions done a week / sessions planned a week
    "checkin.settled_by_morning": Fact("boolean"),
    "checkin.any_hurt": Fact("boolean"),
    "checkin.any_too_hard": Fact("boolean"),
    "checkin.any_too_easy": Fact("boolean"),
}
FACTS.update(CHECKIN_FACTS)

BLOCKS = ("step_back", "repeat", "progress")  # most cautious first: the most cautious block wins
CHECKIN_ACTIONS: dict[str, dict] = {
    "next_block": {
        "type": "object",
        "additionalProperties": False,
        "required": ["doses"],
        "description": "How the next block's doses start: step_back (one week's doses back, rising more slowly), "
                       "repeat (the same doses again, held) or progress (on as planned). The most cautious wins.",
        "properties": {
            "doses": {"enum": list(BLOCKS)},
            "simpler_routine": {"type": "integer", "minimum": 3, "maximum": 6,
                                "description": "At most this many exercises a session in the next block."},
            "tips": {"type": "array", "minItems": 1, "maxItems": 4,
                     "items": {"type": "string", "minLength": 10, "maxLength": 200},
                     "description": "Plain tips printed with the changes (grade 8 or below)."},
        },
    },
    "hurting_exercises": {
        "enum": ["swap_or_remove"],
        "description": "Each exercise that hurt is swapped for a gentler one with the same aim (same category, "
                       "lower dose range), or left out when there is none.",
    },
    "too_easy_exercises": {
        "enum": ["step_on"],
        "description": "Each exercise that was too easy moves on one weekly step (never in a block that steps back).",
    },
    "too_hard_exercises": {
        "enum": ["step_back"],
        "description": "Each exercise that was too hard goes back one weekly step.",
    },
}


def checkin_rules_schema() -> dict:
    """The JSON Schema of a check-in rule file: the plan rules' shape with the check-in actions."""
    schema = rules_schema()
    item = schema["properties"]["rules"]["items"]
    item["properties"]["then"]["items"] = {"oneOf": [
        {"type": "object", "required": [name], "additionalProperties": False, "properties": {name: params}}
        for name, params in CHECKIN_ACTIONS.items()]}
    schema["title"] = "plan-gen check-in rule file"
    return schema
