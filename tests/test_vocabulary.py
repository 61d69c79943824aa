"""vocabulary.FACTS is written by hand beside the answers schema: these tests keep the two in step."""

from __future__ import annotations

from planner.answers import answers_schema
from planner.vocabulary import CHECKIN_FACTS
from planner.vocabulary import FACTS as ALL_FACTS

# The answers' facts; a check-in's facts (checkin.*) come from the check-in, not the answers schema.
FACTS = {name: fact for name, fact in ALL_FACTS.items() if name not in CHECKIN_FACTS}

# Answers fields no rule may test: bookkeeping, free text (the activities are in the person's own words; only the
# check-in chart reads them) and the calendar.
NOT_FACTS = {"schema_version", "id", "name", "plan.start_date", "activities"}


def _leaves(node: dict, path: str = "") -> dict[str, dict]:
    out = {}
    for key, sub in node.get("properties", {}).items():
        name = f"{path}.{key}" if path else key
        if sub.get("type") == "object" and "properties" in sub:
            out.update(_leaves(sub, name))
        else:
            out[name] = sub
    return out


def _fact_from_schema(sub: dict) -> tuple:
    """(kind, low, high, choices) as vocabulary.Fact would say it."""
    if sub.get("type") == "array":
        return "choices", None, None, tuple(sub["items"]["enum"])
    if "enum" in sub:
        return "choice", None, None, tuple(sub["enum"])
    if sub["type"] in ("integer", "number"):
        return sub["type"], sub["minimum"], sub["maximum"], ()
    return sub["type"], None, None, ()


def test_every_answer_is_a_fact_and_every_fact_an_answer():
    assert set(_leaves(answers_schema())) - NOT_FACTS == set(FACTS)


def test_each_fact_has_the_kind_range_and_choices_of_its_answer():
    leaves = _leaves(answers_schema())
    for name, fact in FACTS.items():
        kind, low, high, choices = _fact_from_schema(leaves[name])
        assert (fact.kind, fact.low, fact.high) == (kind, low, high), name
        # An optional choice may add "not_given", so rules can test an unanswered question.
        assert tuple(c for c in fact.choices if c != "not_given") == choices, name
        if "not_given" in fact.choices:
            assert name not in _required(name), name


def _required(name: str) -> set[str]:
    """The dotted names of required fields in the object that holds `name`."""
    node = answers_schema()
    *parents, _ = name.split(".")
    for part in parents:
        node = node["properties"][part]
    prefix = ".".join(parents)
    return {f"{prefix}.{r}" if prefix else r for r in node.get("required", [])}


def test_checkin_facts_are_only_the_checkin_namespace():
    assert CHECKIN_FACTS and all(name.startswith("checkin.") for name in CHECKIN_FACTS)
    assert set(CHECKIN_FACTS) <= set(ALL_FACTS)
