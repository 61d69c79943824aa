"""The answers schema as a flat list of fields, for formats that have no nesting.

A CSV column and a FHIR Questionnaire item both stand for one leaf of the
answers (`pain.level`, `red_flags.saddle_numbness`). Both are derived here
from the shipped JSON Schema, never from a hand-kept list, so a field added
to the schema reaches every format at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from planner.answers import Answers, answers_schema

# What a cell or a FHIR answer holds, decided from the schema node.
BOOLEAN, INTEGER, NUMBER, TEXT, DATE, CHOICE, CHOICES, CONST = (
    "boolean", "integer", "number", "text", "date", "choice", "choices", "const")
# A list of small objects, each a text and a whole number (the activities and how well the person does each):
# one field, since a CSV cell or a FHIR repeating group holds the whole list.
RATINGS = "ratings"


@dataclass(frozen=True)
class Field:
    """One leaf of the answers: where it sits, what it holds, and how the schema describes it."""

    path: str  # dotted: "pain.level"
    kind: str
    node: dict = field(compare=False, repr=False)
    required: bool = False  # required, and every object above it is required too
    choices: tuple[str, ...] = ()

    @property
    def keys(self) -> list[str]:
        return self.path.split(".")

    @property
    def title(self) -> str:
        return self.node.get("title", self.path)

    @property
    def parts(self) -> tuple[tuple[str, dict], ...]:
        """RATINGS: each item's properties, the text first, then the number ((name, schema node), ...)."""
        props = self.node.get("items", {}).get("properties", {})
        return tuple(sorted(props.items(), key=lambda kv: kv[1].get("type") != "string"))


def kind_of_node(node: dict) -> tuple[str, tuple[str, ...]]:
    """The field kind and, for choices, the allowed values."""
    if "const" in node:
        return CONST, ()
    if "enum" in node:
        return CHOICE, tuple(str(v) for v in node["enum"])
    kind = node.get("type")
    if kind == "array" and node.get("items", {}).get("type") == "object":
        return RATINGS, ()
    if kind == "array":
        return CHOICES, tuple(str(v) for v in node.get("items", {}).get("enum", ()))
    if kind == "boolean":
        return BOOLEAN, ()
    if kind == "integer":
        return INTEGER, ()
    if kind == "number":
        return NUMBER, ()
    if kind == "string" and node.get("format") == "date":
        return DATE, ()
    return TEXT, ()


def _walk(node: dict, prefix: str, required: bool) -> Iterator[Field]:
    needed = set(node.get("required", ()))
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        is_required = required and name in needed
        if sub.get("type") == "object" and "properties" in sub:
            yield from _walk(sub, f"{path}.", is_required)
        else:
            kind, choices = kind_of_node(sub)
            yield Field(path, kind, sub, is_required, choices)


def answer_fields(schema: dict | None = None) -> list[Field]:
    """Every leaf field of the answers schema, in the schema's order."""
    return list(_walk(schema or answers_schema(), "", True))


def put(answers: Answers, keys: list[str], value: Any) -> None:
    """Set a nested value, creating the objects above it."""
    node = answers
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def get(answers: Answers, keys: list[str]) -> Any:
    """A nested value, or None when any part of the path is absent."""
    node: Any = answers
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node
