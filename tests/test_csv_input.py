"""CSV input: spreadsheets and survey exports give the same plans as JSON, and errors name row and column."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASE_ANSWERS, EXAMPLES
from planner import resources
from planner.answers import check_answers
from planner.cli import cli
from planner.csv_input import column_name, to_csv
from planner.fields import BOOLEAN, CHOICE, CHOICES, CONST, DATE, INTEGER, NUMBER, RATINGS, answer_fields, put
from planner.inputs import check_files

EPOCH = {"SOURCE_DATE_EPOCH": "1795651200"}
ACTIVITIES = ["Putting on socks", "Work: sitting for an hour", 'Lifting "Mia", my daughter', "Gärtnern",
              "Walking 2 km, to the shop"]
NAMES = ["Ana Souza", "O'Neil, Sam", 'Zoë "Z" Ng', "Иван\nПетров", "Ελένη Π.", "Łukasz; Nowak"]


def random_person(rng: random.Random, index: int) -> dict:
    """A random valid person drawn from the schema itself, so new fields are covered too."""
    data: dict = {}
    skipped: dict[str, bool] = {}  # an optional field, or an optional object as a whole (start_back), is left out
    for f in answer_fields():
        node = f.node
        group = f.keys[0] if len(f.keys) > 1 and not f.required and f.keys[0] not in ("pain", "posture", "plan") \
            else f.path
        if f.path == "id":
            value = f"p{index:02d}"
        elif not f.required and skipped.setdefault(group, rng.random() < 0.3):
            continue
        elif f.kind == CONST:
            value = node["const"]
        elif f.kind == BOOLEAN:
            value = rng.random() < (0.03 if f.path.startswith("red_flags.") else 0.3)
        elif f.kind == INTEGER:
            value = rng.randint(node.get("minimum", 0), min(node.get("maximum", 100), node.get("minimum", 0) + 30))
        elif f.kind == NUMBER:
            value = rng.choice([rng.randint(0, 12), round(rng.uniform(0, 12), 2)])
        elif f.kind == CHOICE:
            value = rng.choice(f.choices)
        elif f.kind == CHOICES:
            value = rng.sample(list(f.choices), rng.randint(0, len(f.choices)))
        elif f.kind == RATINGS:  # a colon, a comma and quotes in the words; a cell's items are split at ";"
            value = [{"activity": a, "rating": rng.randint(0, 10)}
                     for a in rng.sample(ACTIVITIES, rng.randint(0, f.node["maxItems"]))]
        elif f.kind == DATE:
            value = (dt.date(2027, 1, 4) + dt.timedelta(days=rng.randint(0, 60))).isoformat()
        else:
            value = rng.choice(NAMES)
        put(data, f.keys, value)
    check_answers(data, f"person {index}")  # the generator itself must make valid people
    return data


def run(runner, args):
    return runner.invoke(cli, args, catch_exceptions=False)


def test_fifty_people_as_csv_and_as_jsonl_give_identical_plans(runner, tmp_path, monkeypatch):
    for key, value in EPOCH.items():
        monkeypatch.setenv(key, value)
    rng = random.Random(16)
    people = [random_person(rng, i) for i in range(50)]
    (tmp_path / "people.jsonl").write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in people) + "\n",
                                           encoding="utf-8")
    (tmp_path / "people.csv").write_text(to_csv(people), encoding="utf-8")
    (tmp_path / "alias.csv").write_text(to_csv(people, alias=True).replace("\n", "\r\n"), encoding="utf-8")
    outs = {}
    for name in ("people.jsonl", "people.csv", "alias.csv"):
        out = tmp_path / name.replace(".", "_")
        result = run(runner, ["batch", str(tmp_path / name), "-o", str(out), "--format", "json", "-j", "1"])
        assert result.exit_code == 0, result.output
        outs[name] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(outs["people.jsonl"]) == 50
    assert outs["people.csv"] == outs["people.jsonl"]
    assert outs["alias.csv"] == outs["people.jsonl"]
    statuses = {json.loads(b)["status"] for b in outs["people.csv"].values()}
    assert "plan" in statuses and len(statuses) > 1  # both plans and referrals went through


def survey_export(header: list[str], rows: list[list[str]]) -> bytes:
    """A file as survey tools write it: BOM, CRLF, every cell quoted, and an empty last column."""
    def line(cells):
        return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + ',\r\n'
    return ("\ufeff" + line(header) + "".join(line(r) for r in rows)).encode("utf-8")


def survey_header() -> list[str]:
    return [column_name(f.path) for f in answer_fields() if f.kind != CONST]


def survey_row(**cells) -> list[str]:
    values = {"id": "", "age": "52", "pain.level": "4", "pain.duration_weeks": "10", "pain.below_knee": "No",
              "pain.worse_with": "sitting; bending_forward", "posture.sitting_hours": "7.5",
              "posture.slouching": "often", "posture.lifting": "rarely", "equipment": "chair;wall",
              "floor_ok": "Yes", "activity_level": "low", "plan.start_date": "2027-01-04",
              "pregnant": "no", "recent_back_surgery": "NO", "course.first_episode": "no",
              "course.improving": "yes", "course.examined": "no"}
    values.update({f.path: "no" for f in answer_fields() if f.path.startswith("red_flags.")})
    values.update(cells)
    return [values.get(f.path, "") for f in answer_fields() if f.kind != CONST]


def test_survey_export_with_bom_crlf_quotes_and_trailing_column(runner, tmp_path):
    rows = [survey_row(id="r-1", name="Smith, Ann\nMrs"), ["" for _ in survey_header()], survey_row()]
    path = tmp_path / "export.csv"
    path.write_bytes(survey_export(survey_header(), rows))
    result = run(runner, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:row 2: valid" in result.output and f"{path}:row 4: valid" in result.output
    out = tmp_path / "out"
    assert run(runner, ["batch", str(path), "-o", str(out), "--format", "json", "-j", "1"]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["export-4.json", "r-1.json"]
    plan = json.loads((out / "r-1.json").read_text())
    assert plan["person"]["name"] == "Smith, Ann\nMrs"
    assert plan["settings"]["start_date"] == "2027-01-04" and plan["status"] == "plan"
    # the row's answers equal the same person written as JSON
    same = copy.deepcopy(BASE_ANSWERS) | {"id": "r-1", "name": "Smith, Ann\nMrs", "age": 52,
                                           "equipment": ["chair", "wall"], "floor_ok": True, "activity_level": "low",
                                           "plan": {"start_date": "2027-01-04"}}
    same["pain"] = {"level": 4, "duration_weeks": 10, "below_knee": False, "worse_with": ["sitting", "bending_forward"]}
    same["posture"] = {"sitting_hours": 7.5, "slouching": "often", "lifting": "rarely"}
    (tmp_path / "same.json").write_text(json.dumps(same), encoding="utf-8")
    assert run(runner, ["batch", str(tmp_path / "same.json"), "-o", str(out), "--format", "json"]).exit_code == 0
    assert (out / "same.json").read_bytes() == (out / "r-1.json").read_bytes()


def test_every_problem_names_the_row_and_column_and_exits_1(runner, tmp_path):
    rows = [survey_row(**{"pain.level": "eleven", "floor_ok": "maybe", "posture.sitting_hours": "7,5"}),
            survey_row(**{"age": "7", "equipment": "wall;rope"}),
            survey_row(**{"red_flags.saddle_numbness": "", "pregnant": " "})]
    path = tmp_path / "bad.csv"
    path.write_bytes(survey_export(survey_header(), rows))
    result = run(runner, ["validate", str(path)])
    assert result.exit_code == 1
    for line in [
        f"{path}:row 2: at column pain__level: got \"eleven\"; allowed: a whole number from 0 to 10",
        f"{path}:row 2: at column floor_ok: got \"maybe\"; allowed: yes, no, true, false, 1 or 0",
        f"{path}:row 2: at column posture__sitting_hours: got \"7,5\"; allowed: a number from 0 to 24",
        f"{path}:row 3: at column age: got 7; allowed: a whole number from 18 to 100",
        f"{path}:row 3: at column equipment: got \"rope\"; allowed: one of wall,",
        f"{path}:row 4: at column red_flags__saddle_numbness: missing; required: Numb groin or seat: "
        "yes, no, true, false, 1 or 0",
        f"{path}:row 4: at column pregnant: empty; a warning-sign question is never taken as a no",
    ]:
        assert line in result.output, (line, result.output)
    assert "3 files checked: 0 valid, 3 invalid." in result.output
    batch = run(runner, ["batch", str(path), "-o", str(tmp_path / "out"), "--format", "json", "-j", "1"])
    assert batch.exit_code == 1 and not list((tmp_path / "out").glob("*.json"))


def test_header_problems_stop_the_file_before_any_row(runner, tmp_path):
    header = [h for h in survey_header() if h != "red_flags__cancer_history"] + ["red_flags.saddle_numbnes", "AGE"]
    path = tmp_path / "head.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["x"] * len(header)) + "\n", encoding="utf-8")
    result = run(runner, ["validate", str(path)])
    assert result.exit_code == 1
    assert (f"{path}: at column red_flags.saddle_numbnes: not a field of the answers (did you mean "
            '"red_flags.saddle_numbness"?)') in result.output
    assert f"{path}: at column AGE: repeats the column age; keep one" in result.output
    assert f"{path}: at column red_flags.cancer_history: missing; every row must answer it" in result.output
    assert "1 file checked: 0 valid, 1 invalid." in result.output


def test_a_cell_beyond_the_header_is_reported(runner, tmp_path):
    text = to_csv([BASE_ANSWERS]).splitlines()
    path = tmp_path / "wide.csv"
    path.write_text(f"{text[0]}\n{text[1]},surplus\n", encoding="utf-8")
    result = run(runner, ["validate", str(path)])
    assert result.exit_code == 1 and "a cell holding a comma needs quotes" in result.output


def test_a_file_with_no_people_is_reported(runner, tmp_path):
    header_only, empty = tmp_path / "header.csv", tmp_path / "empty.csv"
    header_only.write_text(to_csv([]) + "\n,,\n", encoding="utf-8")
    empty.write_bytes(b"")
    result = run(runner, ["validate", str(header_only), str(empty)])
    assert result.exit_code == 1
    assert f"{header_only}: the file has a header row but no one's answers below it" in result.output
    assert f"{empty}: the file is empty" in result.output


def test_not_utf8_is_reported_not_raised(runner, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(to_csv([BASE_ANSWERS | {"name": "José"}]).encode("latin-1"))
    result = run(runner, ["validate", str(path)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output and "Traceback" not in result.output


def test_schema_csv_prints_the_header_and_a_valid_example_row(runner, tmp_path):
    result = run(runner, ["schema", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split(",") == [f.path for f in answer_fields()] and len(lines) == 2
    path = tmp_path / "example.csv"
    path.write_text(result.output, encoding="utf-8")
    assert run(runner, ["validate", str(path)]).exit_code == 0
    assert run(runner, ["schema", "rules", "--format", "csv"]).exit_code == 2


def test_columns_follow_the_schema(runner, tmp_path, monkeypatch):
    """A field added to the answers schema is a CSV column at once (no hand-kept list)."""
    path = tmp_path / "old.csv"  # written before the field exists
    path.write_text(to_csv([json.loads((EXAMPLES / "minimal.json").read_text())]), encoding="utf-8")
    real = resources.schema

    def with_new_flag(name):
        schema = real(name)
        if name == "answers":
            flags = schema["properties"]["red_flags"]
            flags["properties"]["new_sign"] = {"title": "New sign", "type": "boolean"}
            flags["required"].append("new_sign")
        return schema

    monkeypatch.setattr(resources, "schema", with_new_flag)
    result = run(runner, ["schema", "--format", "csv"])
    assert "red_flags.new_sign" in result.output.splitlines()[0]
    assert "at column red_flags.new_sign: missing" in run(runner, ["validate", str(path)]).output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["", "yes", "no", "1", "x", '"', ",", "\r\n", "\n", ";", "7.5", "age",
                                          "pain.level", "none", "\ufeff", "é"]), max_size=40), max_size=4))
def test_any_csv_is_read_or_reported_never_crashes(tmp_path, cells):
    header = ",".join(f.path for f in answer_fields())
    path = tmp_path / "fuzz.csv"
    path.write_text(header + "\n" + "\n".join("".join(row) for row in cells), encoding="utf-8")
    for checked in check_files([str(path)]):
        assert checked.ok or all(p.message for p in checked.problems)
