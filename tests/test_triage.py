"""Triage, driven by one table (docs/triage.json): every row alone gives its outcome and time frame.

docs/triage.md shows the same table; a test renders it from the JSON and
compares, so the two cannot drift. `PLAN_GEN_UPDATE_DOCS=1 pytest tests/test_triage.py`
rewrites the table in docs/triage.md after a deliberate change.
"""

from __future__ import annotations

import io
import itertools
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import REPO, TODAY, answers_with
from planner import resources
from planner.answers import check_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.pdf import wording as W
from planner.pdf.render import render_pdf
from planner.render_json import plan_to_dict
from planner.triage import start_back_group

TABLE = json.loads((REPO / "docs" / "triage.json").read_text(encoding="utf-8"))["rows"]
DOC = REPO / "docs" / "triage.md"
START, END = "<!-- triage table: generated from docs/triage.json -->", "<!-- end of triage table -->"
OUTCOME = {"urgent_care": "emergency care", "see_professional": "see a professional"}
FRAME = {"now": "**now**", "today": "**today**", "soon": "soon (1-2 weeks)"}


def answers(patch: dict) -> dict:
    """The base answers (no warning sign, a plan) with dotted fields set, checked."""
    return check_answers(answers_with(**patch), "test")


def plan_for(patch: dict):
    return make_plan(answers(patch), TODAY)


def test_the_base_answers_give_a_plan():
    plan = plan_for({})
    assert plan.status == "plan" and plan.triage.time_frame is None


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r["rule"])
def test_each_row_alone_gives_its_outcome_and_time_frame(row):
    plan = plan_for(row["answers"])
    assert plan.status == row["outcome"]
    assert plan.triage.time_frame == row["time_frame"]
    assert row["rule"] in {rid for rid, _ in plan.referral_reasons}
    assert plan.exercises == () and plan.weeks == ()
    assert plan_to_dict(plan)["triage"]["time_frame"] == row["time_frame"]


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r["rule"])
def test_clearance_lifts_only_the_rows_an_examination_can_settle(row):
    plan = plan_for({**row["answers"], "cleared_by_professional": True})
    if row["clearable"]:
        assert row["time_frame"] == "soon"  # never a now or today outcome
        assert plan.status == "plan" and plan.triage.cleared_for
    else:
        assert (plan.status, plan.triage.time_frame) == (row["outcome"], row["time_frame"])


def test_the_rules_implement_exactly_the_table():
    book = shipped_rulebook()
    implemented = {}
    for rule in book.rules.values():
        actions = {name: params for action in rule.then for name, params in action.items()}
        if "set_status" in actions or "referral" in actions:
            referral = actions["referral"]
            implemented[rule.id] = (actions["set_status"], referral["time_frame"], referral.get("clearable", False))
    assert implemented == {r["rule"]: (r["outcome"], r["time_frame"], r["clearable"]) for r in TABLE}
    for status, frame, _ in implemented.values():
        assert (status == "urgent_care") == (frame == "now")


def test_every_warning_sign_question_is_in_the_table():
    signs = resources.schema("answers")["properties"]["red_flags"]["properties"]
    assert {f"red_flags.{s}" for s in signs} <= {r["question"] for r in TABLE}


def test_the_interview_asks_the_emergency_signs_first():
    signs = list(resources.schema("answers")["properties"]["red_flags"]["properties"])
    frames = {r["question"]: r["time_frame"] for r in TABLE if r["rule"].startswith("urgent_")}
    now = [i for i, s in enumerate(signs) if frames.get(f"red_flags.{s}") == "now"]
    assert now == list(range(len(now))) and len(now) == 7


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(["now", "today", "soon"], 2)))
def test_the_most_urgent_time_frame_wins(first, second):
    a = next(r for r in TABLE if r["time_frame"] == first)
    b = next(r for r in TABLE if r["time_frame"] == second)
    for patch in ({**a["answers"], **b["answers"]}, {**b["answers"], **a["answers"]}):
        assert plan_for(patch).triage.time_frame == first


