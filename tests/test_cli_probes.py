"""Odd values a user may type for today's options: each a clear message and the right exit code, never a
traceback or an "Internal error", and nothing written."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from planner.cli import cli

CHECKIN = str(EXAMPLES / "checkins" / "office_worker_week2.json")
SECONDS = "is not a number of seconds from 0 (no limit) to 86400 (a day), for example 120"


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "86401", "-1", "abc", ""])
@pytest.mark.parametrize("command", [["batch", str(EXAMPLES / "minimal.json")], ["checkin", "--batch", "p", "c"]])
def test_a_timeout_no_timer_can_hold_is_a_usage_error(runner, tmp_path, monkeypatch, command, value):
    """nan, inf and huge values went to the timers, which raised (exit 3, "a bug in plan-gen")."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [*command, "--out-dir", "out", "--timeout", value])
    assert result.exit_code == 2, result.output
    assert f"Error: Invalid value for '--timeout': {value!r} {SECONDS}" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, seconds", [("0", 0.0), ("86400", 86400.0), (" 2.5", 2.5)])
def test_a_timeout_in_range_is_read_as_seconds(value, seconds):
    from planner.cli_common import Seconds

    assert Seconds().convert(value, None, None) == seconds


def test_checkin_help_says_the_timeout_is_for_each_check_in_of_a_batch(runner):
    """It read "--batch, seconds: the longest one input may take"."""
    result = runner.invoke(cli, ["checkin", "--help"], terminal_width=200)
    assert "--batch: the most seconds one check-in may take (0: no limit; 86400, a day, at most)." in result.output
    batch = runner.invoke(cli, ["batch", "--help"], terminal_width=200).output
    assert "The most seconds one input may take (0: no limit; 86400, a day, at most)." in batch


def test_checkin_takes_dash_o_for_its_out_dir_as_batch_does(runner, tmp_path, monkeypatch):
    """`plan-gen batch ... -o out` then `plan-gen checkin ... -o out` was "No such option '-o'" (exit 2)."""
    monkeypatch.chdir(tmp_path)
    _office_plan(runner)
    result = runner.invoke(cli, ["checkin", "plans/office_worker.json", CHECKIN, "-o", "next", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output == "check-in 1: a plan; wrote next/office_worker-block1.json\n"
    assert sorted(p.name for p in (tmp_path / "next").iterdir()) == ["office_worker-block1.json"]


@pytest.mark.parametrize("printed, messages", [
    ({"page_size": "a3", "large_print": False}, ['at printed.page_size: got "a3"; allowed: one of a4, letter']),
    ("a4", ['at printed: got text ("a4"); allowed: an object with the fields large_print, page_size']),
    ({"page_size": "a4"}, ["at printed.large_print: missing; required: true or false"]),
    ({"page_size": "letter", "large_print": "yes"}, ['at printed.large_print: got text ("yes"); allowed: true or '
                                                     "false"]),
])
def test_a_plan_whose_printed_is_malformed_is_refused_naming_the_file_and_field(runner, tmp_path, monkeypatch,
                                                                                printed, messages):
    """checkin reads `printed` to print the next block the same way: a hand-edited one is a user error."""
    import json

    monkeypatch.chdir(tmp_path)
    _office_plan(runner)
    plan = json.loads((tmp_path / "plans" / "office_worker.json").read_text())
    (tmp_path / "plans" / "office_worker.json").write_text(json.dumps({**plan, "printed": printed}))
    result = runner.invoke(cli, ["checkin", "plans/office_worker.json", CHECKIN])
    assert result.exit_code == 1
    assert result.output == "Error: " + "\n".join(f"plans/office_worker.json: {m}" for m in messages) + "\n"
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["office_worker.json"]



@pytest.mark.parametrize("options, named", [(["--report", "r.json"], "--report is"),
                                            (["--timeout", "5"], "--timeout is"),
                                            (["-j", "2", "-q"], "--jobs and --quiet are")])
def test_batch_only_options_on_one_check_in_are_a_usage_error(runner, tmp_path, monkeypatch, options, named):
    """They were silently ignored: a --report asked for was never written, and nothing said so."""
    monkeypatch.chdir(tmp_path)
    _office_plan(runner)
    result = runner.invoke(cli, ["checkin", "plans/office_worker.json", CHECKIN, "-o", "next", *options])
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: {named} for --batch (many check-ins at once); one check-in writes no "
                                  "report and has no time limit\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


def _office_plan(runner) -> None:
    """plans/office_worker.json, as plan-gen batch writes it, in the current folder."""
    result = runner.invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "-o", "plans", "--format", "json"])
    assert result.exit_code == 0, result.output


def test_whole_numbers_written_with_a_point_are_read_as_whole_numbers(rules_copy, tmp_path):
    """JSON Schema counts 3.0 as an integer, so a clinic's "starts_week": 3.0 or "range": [11.0, 15.0] passed
    every check and then ended in an internal error (range() needs an int), or printed "rest 60.0 s"."""
    import json
    import shutil

    from conftest import REPO, TODAY
    from planner.answers import load_answers
    from planner.build import make_plan
    from planner.catalogue import load_catalogue, shipped_catalogue
    from planner.render_json import plan_to_dict
    from planner.rules import load_rulebook

    catalogue = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", catalogue, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    bridge = catalogue / "exercises" / "bridge.json"
    data = json.loads(bridge.read_text())
    data["dose"].update({"reps": {"base": 15.0, "range": [11.0, 15.0]}, "step": {"sets": 1.0, "reps": 2.0},
                         "rest_seconds": 60.0})
    bridge.write_text(json.dumps(data))
    settings = json.loads((rules_copy / "settings.json").read_text())
    settings["phases"][1]["starts_week"] = float(settings["phases"][1]["starts_week"])
    settings["max_exercises_per_session"] = 6.0
    (rules_copy / "settings.json").write_text(json.dumps(settings))
    assert "3.0" in (rules_copy / "settings.json").read_text() and "60.0" in bridge.read_text()

    answers = load_answers(EXAMPLES / "office_worker.json")
    cat = load_catalogue(catalogue)
    edited = plan_to_dict(make_plan(answers, TODAY, rulebook=load_rulebook(cat, rules_copy), catalogue=cat))
    shipped = plan_to_dict(make_plan(answers, TODAY))
    for key in ("weeks", "exercises", "phases"):
        assert json.dumps(edited[key]) == json.dumps(shipped[key]), key
    assert load_catalogue(catalogue).exercises["bridge"].dose.rest_seconds == 60
    assert type(load_catalogue(catalogue).exercises["bridge"].dose.rest_seconds) is int
    assert shipped_catalogue().exercises["bridge"].dose.rest_seconds == 60
