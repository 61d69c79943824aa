"""Guards for what made plan-gen fast, none of them timed: start-up imports only what a command uses,
the shipped schemas are checked here (not at every start), and caches never change a PDF's bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from importlib.resources import files

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from conftest import EXAMPLES, TODAY
from planner.answers import load_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.json_text import indented
from planner.jsonio import canonical_json
from planner.pdf import paragraph
from planner.pdf.cards import card_figure
from planner.pdf.render import render_pdf
from planner.rules import SETTINGS_SCHEMA
from planner.vocabulary import rules_schema

HEAVY = ("reportlab", "durable", "icalendar", "PIL")


# `python -c` puts its working folder first on sys.path: run from the repository, it would import the source
# tree's planner, which lacks the rules and catalogue a non-editable install maps into planner.data (CI).
NEUTRAL = tempfile.gettempdir()


def loaded_after(code: str) -> list[str]:
    """The heavy packages a fresh interpreter holds after running `code`."""
    probe = (f"import sys\n{code}\n"
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=NEUTRAL).stdout
    return json.loads(out.strip().splitlines()[-1].replace("'", '"'))  # the last line: after any command output


def test_importing_the_cli_loads_no_pdf_rules_or_calendar_package():
    assert loaded_after("import planner.cli") == []


@pytest.mark.parametrize("args", [["--help"], ["schema"], ["schema", "--format", "csv"], ["catalogue"],
                                  ["validate", str(EXAMPLES / "office_worker.json")],
                                  ["upgrade", "--help"]])
def test_light_commands_start_without_reportlab_durable_rules_or_icalendar(args):
    code = ("from planner.cli import cli\n"
            f"try:\n    cli({args!r}, prog_name='plan-gen', standalone_mode=False)\n"
            "except SystemExit:\n    pass\n")
    assert loaded_after(code) == []


def test_a_json_batch_loads_no_pdf_package(tmp_path):
    args = ["batch", str(EXAMPLES / "office_worker.json"), "-q", "--format", "json", "-o", str(tmp_path)]
    code = ("from planner.cli import cli\n"
            f"try:\n    cli({args!r}, prog_name='plan-gen', standalone_mode=False)\n"
            "except SystemExit:\n    pass\n")
    assert loaded_after(code) == ["durable"]
    assert (tmp_path / "office_worker.json").is_file()


def modules_after(args: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of `packages` a fresh interpreter holds after running plan-gen with `args`."""
    probe = ("import sys\nfrom planner.cli import cli\n"
             f"try:\n    cli({args!r}, prog_name='plan-gen', standalone_mode=False)\nexcept SystemExit:\n    pass\n"
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=NEUTRAL).stdout
    return json.loads(out.strip().splitlines()[-1].replace("'", '"'))


def test_one_input_runs_in_this_process_without_loading_the_pool(tmp_path):
    """One input never starts workers whatever --jobs says, so the pool's modules are not even loaded."""
    args = ["batch", str(EXAMPLES / "minimal.json"), "-q", "-j", "4", "--format", "json", "-o", str(tmp_path)]
    assert modules_after(args, ("multiprocessing", "concurrent")) == []
    assert (tmp_path / "minimal.json").is_file()


def shipped_schemas() -> dict[str, dict]:
    """Every JSON Schema plan-gen validates its data or a user's input against."""
    found = {item.name: json.loads(item.read_text(encoding="utf-8"))
             for item in files("planner.schemas").iterdir() if item.name.endswith(".schema.json")}
    found["rules (built from the vocabulary)"] = rules_schema()
    found["rules/settings.json"] = SETTINGS_SCHEMA
    return found


def test_every_shipped_schema_is_found():
    assert {"answers.schema.json", "answers.v1.schema.json", "catalogue.schema.json", "clinic.schema.json",
            "plan.schema.json"} <= set(shipped_schemas())


@pytest.mark.parametrize("name", sorted(shipped_schemas()))
def test_shipped_schema_is_valid_against_its_metaschema(name):
    """planner.validation no longer checks a schema before using it (it took most of start-up), so a
    broken shipped schema must fail here."""
    schema = shipped_schemas()[name]
    assert schema.get("$schema", "https://json-schema.org/draft/2020-12/schema").endswith("2020-12/schema")
    Draft202012Validator.check_schema(schema)


def test_the_metaschema_check_catches_a_broken_schema():
    broken = {**shipped_schemas()["clinic.schema.json"], "required": "clinic_name"}  # must be a list
    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema(broken)