def test_known_cancer_with_a_first_bout_of_pain_is_today():
    plan = plan_for({"red_flags.cancer_history": True, "course.first_episode": True})
    assert plan.triage.time_frame == "today"
    cleared = plan_for({"red_flags.cancer_history": True, "course.first_episode": True,
                        "cleared_by_professional": True})
    assert cleared.status == "see_professional" and cleared.triage.time_frame == "today"


def test_a_small_fall_under_70_is_not_a_referral():
    assert plan_for({"red_flags.minor_fall": True, "age": 69}).status == "plan"


def test_a_referral_says_whether_clearance_would_lift_it():
    assert plan_for({"pregnant": True}).triage.clearable
    assert not plan_for({"pregnant": True, "red_flags.constant_night_pain": True}).triage.clearable


def test_cleared_pregnancy_has_no_moves_lying_on_the_back_or_face_down_and_no_high_load():
    plan = plan_for({"pregnant": True, "cleared_by_professional": True, "equipment": ["chair", "exercise_ball"]})
    catalogue = shipped_catalogue()
    used = {i.id for w in plan.weeks for s in w.sessions for i in s.items}
    assert used, "a cleared pregnancy still gets a plan"
    for ex_id in used:
        first_step = catalogue.exercises[ex_id].steps[0].lower()
        assert "lie on your back" not in first_step and "face up" not in first_step and "face down" not in first_step
        assert "high_load" not in catalogue.exercises[ex_id].tags
    assert plan.triage.cleared_for == ("pregnancy",)
    assert "cleared_pregnancy" in {c.id for c in plan.cautions}


def test_cleared_after_surgery_goes_slowly_and_keeps_high_load_for_a_later_phase():
    plan = plan_for({"recent_back_surgery": True, "cleared_by_professional": True, "plan.weeks": 8})
    assert (plan.dosing["start"], plan.dosing["pace"]) == ("bottom", "slow")
    strengthen = next(p.starts_week for p in plan.phases if p.id == "strengthen")
    catalogue = shipped_catalogue()
    for week in plan.weeks:
        for s in week.sessions:
            for i in s.items:
                if "high_load" in catalogue.exercises[i.id].tags:
                    assert week.number >= strengthen
    assert plan.triage.cleared_for == ("back_surgery",)


@pytest.mark.parametrize(("patch", "caution"), [
    ({"pain.duration_weeks": 7, "course.improving": False}, "see_soon_lasting"),
    ({"age": 50, "course.first_episode": True}, "see_soon_first_over_50"),
])
def test_lasting_pain_and_a_first_bout_at_50_add_a_prominent_caution_not_a_block(patch, caution):
    plan = plan_for(patch)
    assert plan.status == "plan"
    assert caution in [c.id for c in plan.cautions[:3]]
    checked = plan_for({**patch, "course.examined": True})
    assert caution not in {c.id for c in checked.cautions}


def test_six_weeks_exactly_or_improving_pain_adds_no_caution():
    for patch in ({"pain.duration_weeks": 6, "course.improving": False}, {"pain.duration_weeks": 20}):
        assert "see_soon_lasting" not in {c.id for c in plan_for(patch).cautions}


@pytest.mark.parametrize(("total", "psychosocial"), [(t, p) for t in range(10) for p in range(6) if p <= t])
def test_start_back_group_and_the_high_risk_rule_agree(total, psychosocial):
    plan = plan_for({"start_back": {"total": total, "psychosocial": psychosocial}})
    group = start_back_group({"start_back": {"total": total, "psychosocial": psychosocial}})
    assert group == ("high" if psychosocial >= 4 else "medium" if total >= 4 else "low")
    assert plan.triage.start_back_group == group
    assert ("start_back_high" in {c.id for c in plan.cautions}) == (group == "high")


def test_no_start_back_scores_no_group():
    assert plan_for({}).triage.start_back_group is None


# The referral page, read back as text.

def referral_text(patch: dict) -> tuple[str, list[str]]:
    data, _ = render_pdf(plan_for(patch), shipped_catalogue())
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    return " ".join(" ".join(pages).split()), pages


