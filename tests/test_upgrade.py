"""Questionnaire version 1 still works everywhere, and `plan-gen upgrade` writes version 2 files."""

from __future__ import annotations

import json

from conftest import BASE_ANSWERS_V1, EXAMPLES, TODAY
from planner import resources
from planner.answers import check_answers, load_answers
from planner.build import make_plan
from planner.cli import cli
from planner.render_json import plan_json
from planner.validation import schema_problems
from planner.vocabulary import NOT_ASKED

V1_EXAMPLE = EXAMPLES / "older_adult_no_floor.json"


def test_a_version_1_example_is_kept_so_version_1_stays_tested():
    assert json.loads(V1_EXAMPLE.read_text())["schema_version"] == 1


def test_a_version_1_plan_names_every_question_it_never_asked():
    plan = make_plan(load_answers(V1_EXAMPLE), TODAY)
    assert plan.status == "plan"
    caution = next(c for c in plan.cautions if c.id == "questions_not_asked")
    assert plan.cautions.index(caution) <= 1  # near the top, not buried
    for title in ("Feeling when passing urine", "Pain or numbness in both legs", "Thin bones or steroid tablets",
                  "First bout like this"):
        assert title in caution.text
    assert len(plan.triage.not_asked) == len(NOT_ASKED)


def test_version_1_fever_or_unwell_is_read_as_a_fever_today():
    data = json.loads(json.dumps(BASE_ANSWERS_V1))
    data["red_flags"]["fever_or_unwell"] = True
    plan = make_plan(check_answers(data, "v1.json"), TODAY)
    assert (plan.status, plan.triage.time_frame) == ("see_professional", "today")


def test_validate_batch_and_explain_accept_version_1(runner, tmp_path):
    assert runner.invoke(cli, ["validate", str(V1_EXAMPLE)]).exit_code == 0
    result = runner.invoke(cli, ["batch", str(V1_EXAMPLE), "--out-dir", str(tmp_path), "--format", "json", "-j", "1"])
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "older_adult_no_floor.json").read_text())
    assert "Feeling when passing urine" in written["triage"]["not_asked"]
    explained = runner.invoke(cli, ["explain", str(V1_EXAMPLE)])
    assert explained.exit_code == 0 and "questions_not_asked" in explained.output


def test_a_bad_version_1_file_is_judged_by_the_version_1_contract(runner, tmp_path):
    data = json.loads(json.dumps(BASE_ANSWERS_V1))
    del data["red_flags"]["fever_or_unwell"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: at red_flags.fever_or_unwell: missing" in result.output


def test_upgrade_round_trip_gives_the_same_plan_and_marks_unasked_questions(runner, tmp_path):
    source = tmp_path / "old.json"
    source.write_bytes(V1_EXAMPLE.read_bytes())
    result = runner.invoke(cli, ["upgrade", str(source)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "old.v2.json"
    upgraded = json.loads(target.read_text())
    assert upgraded["schema_version"] == 2
    assert schema_problems(upgraded, resources.schema("answers"), "x") == []
    assert upgraded["not_asked"] == list(NOT_ASKED)
    assert "fever_or_unwell" not in upgraded["red_flags"] and upgraded["red_flags"]["fever"] is False
    assert source.read_bytes() == V1_EXAMPLE.read_bytes()  # the original is untouched
    assert plan_json(make_plan(load_answers(target), TODAY)) == plan_json(make_plan(load_answers(source), TODAY))


def test_upgrade_never_replaces_a_file_unless_asked(runner, tmp_path):
    source = tmp_path / "old.json"
    source.write_bytes(V1_EXAMPLE.read_bytes())
    (tmp_path / "old.v2.json").write_text("keep me")
    result = runner.invoke(cli, ["upgrade", str(source)])
    assert result.exit_code == 1
    assert "already exists; add --overwrite" in result.output
    assert (tmp_path / "old.v2.json").read_text() == "keep me"
    in_place = runner.invoke(cli, ["upgrade", str(source), "--out-dir", str(tmp_path)])
    assert in_place.exit_code == 1 and "would replace it" in in_place.output
    assert json.loads(source.read_text())["schema_version"] == 1
    forced = runner.invoke(cli, ["upgrade", str(source), "--overwrite"])
    assert forced.exit_code == 0, forced.output
    assert json.loads((tmp_path / "old.v2.json").read_text())["schema_version"] == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left


def test_upgrade_leaves_version_2_alone_and_reports_bad_files(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "age": 7}')
    result = runner.invoke(cli, ["upgrade", str(EXAMPLES / "minimal.json"), str(bad), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "minimal.json: already version 2; nothing written" in result.output
    assert f"{bad}: at age: got 7" in result.output
    assert not (tmp_path / "o").exists()


def test_the_interview_asks_the_questions_an_upgraded_file_never_asked(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner.invoke(cli, ["upgrade", str(V1_EXAMPLE), "--out-dir", str(tmp_path)])
    lines = ["n"] * 10 + ["", "", "", ""] + ["no", "yes", "yes", "", ""]  # signs, optional ones, course,
    # activities (version 1 never asked: skipped here), review
    result = runner.invoke(cli, ["interview", "--answers", "older_adult_no_floor.json", "--save-answers", "new.json"],
                           input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Feeling when passing urine" in result.output
    saved = load_answers(tmp_path / "new.json")
    assert saved["not_asked"] == [] and saved["course"] == {"first_episode": False, "improving": True,
                                                             "examined": True}


def test_the_interview_starts_from_a_version_1_file_and_asks_only_the_new_questions(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = ["n"] * 10 + ["", "", "", ""] + ["no", "yes", "yes", "", ""]  # signs, optional ones, course,
    # activities (version 1 never asked: skipped here), review
    result = runner.invoke(cli, ["interview", "--answers", str(V1_EXAMPLE), "--save-answers", "new.json"],
                           input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "Warning signs: Feeling when passing urine" in result.output
    assert "Warning signs: Temperature of 38" not in result.output  # version 1 asked about fever
    saved = json.loads((tmp_path / "new.json").read_text())
    assert saved["schema_version"] == 2 and saved["red_flags"]["fever"] is False
    assert saved["age"] == json.loads(V1_EXAMPLE.read_text())["age"]
