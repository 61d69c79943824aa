"""Questions generated from the answers schema, and checking one typed answer.

Adding a question means adding a property (with title and description) to
`answers.schema.json`; nothing here names a field. The schema's own
`x-interview` keyword says which properties come first (the warning signs)
and which are never asked.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from planner.answers import next_monday
from planner.jsonio import broken_text
from planner.validation import describe, validator

NONE_WORDS = {"none", "no", "nothing", "-", "0"}
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


class BadAnswer(ValueError):
    """What was typed does not fit the question; the message says what would."""


def label(value: Any) -> str:
    """A choice in plain words for a person (`bending_forward` -> `bending forward`); both are accepted."""
    return str(value).replace("_", " ")


def numbered(options: list[str]) -> str:
    return ", ".join(f"{i}) {label(c)}" for i, c in enumerate(options, 1))


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]
    schema: dict
    section: str | None  # the title of the group it belongs to, e.g. "Warning signs"

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def title(self) -> str:
        return self.schema.get("title", self.path[-1])

    @property
    def has_default(self) -> bool:
        return "default" in self.schema or self.schema.get("format") == "date"

    def parts(self) -> list[Question]:
        """For a "ratings" question: the questions about one item (its words, then its rating)."""
        items = self.schema["items"]
        return [Question((*self.path, name), {**sub, "x-required": True}, self.title)
                for name, sub in items["properties"].items()]

    def choices(self) -> list[str]:
        if "enum" in self.schema:
            return [str(v) for v in self.schema["enum"]]
        return [str(v) for v in self.schema.get("items", {}).get("enum", [])]

    def kind(self) -> str:
        s = self.schema
        if "enum" in s:
            return "choice"
        if s.get("type") == "array" and s.get("items", {}).get("type") == "object":
            return "ratings"  # a few things, each in the person's words with a 0-10 rating (the interview asks each)
        if s.get("type") == "array":
            return "choices"
        if s.get("format") == "date":
            return "date"
        return s.get("type", "string")

    def hint(self, today: dt.date) -> str:
        """What may be typed, and what Enter gives."""
        kind = self.kind()
        if kind == "boolean":
            text = "yes or no"
        elif kind == "choice":
            text = "type a number or the words: " + numbered(self.choices())
        elif kind == "choices":
            text = "any of " + numbered(self.choices()) + "; separate several with commas, or type none"
        elif kind == "date":
            text = "a date as YYYY-MM-DD"
        else:
            text = describe(self.schema)
        default = self.default_text(today)
        if default is not None:
            text += f"; press Enter for {default}"
        elif not self.required:
            text += "; press Enter to skip"
        return text

    @property
    def required(self) -> bool:
        return self.schema.get("x-required", True)

    def default_text(self, today: dt.date) -> str | None:
        if self.kind() == "date":
            return f"next Monday ({next_monday(today).isoformat()})"
        if "default" not in self.schema:
            return None
        value = self.schema["default"]
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(map(label, value)) if value else "none"
        return label(value) if self.kind() == "choice" else str(value)

    def parse(self, text: str) -> Any:
        """The typed text as a value that fits the schema, or `BadAnswer` saying why not.

        Returns `MISSING` when the person skips an optional question or takes the default.
        """
        text = text.strip()
        if broken_text(text):  # bytes that were not UTF-8, read with surrogateescape
            raise BadAnswer("What you typed holds characters that could not be read (not UTF-8 text). "
                            "Please type it again.")
        if not text:
            if self.has_default or not self.required:
                return MISSING
            raise BadAnswer("Please type an answer; this question cannot be skipped.")
        kind = self.kind()
        if kind == "boolean":
            word = text.lower()
            if word in YES:
                return True
            if word in NO:
                return False
            raise BadAnswer(f'"{text}" is not yes or no. Please type yes or no.')
        if kind == "choice":
            return self._one_choice(text)
        if kind == "choices":
            if text.lower() in NONE_WORDS:
                return []
            picked = []
            for part in (p.strip() for p in text.replace(";", ",").split(",")):
                if part and (value := self._one_choice(part)) not in picked:
                    picked.append(value)
            return picked
        if kind in ("integer", "number"):
            try:
                value: Any = float(text.replace(",", "."))
            except ValueError:
                raise BadAnswer(f'"{text}" is not {describe(self.schema)}.') from None
            if not math.isfinite(value):  # "nan" and "inf" parse as floats, and nan passes every range check
                raise BadAnswer(f'"{text}" is not {describe(self.schema)}.')
            if value.is_integer():  # 7.0 is the whole number 7, as in an answers file
                value = int(value)
            elif kind == "integer":
                raise BadAnswer(f'"{text}" is not {describe(self.schema)}.')
            return self._checked(value, text)
        return self._checked(text, text)

    def _one_choice(self, text: str) -> str:
        options = self.choices()
        if text.isdigit() and 1 <= int(text) <= len(options):
            return options[int(text) - 1]
        word = text.lower().replace(" ", "_").replace("-", "_")
        matches = [c for c in options if c == word] or [c for c in options if c.startswith(word)]
        if len(matches) == 1:
            return matches[0]
        raise BadAnswer(f'"{text}" is not one of the choices. Type a number or the words from: {numbered(options)}.')

    def _checked(self, value: Any, typed: str) -> Any:
        if list(validator(self.schema).iter_errors(value)):
            raise BadAnswer(f'"{typed}" is not allowed here. Please enter {describe(self.schema)}.')
        return value


MISSING = object()


def questions(schema: dict) -> list[Question]:
    """Every question the schema asks, warning signs first."""
    first: list[Question] = []
    rest: list[Question] = []
    for name, sub in schema["properties"].items():
        mark = sub.get("x-interview")
        if mark == "skip":
            continue
        target = first if mark == "first" else rest
        target.extend(_walk((name,), sub, name in schema.get("required", ()), None))
    return first + rest


def _walk(path: tuple[str, ...], schema: dict, required: bool, section: str | None) -> list[Question]:
    if schema.get("type") == "object" and "properties" in schema:
        inner = set(schema.get("required", ()))
        out = []
        for name, sub in schema["properties"].items():
            out += _walk((*path, name), sub, name in inner, schema.get("title"))
        return out
    return [Question(path, {**schema, "x-required": required}, section)]


def get(answers: dict, q: Question) -> Any:
    node: Any = answers
    for part in q.path:
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def put(answers: dict, q: Question, value: Any) -> None:
    node = answers
    for part in q.path[:-1]:
        node = node.setdefault(part, {})
    if value is MISSING:
        node.pop(q.path[-1], None)
    else:
        node[q.path[-1]] = value


def shown(q: Question, value: Any, today: dt.date) -> str:
    if value is MISSING:
        default = q.default_text(today)
        return f"{default} (default)" if default is not None else "(skipped)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if q.kind() == "ratings":
        return "; ".join(f"{a['activity']} ({a['rating']} of 10)" for a in value) or "none"
    if isinstance(value, list):
        return ", ".join(map(label, value)) if value else "none"
    return label(value) if q.kind() == "choice" else str(value)


def placeholder(q: Question) -> Any:
    """A neutral value for an unanswered question, used only to run the safety rules early."""
    s = q.schema
    if "default" in s:
        return s["default"]
    kind = q.kind()
    if kind == "boolean":
        return False
    if kind == "choice":
        return q.choices()[0]
    if kind == "choices":
        return []
    if kind in ("integer", "number"):
        return s.get("minimum", 0)
    return MISSING
