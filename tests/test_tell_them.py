"""What a referral page tells a clinician: only what the person said, current where it can be, and never a
promise of a plan that no answer can bring."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil

import pytest
from pypdf import PdfReader
from test_checkin import first_plan
from test_interview import HAPPY

from conftest import REPO, answers_with
from planner.answers import check_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.cli import cli
from planner.data_source import DataSource
from planner.interview import Interview
from planner.pdf import wording as W
from planner.pdf.render import render_pdf
from planner.triage import TOLD, tell_them, tell_them_at_checkin

TODAY = dt.date(2026, 11, 26)
FACTS = ("I am ", "out of 10 on most days", "It began this week", "It has lasted", "does not go below my knee",
         "goes below my knee.", "It gets worse with")  # each a sentence tell_them states as a fact


def page_text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def drive(lines: list[str], data: DataSource | None = None, start: dict | None = None):
    """The interview driven by a list of answers; returns its outcome and everything it said."""
    said: list[str] = []
    feed = iter(lines)

    def ask(_prompt: str) -> str:
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    outcome = Interview(ask, said.append, TODAY, max_tries=3, data=data).run(start)
    return outcome, "\n".join(said)


# 1. The interview's emergency page states only what the person answered.

def test_the_emergency_page_of_a_stopped_interview_states_no_unasked_fact(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["interview", "--out", "e.pdf"], input="no\nno\nyes\n")
    assert result.exit_code == 0, result.output
    text = page_text(tmp_path / "e.pdf")
    assert "What to tell them" in text
    for fact in FACTS:  # age 18, pain 0 out of 10, began this week: placeholders, never asked
        assert fact not in text, fact
        assert fact not in result.output, fact
    assert ("The questions stopped at the warning sign. So I have not said my age, how bad the pain is, how long "
            "I have had it, if it goes below my knee or what makes it worse.") in text
    assert "numbness around your groin or bottom" in text  # the answer that was given still leads the page


def test_an_answers_file_s_own_facts_are_told_and_only_those(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    start = {"schema_version": 2, "age": 61, "pain": {"level": 6}, "red_flags": {"saddle_numbness": True}}
    (tmp_path / "start.json").write_text(json.dumps(start))
    result = runner.invoke(cli, ["interview", "--answers", "start.json", "--out", "e.pdf"], input="")
    assert result.exit_code == 0, result.output
    text = page_text(tmp_path / "e.pdf")
    assert "I am 61 years old." in text and "My back pain is 6 out of 10 on most days." in text
    assert "began this week" not in text and "not go below my knee" not in text
    assert "So I have not said how long I have had it, if it goes below my knee or what makes it worse." in text


def test_tell_them_leaves_out_exactly_the_unasked_facts():
    answers = {"age": 38, "pain": {"level": 4, "duration_weeks": 10, "below_knee": True, "worse_with": ["sitting"]}}
    full = tell_them(answers)
    assert full == ("I am 38 years old.", "My back pain is 4 out of 10 on most days.", "It has lasted 10 weeks.",
                    "Pain, numbness or tingling goes below my knee.", "It gets worse with sitting.")
    for fact, words in TOLD.items():
        told = tell_them(answers, frozenset({fact}))
        assert len(told) == len(full) and told[-1].endswith(f"I have not said {words}.")


def rules_with_a_young_age_emergency(tmp_path) -> DataSource:
    """The shipped rules and one more, as a clinic might write: care now under 20. The interview's placeholder
    age is 18, so this rule fires on a made-up age until the age is asked."""
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    path = folder / "10_triage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"].append({"id": "urgent_under_20", "because": "You are under 20, so a doctor should see you now.",
                          "when": {"fact": "age", "below": 20},
                          "then": [{"set_status": "urgent_care"}, {"referral": {"time_frame": "now"}}]})
    path.write_text(json.dumps(data), encoding="utf-8")
    return DataSource(rules=str(folder))


def test_care_now_resting_on_a_made_up_age_does_not_stop_the_interview(tmp_path):
    data = rules_with_a_young_age_emergency(tmp_path)
    outcome, said = drive(HAPPY + [""], data)  # aged 44: every question is asked, and a plan follows
    assert not outcome.stopped_early and outcome.answers["age"] == 44
    assert "STOP" not in said and "under 20" not in said


def test_a_reason_resting_on_a_made_up_age_is_not_given_on_the_page_or_said(tmp_path):
    data = rules_with_a_young_age_emergency(tmp_path)
    outcome, said = drive(["no", "no", "yes"], data)
    assert outcome.stopped_early
    assert [rid for rid, _ in outcome.plan.referral_reasons] == ["urgent_saddle_numbness"]
    assert [rid for rid, _ in outcome.plan.reasons] == ["urgent_saddle_numbness"]
    assert "under 20" not in said and "STOP: please get emergency care now." in said


# 2. A check-in's emergency page: what is current comes from the check-in; the start is labelled as the start.

def test_a_checkin_interview_stopped_at_a_sign_tells_the_start_only_as_the_start(runner, tmp_path):
    plan = tmp_path / "office_worker.json"
    plan.write_text(json.dumps(first_plan()), encoding="utf-8")  # age 38, pain 4, 10 weeks, worse with sitting
    result = runner.invoke(cli, ["checkin", str(plan), "--interview"], input="yes\n")
    assert result.exit_code == 0, result.output
    text = page_text(tmp_path / "office_worker-block1.pdf")
    told = text.split("What to tell them", 1)[1]
    for stale in ("I am 38", "My back pain is 4", "It has lasted 10 weeks", "It does not go", "It gets worse"):
        assert stale not in told, stale  # the start's answers are never stated as now
    assert "I have been doing a home exercise plan for my back." in told
    assert "The questions stopped at the warning sign. So I have not said how my pain is now." in told
    assert ("When I started the plan: I was 38 years old. My back pain was 4 out of 10 on most days. It had lasted "
            "10 weeks. It did not go below my knee. It got worse with sitting.") in told


# 3. A referral that no clearance lifts never promises a plan.

ROWS = json.loads((REPO / "docs" / "triage.json").read_text(encoding="utf-8"))["rows"]


def referral_page(patch: dict) -> str:
    plan = make_plan(check_answers(answers_with(**patch), "test"), TODAY)
    assert plan.status != "plan"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf(plan, shipped_catalogue())[0])).pages).split())


def test_a_past_cancer_with_a_first_bout_examined_and_cleared_is_not_promised_a_plan():
    text = referral_page({"red_flags.cancer_history": True, "course.first_episode": True, "course.examined": True,
                          "cleared_by_professional": True})
    assert text.startswith("Today: see a doctor today.")  # the behaviour stays: a referral
    assert W.COME_BACK_HEADING not in text and "can make you a plan" not in text
    assert W.AFTER_VISIT_HEADING in text and "Then plan-gen will not make you a plan." in text
    assert "Ask the doctor or physiotherapist who sees you what exercise is right for you." in text


@pytest.mark.parametrize("row", [r for r in ROWS if r["time_frame"] != "now"], ids=lambda r: r["rule"])
def test_only_a_referral_a_clearance_lifts_says_how_to_get_a_plan(row):
    text = referral_page({**row["answers"], "course.first_episode": False})
    if row["clearable"]:
        assert W.COME_BACK_HEADING in text and "Then plan-gen will make your plan." in text
    else:  # a sign no clearance lifts, some of which never go: no plan is promised
        assert W.COME_BACK_HEADING not in text and "can make you a plan" not in text
        assert W.AFTER_VISIT_HEADING in text


def test_what_to_tell_them_reads_at_grade_8_or_below():
    from test_wording import assert_plain

    answers = {"age": 38, "pain": {"level": 4, "duration_weeks": 1, "below_knee": True, "worse_with": ["sitting"]}}
    texts = [*tell_them(answers), *tell_them(answers, frozenset(TOLD)), *tell_them_at_checkin(answers, None),
             *tell_them_at_checkin(answers, {"now": 6, "compared": "worse"})]
    assert_plain([("tell_them", t) for t in texts if len(t.split()) >= 6])
