"""A scripted run through the command line: a plan, then three check-ins in a row (better, worse, better)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, NO_RED_FLAGS_V2
from planner.cli import cli
from planner.pdf.checkin_pages import progress_chart


def _checkin(path: Path, pain: int, compared: str, socks: int, sessions: list[int]) -> Path:
    path.write_text(json.dumps({
        "checkin_version": 1, "red_flags": NO_RED_FLAGS_V2, "pain": {"now": pain, "compared": compared},
        "sessions_per_week": sessions, "settled_by_morning": True,
        "activities": [{"activity": "putting on  socks", "rating": socks}]}))  # the start's words, typed loosely
    return path


def _work(dose: dict) -> int:
    return dose["sets"] * (dose["reps"] or 1) * ((dose["hold_seconds"] or 0) + 2) + (dose["minutes"] or 0) * 60


def _doses(plan: dict, where: str) -> dict[str, int]:
    """Each exercise's work in the block's first or last week."""
    return {e["id"]: _work(e["weekly_doses"][0 if where == "first" else -1]) for e in plan["exercises"]}


@pytest.fixture(scope="module")
def three_checkins(tmp_path_factory) -> dict:
    from click.testing import CliRunner

    tmp = tmp_path_factory.mktemp("run")
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    result = runner.invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "--format", "json",
                                 "--out-dir", str(tmp)], env=env)
    assert result.exit_code == 0, result.output
    plans = {0: tmp / "office_worker.json"}
    script = [(3, "better", 5, [5, 5, 4, 5, 5, 4]), (5, "worse", 4, [4, 3]), (2, "better", 7, [5, 5])]
    for block, (pain, compared, socks, sessions) in enumerate(script, start=1):
        ci = _checkin(tmp / f"c{block}.json", pain, compared, socks, sessions)
        result = runner.invoke(cli, ["checkin", str(plans[block - 1]), str(ci)], env=env)
        assert result.exit_code == 0, result.output
        plans[block] = tmp / f"office_worker-block{block}.json"
        assert f"check-in {block}: a plan" in result.output
    return {"dir": tmp, "plans": {k: json.loads(v.read_text()) for k, v in plans.items()}, "runner": runner}


def test_week_numbers_continue(three_checkins):
    plans = three_checkins["plans"]
    assert [[w["number"] for w in plans[b]["weeks"]] for b in (1, 2, 3)] == [[7, 8], [9, 10], [11, 12]]
    assert [plans[b]["checkin"]["first_week"] for b in (1, 2, 3)] == [7, 9, 11]


def test_doses_step_back_after_worse_then_on_after_better(three_checkins):
    plans = three_checkins["plans"]
    last1, first2 = _doses(plans[1], "last"), _doses(plans[2], "first")
    common = set(last1) & set(first2)
    assert all(first2[i] <= last1[i] for i in common) and any(first2[i] < last1[i] for i in common)
    assert plans[2]["settings"]["dosing"]["pace"] == "slow"
    last2, first3 = _doses(plans[2], "last"), _doses(plans[3], "first")
    common = set(last2) & set(first3)
    assert any(first3[i] > last2[i] for i in common)


def test_the_chart_has_a_point_for_the_start_and_each_checkin(three_checkins):
    history = three_checkins["plans"][3]["checkin"]["history"]
    assert [p["label"] for p in history] == ["Start", "Check-in 1", "Check-in 2", "Check-in 3"]
    assert [p["pain"] for p in history] == [4, 3, 5, 2]
    chart = progress_chart(history, 400, 12).contents[0]
    # pain; socks, rated at the start (examples/office_worker.json) and at each check-in under the start's name;
    # sitting at work, rated at the start only
    assert chart.data == [[4, 3, 5, 2], [4, 5, 4, 7], [3, None, None, None]]
    assert [a["activity"] for a in history[3]["activities"]] == ["Putting on socks"]


def test_the_checkin_pdf_opens_with_how_you_are_doing(three_checkins):
    reader = PdfReader(three_checkins["dir"] / "office_worker-block3.pdf")
    first = reader.pages[0].extract_text()
    assert first.startswith("How you are doing")
    for words in ("Check-in 3", "Putting on socks", "Sessions you did", "What changes in the next weeks"):
        assert words in first
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Week 11" in text and "Week 12" in text and "Week 1:" not in text
    start = dt.date.fromisoformat(three_checkins["plans"][3]["settings"]["start_date"])
    flat = text.replace("\xa0", " ")
    for day in (start, start + dt.timedelta(days=13)):  # the log's dates are the block's own two weeks
        assert f"{day.day} {day.strftime('%b')}" in flat, day
    assert f"{(start + dt.timedelta(days=14)).day} {(start + dt.timedelta(days=14)).strftime('%b')}" not in flat


def test_an_existing_output_is_never_replaced(three_checkins):
    tmp = three_checkins["dir"]
    before = (tmp / "office_worker-block2.pdf").read_bytes()
    result = three_checkins["runner"].invoke(cli, ["checkin", str(tmp / "office_worker-block1.json"),
                                                    str(tmp / "c2.json")])
    assert result.exit_code == 1 and "exists already" in result.output
    assert (tmp / "office_worker-block2.pdf").read_bytes() == before


def test_a_bad_checkin_lists_every_problem_and_writes_nothing(three_checkins, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"checkin_version": 1, "pain": {"now": 12, "compared": "better"},
                               "sessions_per_week": [], "settled_by_morning": True}))
    result = three_checkins["runner"].invoke(cli, ["checkin", str(three_checkins["dir"] / "office_worker.json"),
                                                    str(bad), "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    for words in ("red_flags", "pain.now", "sessions_per_week", "bad.json"):
        assert words in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_the_example_checkin_works_against_the_example_plan(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    assert runner.invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "--format", "json", "--out-dir",
                               str(tmp_path)], env=env).exit_code == 0
    result = runner.invoke(cli, ["checkin", str(tmp_path / "office_worker.json"),
                                 str(EXAMPLES / "checkins" / "office_worker_week2.json"), "--format", "json"],
                           env=env)
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "office_worker-block1.json").read_text())
    assert [w["number"] for w in plan["weeks"]] == [3, 4]


def test_schema_checkin_prints_the_questions_with_every_warning_sign():
    from click.testing import CliRunner

    from planner import resources

    result = CliRunner().invoke(cli, ["schema", "checkin"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    signs = resources.schema("answers")["properties"]["red_flags"]["required"]
    assert schema["properties"]["red_flags"]["required"] == signs and "$ref" not in result.output


def test_the_first_plan_prints_when_to_check_in_and_the_questions(tmp_path):
    from click.testing import CliRunner

    from planner import resources

    result = CliRunner().invoke(cli, ["batch", str(EXAMPLES / "office_worker.json"), "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "office_worker.pdf")
    pages = [p.extract_text() for p in reader.pages]
    # sections flow on, so the form starts on a page of its own or after the advice
    form = next(i for i, t in enumerate(pages) if "\nCheck-in\n" in f"\n{t}" or t.startswith("Check-in"))
    text = " ".join(pages[form:form + 2])
    assert "after week 2, and again every 2 weeks" in text
    for sign in resources.schema("answers")["properties"]["red_flags"]["properties"].values():
        assert " ".join(sign["title"].split()[:2]) in " ".join(text.split())
    assert "Your activities" in text and "Too easy" in text
    assert "Check-in" in [o.title for o in reader.outline if not isinstance(o, list)]


def test_the_charts_lines_differ_by_more_than_colour(three_checkins):
    """Pain in red and an activity in green crossed each other, told apart by colour alone (about 1 man in
    12 does not see red from green): each line now has its own dashes and marker, and the legend shows them."""
    history = three_checkins["plans"][3]["checkin"]["history"]
    drawing = progress_chart(history, 400, 12)
    chart, legend = drawing.contents
    looks = [(str(chart.lines[i].strokeDashArray), chart.lines[i].symbol.kind) for i in range(len(chart.data))]
    assert len(chart.data) == 3 and len(set(looks)) == len(looks) and len({d for d, _ in looks}) == len(looks), looks
    assert legend.swatchMarker is not None


def test_each_block_prints_a_fresh_check_in_form_for_its_own_last_week(three_checkins):
    """The last form was handed in at the check-in that made the block: without a new one, 'fill in the same
    questions' left the person nothing to fill in. The form names the block's last week and the activities."""
    reader = PdfReader(three_checkins["dir"] / "office_worker-block3.pdf")
    pages = [p.extract_text() for p in reader.pages]
    form = [i for i, t in enumerate(pages) if t.startswith("Check-in\n")]
    assert len(form) == 1 and form[0] >= len(pages) - 2, [t[:30] for t in pages]
    text = " ".join(" ".join(pages[form[0]:]).split())
    assert "after week 12, and again every 2 weeks" in text and "after week 2," not in text
    assert "Putting on socks" in text and "Too easy" in text
    assert "fill in the form at the end of this plan" in " ".join(pages[0].split())


def test_files_given_the_wrong_way_round_say_so(three_checkins):
    tmp = three_checkins["dir"]
    result = three_checkins["runner"].invoke(cli, ["checkin", str(tmp / "c1.json"), str(tmp / "office_worker.json")])
    assert result.exit_code == 1
    assert "c1.json: is a check-in: give the plan JSON first" in result.output and len(result.output) < 300


def test_the_clinicians_copy_adds_the_progress_in_figures(three_checkins, tmp_path):
    from planner.pdf.clinician import progress_rows

    history = three_checkins["plans"][3]["checkin"]["history"]
    assert progress_rows(history, 5) == [
        ["", "After week", "Pain", "Putting on socks", "Sitting at work for an hour", "Sessions a week (of 5)"],
        ["Start", "0", "4", "4", "3", "-"],
        ["Check-in 1", "6", "3", "5", "-", "5, 5, 4, 5, 5, 4 (28 of 30)"],
        ["Check-in 2", "8", "5", "4", "-", "4, 3 (7 of 10)"],
        ["Check-in 3", "10", "2", "7", "-", "5, 5 (10 of 10)"]]
    tmp = three_checkins["dir"]
    result = three_checkins["runner"].invoke(cli, ["checkin", str(tmp / "office_worker-block3.json"),
                                                    str(tmp / "c3.json"), "--clinician-copy", "--format", "pdf",
                                                    "--out-dir", str(tmp_path)],
                                             env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "office_worker-block4.pdf").pages]
    at = next(i for i, t in enumerate(pages) if t.startswith("For the clinic's file: progress"))
    assert "Check-in 4" in pages[at] and "checkin_on_track:" in pages[at]  # the ratings, and the rules behind them
    assert pages[at + 1].startswith("For the clinic's file") and at + 2 == len(pages)
    assert pages[0].startswith("How you are doing")
    plain = " ".join(p.extract_text() for p in PdfReader(tmp / "office_worker-block3.pdf").pages)
    assert "For the clinic's file" not in plain  # only with --clinician-copy


def test_a_longer_block_asks_for_the_next_check_in_after_its_own_length(three_checkins, tmp_path):
    """A block of 3 weeks said 'again every 2 weeks' (the first plan's rhythm); it now says its own."""
    ci = _checkin(tmp_path / "c.json", 3, "better", 5, [5, 5, 4, 5, 5, 4])
    plan = three_checkins["dir"] / "office_worker.json"
    result = three_checkins["runner"].invoke(cli, ["checkin", str(plan), str(ci), "--weeks", "3", "--format", "pdf",
                                                   "--out-dir", str(tmp_path)], env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "office_worker-block1.pdf").pages]
    text = " ".join(" ".join(pages).split())
    assert "after week 9, and again every 3 weeks" in text