@pytest.mark.parametrize(("patch", "first"), [
    ({"red_flags.saddle_numbness": True}, "Now: get help now."),
    ({"red_flags.fever": True}, "Today: see a doctor today."),
    ({"red_flags.unexplained_weight_loss": True}, "Soon: see a doctor or physiotherapist within one to two weeks."),
])
def test_the_referral_page_opens_with_its_time_frame_and_gives_no_exercise_advice(patch, first):
    text, pages = referral_text(patch)
    assert pages[0].lstrip().startswith(first)
    assert "Written on Thursday 26 November 2026" in text
    assert "plan from" not in text.lower()
    for word in ("stretch", "gentle", "exercises help", "exercise advice"):  # the footer too
        assert word not in text.lower()
    assert "plan-gen does not diagnose." in text
    assert "I am 40 years old." in text


def test_the_see_a_professional_page_says_how_to_come_back():
    cleared, _ = referral_text({"pregnant": True})
    assert "Answer yes to the question 'Cleared to exercise'" in cleared
    signs, _ = referral_text({"red_flags.constant_night_pain": True})
    assert "does not lift them" in signs and W.AFTER_VISIT_HEADING in signs
    assert "If it gets worse while you wait" in signs


# docs/triage.md shows this table.

def markdown_table() -> str:
    schema = resources.schema("answers")["properties"]

    def question(path: str) -> str:
        node = schema
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]["properties"]
        return node[last]["description"]

    lines = ["| Warning sign | The question, as asked | Outcome | Time frame | Lifted by clearance | Source | Rule |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in TABLE:
        lines.append(f"| {r['sign']} | {question(r['question'])} | {OUTCOME[r['outcome']]} | {FRAME[r['time_frame']]} "
                     f"| {'yes' if r['clearable'] else 'no'} | {r['source']} | `{r['rule']}` |")
    return "\n".join(lines)


def test_docs_show_the_same_table():
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START)
    _, after = rest.split(END)
    expected = f"{before}{START}\n{markdown_table()}\n{END}{after}"
    if os.environ.get("PLAN_GEN_UPDATE_DOCS"):
        DOC.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, "docs/triage.md differs from docs/triage.json; see this file's docstring"


def test_explain_prints_the_time_frame_clearance_and_start_back_group(runner):
    from conftest import EXAMPLES
    from planner.cli import cli

    shown = {name: runner.invoke(cli, ["explain", str(EXAMPLES / f"{name}.json")]).output
             for name in ("red_flag_today", "cleared_pregnancy", "long_pain_unchecked")}
    assert "Time frame: today" in shown["red_flag_today"]
    assert "Relies on a professional's clearance for: pregnancy" in shown["cleared_pregnancy"]
    assert "STarT Back group: high" in shown["long_pain_unchecked"]


