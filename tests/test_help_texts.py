"""Help texts say what the commands really take and do; folder messages name what the user typed."""

from __future__ import annotations

import re

import pytest

from planner.cli import cli


def _help(runner, *command: str) -> str:
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # click wraps lines to the terminal: compare the words


def test_schema_help_names_every_kind_it_prints(runner):
    text = _help(runner, "schema")
    assert "answers (default), catalogue, rules, plan, clinic (for --clinic) or checkin (the check-in questions)" \
        in text


@pytest.mark.parametrize("command", ["batch", "validate"])
def test_batch_and_validate_help_name_csv_and_fhir_inputs(runner, command):
    text = _help(runner, command)
    assert "CSV files (*.csv, one person a row under a header of field paths: plan-gen schema --format csv)" in text
    assert "(*.json: an answers object or a FHIR QuestionnaireResponse)" in text


def test_interview_help_says_answers_are_saved_only_with_save_answers(runner):
    text = _help(runner, "interview")
    assert "With --save-answers the answers are saved before the plan is made (nothing is saved without it)." in text
    assert "you can correct any answer before the plan is made. The answers are saved" not in text


def test_a_missing_rules_folder_is_named_as_it_was_given(runner):
    argument = runner.invoke(cli, ["rules", "check", "nothere"])
    assert argument.exit_code == 1
    assert argument.output == "Error: nothere: no such folder; name a folder made by plan-gen rules export\n"
    option = runner.invoke(cli, ["rules", "test", "--rules", "nothere"])
    assert option.exit_code == 1
    assert option.output == "Error: --rules nothere: no such folder; name a folder made by plan-gen rules export\n"
    variable = runner.invoke(cli, ["rules", "check"], env={"PLAN_GEN_RULES": "nothere"})
    assert variable.output == "Error: PLAN_GEN_RULES nothere: no such folder; name a folder made by plan-gen " \
        "rules export\n"


def test_export_into_a_used_folder_names_a_few_files_one_a_line(runner, tmp_path):
    folder = tmp_path / "ours"
    first = runner.invoke(cli, ["rules", "export", str(folder)])
    total = int(re.match(r"(\d+) files written", first.output).group(1))
    again = runner.invoke(cli, ["rules", "export", str(folder)])
    assert again.exit_code == 1
    lines = again.output.splitlines()
    assert lines[0] == (f"Error: rules export: files that exist already in {folder} ({total} of the {total} to "
                        "write) are never replaced, so nothing was written:")
    assert lines[1:] == [f"  {folder / '10_triage.json'}", f"  {folder / '15_clearance.json'}",
                         f"  {folder / '20_constraints.json'}", f"  {folder / '30_choice.json'}",
                         f"  {folder / '40_protect.json'}", f"  and {total - 5} more", "Choose a new folder."]


def test_export_names_a_single_file_in_the_way_and_writes_nothing(runner, tmp_path):
    fresh = runner.invoke(cli, ["rules", "export", str(tmp_path / "fresh")])
    total = int(re.match(r"(\d+) files written", fresh.output).group(1))
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "settings.json").write_text("{}")
    again = runner.invoke(cli, ["rules", "export", str(folder)])
    assert again.exit_code == 1
    assert again.output.splitlines() == [
        f"Error: rules export: files that exist already in {folder} (1 of the {total} to write) are never "
        "replaced, so nothing was written:", f"  {folder / 'settings.json'}", "Choose a new folder."]
    assert [p.name for p in folder.iterdir()] == ["settings.json"]