def test_a_referral_at_a_checkin_carries_the_progress_to_the_clinic(three_checkins, tmp_path):
    """The clinic the person is sent to sees how the weeks went; the person's own pages still do not."""
    ci = tmp_path / "fall.json"
    ci.write_text(json.dumps({"checkin_version": 1, "red_flags": {**NO_RED_FLAGS_V2, "minor_fall": True},
                              "pain": {"now": 4, "compared": "same"}, "sessions_per_week": [5, 5],
                              "settled_by_morning": True}))
    plan = three_checkins["dir"] / "office_worker-block1.json"
    for flags, out in (([], tmp_path / "plain"), (["--clinician-copy"], tmp_path / "clinic")):
        result = three_checkins["runner"].invoke(cli, ["checkin", str(plan), str(ci), "--format", "pdf",
                                                        "--out-dir", str(out), *flags])
        assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "clinic" / "office_worker-block2.pdf").pages]
    at = next(i for i, t in enumerate(pages) if t.startswith("For the clinic's file: progress"))
    assert "Check-in 1" in pages[at] and "Check-in 2" in pages[at] and "Putting on socks" in pages[at]
    assert pages[at + 1].startswith("For the clinic's file") and at + 2 == len(pages)
    plain = " ".join(p.extract_text() for p in PdfReader(tmp_path / "plain" / "office_worker-block2.pdf").pages)
    assert "For the clinic's file" not in plain and "Check-in 2" not in plain


