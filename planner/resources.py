"""Where plan-gen's data lives: schemas, rules and catalogue, as package data.

`rules/` and `catalogue/` sit at the top of the repository so clinicians find
them; pyproject maps them into the installed package as `planner.data.rules`
and `planner.data.catalogue`, so `importlib.resources` finds them both in a checkout
(editable install) and in a plain `pip install .`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

SCHEMAS = "planner.schemas"
RULES = "planner.data.rules"
CATALOGUE = "planner.data.catalogue"


def data_root(package: str) -> Traversable:
    return files(package)


def schema(name: str) -> dict:
    """A JSON Schema shipped in `planner/schemas`, by file stem: a new copy each call, the caller's to change."""
    return json.loads(_schema_text(name))


@cache
def shared_schema(name: str) -> dict:
    """The same schema, parsed once per process and shared by every caller: to read, never to change."""
    return schema(name)


@cache
def _schema_text(name: str) -> str:
    """Read once per process (a batch asked for the answers schema twice a record); as many as there are schemas."""
    return (files(SCHEMAS) / f"{name}.schema.json").read_text(encoding="utf-8")