def test_an_answer_needing_care_now_stops_a_real_terminal_interview_and_writes_no_plan(tmp_path):
    """In a pseudo-terminal: the second question (a cauda equina sign added in version 2) answered yes."""
    import shutil
    import sys
    from pathlib import Path

    pexpect = pytest.importorskip("pexpect")
    exe = shutil.which("plan-gen", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "planner"]
    child = pexpect.spawn(command[0], [*command[1:], "interview", "--save-answers", "a.json"], cwd=str(tmp_path),
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1795651200"}, encoding="utf-8", timeout=30)
    child.expect(r"\[1/\d+\] Warning signs")
    child.expect(r"\) > ")
    child.sendline("no")
    child.expect(r"\[2/\d+\] Warning signs: Feeling when passing urine")
    child.expect(r"\) > ")
    child.sendline("yes")
    child.expect("STOP: please get emergency care now.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "[3/" not in child.before  # no further question
    assert list(tmp_path.iterdir()) == []  # no plan, no answers, no page: nothing written


@pytest.mark.parametrize(("cleared", "said", "outcome"), [
    ("yes", "say so when asked (Cleared to exercise)", "plan is in"),
    ("no", "say so when asked (Cleared to exercise)", "plan-gen did not make an exercise plan"),
])
def test_the_interview_tells_a_pregnant_person_that_clearance_counts(runner, tmp_path, monkeypatch, cleared, said,
                                                                     outcome):
    from test_interview import AGE, HAPPY

    from planner.cli import cli

    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[18] = "yes"  # pregnant
    lines[AGE + 12] = cleared
    result = runner.invoke(cli, ["interview", "--out", "p.pdf"], input="\n".join(lines + [""]) + "\n")
    assert result.exit_code == 0, result.output
    assert said in result.output and outcome in result.output
    assert "Because of this answer" not in result.output


def test_the_interview_says_today_for_a_same_day_sign(runner, tmp_path, monkeypatch):
    from test_interview import HAPPY

    from planner.cli import cli

    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[7] = "yes"  # a temperature of 38 °C or more
    result = runner.invoke(cli, ["interview", "--out", "p.pdf"], input="\n".join(lines + [""]) + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Because of this answer, please see a doctor today.") == 1


def test_only_a_referral_carries_the_day_it_was_written():
    import datetime as dt

    from planner.render_json import plan_json

    later = TODAY + dt.timedelta(days=9)
    fixed = answers({"plan.start_date": "2027-01-04"})
    assert plan_json(make_plan(fixed, TODAY)) == plan_json(make_plan(fixed, later))  # same plan any day
    referral = answers({"red_flags.fever": True})
    assert make_plan(referral, later).triage.written_on == later


# Properties over many combinations of signs (hypothesis).

SIGN_PATCHES = [r["answers"] for r in TABLE]
URGENCY = {None: 0, "soon": 1, "today": 2, "now": 3}


ROWS = st.sampled_from(range(len(SIGN_PATCHES)))


@settings(max_examples=60, deadline=None)
@given(st.lists(ROWS, max_size=4, unique=True), ROWS, st.booleans())
def test_a_further_sign_never_lowers_urgency_and_clearance_never_lifts_now_or_today(chosen, extra, cleared):
    patch = {"cleared_by_professional": cleared}
    for i in chosen:
        patch.update(SIGN_PATCHES[i])
    before = plan_for(patch)
    after = plan_for({**patch, **SIGN_PATCHES[extra]})
    assert URGENCY[after.triage.time_frame] >= URGENCY[before.triage.time_frame]
    for plan in (before, after):
        assert (plan.status == "plan") == (plan.triage.time_frame is None)
        assert (plan.status == "urgent_care") == (plan.triage.time_frame == "now")
    uncleared = plan_for({**patch, "cleared_by_professional": False})
    if uncleared.triage.time_frame in ("now", "today"):
        assert plan_for({**patch, "cleared_by_professional": True}).triage.time_frame == uncleared.triage.time_frame


@pytest.mark.parametrize(("patch", "title"), [
    ({"red_flags.both_legs": True}, "Get emergency care now"),
    ({"red_flags.infection_risk": True}, "Please see a doctor today"),
    ({"red_flags.upper_back_pain": True}, "Please see a doctor before you exercise"),
])
def test_the_referral_pdf_is_titled_by_its_urgency(patch, title):
    data, _ = render_pdf(plan_for(patch), shipped_catalogue())
    assert PdfReader(io.BytesIO(data)).metadata.title == title


def test_an_answers_file_that_already_needs_care_now_stops_the_interview_before_any_question(runner, tmp_path,
                                                                                          monkeypatch):
    from planner.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "start.json").write_text(json.dumps({"schema_version": 2, "red_flags": {"saddle_numbness": True}}))
    result = runner.invoke(cli, ["interview", "--answers", "start.json", "--save-answers", "a.json"], input="")
    assert result.exit_code == 0, result.output
    assert "STOP: please get emergency care now." in result.output
    assert "[1/" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["start.json"]


def test_question_titles_are_the_schemas_in_interview_order_and_none_when_all_were_asked():
    from planner.triage import question_titles

    props = resources.shared_schema("answers")["properties"]
    assert question_titles([]) == ()  # the fast path of every version 2 plan
    assert question_titles(["improving", "fever", "cancer_history"]) == (
        props["red_flags"]["properties"]["fever"]["title"], props["red_flags"]["properties"]["cancer_history"]["title"],
        props["course"]["properties"]["improving"]["title"])