def test_many_activities_over_time_keep_their_words_whole_on_the_progress_page(three_checkins, tmp_path):
    """Five activities in all (two at the start, three new ones named at a check-in): three a table, so no
    column is too narrow for a word."""
    ci = tmp_path / "c.json"
    new = ["Vacuuming the stairs", "Gardening on my knees", "Carrying shopping bags"]
    ci.write_text(json.dumps({"checkin_version": 1, "red_flags": NO_RED_FLAGS_V2, "pain": {"now": 3,
                              "compared": "better"}, "sessions_per_week": [5, 5], "settled_by_morning": True,
                              "activities": [{"activity": a, "rating": 5} for a in new]}))
    result = three_checkins["runner"].invoke(cli, ["checkin", str(three_checkins["dir"] / "office_worker-block1.json"),
                                                    str(ci), "--clinician-copy", "--format", "pdf",
                                                    "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(tmp_path / "out" / "office_worker-block2.pdf").pages]
    page = next(t for t in pages if t.startswith("For the clinic's file: progress"))
    words = page.split()
    for name in ["Putting on socks", "Sitting at work for an hour", *new]:
        assert all(w in words for w in name.split()), name  # each word whole, not broken across lines


def test_a_blocks_cards_are_numbered_as_its_routine_rows_read(three_checkins):
    """Read down a block's routine tables, the cards come 1, 2, 3 ... (they came 1 to 5, 7, 8, 9, 6: the
    numbers took routine A's sessions first, while a shared table lists B's own exercises before the walk)."""
    for block in (1, 2, 3):
        reader = PdfReader(three_checkins["dir"] / f"office_worker-block{block}.pdf")
        text = " ".join(page.extract_text() for page in reader.pages)
        tables = text[text.index("Your routines"):text.index("Your calendar and log")]
        first: list[int] = []
        for n in map(int, re.findall(r"(\d+), p\. \d+", tables)[1:]):  # [0]: the how-to bullet's example
            first += [n] if n not in first else []
        assert first == list(range(1, len(first) + 1)), (block, first)


def test_a_block_prints_the_daily_habits_its_before_you_start_page_promises(three_checkins):
    """'The advice pages in this plan cover the habits that apply to you', yet a block printed none."""
    for block in (1, 2, 3):
        reader = PdfReader(three_checkins["dir"] / f"office_worker-block{block}.pdf")
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
        advice = three_checkins["plans"][block]["advice"]
        assert advice and "The advice pages in this plan" in text
        assert "Daily habits" in [o.title for o in reader.outline if not isinstance(o, list)]
        for habit in advice:
            assert habit["title"] in text and re.sub(r"\s+", " ", habit["points"][-1]) in text, habit["id"]