def test_a_pdf_is_the_same_bytes_whatever_was_rendered_before():
    """Figures and paragraph layouts are cached per process: rendering A, then others, then A again
    must give A's bytes twice. A is split across pages where a shared layout once went wrong (letter
    paper); the others are every example, in both sizes of type."""
    catalogue = shipped_catalogue()
    card_figure.cache_clear()  # cold: A's first render draws each figure's shapes and records the calls,
    paragraph._PARSED.clear()  # its second replays them and reuses every paragraph's layout
    paragraph._LAID_OUT.clear()
    a = make_plan(load_answers(EXAMPLES / "acute_high_pain.json"), TODAY)
    first, _ = render_pdf(a, catalogue, page_size="letter")
    for path in sorted(EXAMPLES.glob("*.json")):
        plan = make_plan(load_answers(path), TODAY)
        for large_print in (False, True):
            render_pdf(plan, catalogue, page_size="letter", large_print=large_print)
    again, _ = render_pdf(a, catalogue, page_size="letter")
    assert first == again


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=())),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
@example({"x": [{"a": "},\n    {", "b": 1.5}, {"c": "}", "d": None}, {"e": [1]}], "y": [{"z": True}]})
@example([[{"a": "}"}, {"b": "{"}], [{}], [{"c": 1}, {}]])
def test_the_fast_json_writer_gives_json_dumps_text(value):
    assert canonical_json(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=3), st.integers() | st.text(max_size=3), min_size=1, max_size=3),
                min_size=1, max_size=3))
def test_a_list_of_records_met_twice_is_written_right_at_each_indent(records):
    """plan_to_dict shares one list among a week's sessions of a routine: the same object met at several
    indents is written at each one's own."""
    value = {"a": records, "b": [records, {"c": records}], "d": records}
    assert canonical_json(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES, st.sampled_from(["", "  ", "      "]))
def test_a_value_written_inside_a_larger_text_is_indented_from_its_line(value, pad):
    """render_json writes each top-level value with `pad`: every line after the first moves right by it."""
    assert indented(value, pad) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).replace(
        "\n", "\n" + pad)


def test_the_fast_json_writer_refuses_what_json_refuses():
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"a": object()})
    assert canonical_json({1: "x"}) == json.dumps({1: "x"}, indent=2, sort_keys=True) + "\n"


def test_a_valid_input_with_the_shipped_data_never_loads_jsonschema(tmp_path):
    """The stamped shipped data skips its schema check and valid answers pass the quick check
    (validation.meets): jsonschema, a tenth of a one-file batch's start, is not even imported."""
    args = ["batch", str(EXAMPLES / "office_worker.json"), "-q", "-o", str(tmp_path)]
    assert modules_after(args, ("jsonschema",)) == []
    assert (tmp_path / "office_worker.pdf").is_file()


def test_drawings_skip_reportlabs_attribute_checks_unless_asked():
    """planner.pdf turns reportlab's `shapeChecking` off (a figure took three times as long), before
    reportlab loads its settings; RL_shapeChecking in the environment wins."""
    probe = "import planner.pdf.render\nfrom reportlab import rl_config\nprint(rl_config.shapeChecking)"
    env = {k: v for k, v in os.environ.items() if k != "RL_shapeChecking"}
    for extra, expected in (({}, "0"), ({"RL_shapeChecking": "1"}, "1")):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                             cwd=NEUTRAL, env={**env, **extra}).stdout
        assert out.split() == [expected]


def test_every_figure_and_a_checkin_chart_draw_the_same_bytes_with_reportlabs_checks_on(tmp_path):
    """With the checks on, a wrong attribute in a figure or chart raises; with them off it would pass
    silently. So every catalogue figure and a check-in's chart are drawn both ways, to the same bytes."""
    plan_gen = [sys.executable, "-m", "planner"]
    env = {k: v for k, v in os.environ.items() if k != "RL_shapeChecking"} | {"SOURCE_DATE_EPOCH": "1795651200"}
    subprocess.run([*plan_gen, "batch", str(EXAMPLES / "office_worker.json"), "-q", "--format", "json", "-o",
                    str(tmp_path / "plan")], check=True, capture_output=True, cwd=NEUTRAL, env=env)
    made = {}
    for checks in ("0", "1"):
        out = tmp_path / checks
        for args in (["figures", "--out", str(out)],
                     ["checkin", str(tmp_path / "plan" / "office_worker.json"),
                      str(EXAMPLES / "checkins" / "office_worker_week2.json"), "--format", "pdf", "-o", str(out)]):
            subprocess.run([*plan_gen, *args], check=True, capture_output=True, cwd=NEUTRAL,
                           env=env | {"RL_shapeChecking": checks})
        made[checks] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert "figures.pdf" in made["1"] and any(name.endswith("-block1.pdf") for name in made["1"])
    assert made["0"] == made["1"]
