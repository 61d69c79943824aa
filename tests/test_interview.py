"""`plan-gen interview`: scripted answers through CliRunner, and one run in a real terminal (pexpect)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner import cli_interview
from planner import interview as interview_module
from planner.answers import answers_schema, load_answers
from planner.cli import cli
from planner.questions import questions

# One line per question, in the interview's order (warning signs first).
HAPPY = [
    *["n"] * 18,  # eighteen warning signs
    "", "",  # pregnant, recent surgery: defaults (no)
    "Zoë Łukasiewicz",  # name
    "44",  # age
    "4", "10", "no", "1, 4",  # pain: level, weeks, below knee, worse with sitting and bending forward
    "9", "often", "2", "",  # sitting hours, slouching, lifting (sometimes), shoes: skip
    "wall, chair", "yes", "moderate", "no",  # equipment, floor, activity, cleared
    "", "", "", "2027-01-04",  # weeks, days, minutes: defaults; start date
    "no", "yes", "no",  # course: not the first bout, getting better, not checked yet
    "",  # everyday activities: skipped
]
AGE = 21  # the index of the age question in HAPPY


def run(runner, lines, *args):
    return runner.invoke(cli, ["interview", *args], input="\n".join(lines) + "\n")


def test_every_schema_question_is_asked_warning_signs_first():
    qs = questions(answers_schema())
    assert len(qs) == len(HAPPY)
    assert [q.path[0] for q in qs[:18]] == ["red_flags"] * 18
    assert {q.key for q in qs} >= {"age", "pain.level", "posture.footwear", "plan.start_date", "equipment"}
    assert "schema_version" not in {q.key for q in qs}


def test_happy_path_saves_answers_and_writes_the_pdf(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, HAPPY + [""], "--save-answers", "answers.json")
    assert result.exit_code == 0, result.output
    assert "Your answers are saved in answers.json." in result.output
    assert f"Your 6-week plan is in {tmp_path / 'back-plan.pdf'}." in result.output
    saved = load_answers(tmp_path / "answers.json")  # plan-gen validate accepts it
    assert saved["name"] == "Zoë Łukasiewicz"
    assert saved["pain"]["worse_with"] == ["sitting", "bending_forward"]
    assert saved["posture"]["lifting"] == "sometimes"
    assert saved["plan"] == {"weeks": 6, "days_per_week": 5, "minutes_per_session": 20, "start_date": "2027-01-04"}
    assert "footwear" not in saved["posture"]
    text = PdfReader(tmp_path / "back-plan.pdf").pages[0].extract_text()
    assert "Zoë Łukasiewicz" in text


def test_saved_answers_give_the_same_plan_through_batch(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(runner, HAPPY + [""], "--save-answers", "answers.json", "--out", "interview.pdf")
    result = runner.invoke(cli, ["batch", "answers.json", "--out-dir", "out"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "answers.pdf").read_bytes() == (tmp_path / "interview.pdf").read_bytes()


def test_default_output_never_overwrites(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "back-plan.pdf").write_text("keep me")
    result = run(runner, HAPPY + [""])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "back-plan.pdf").read_text() == "keep me"
    assert (tmp_path / "back-plan-2.pdf").exists()


@pytest.mark.parametrize(("index", "bad", "message"), [
    (0, "maybe", '"maybe" is not yes or no. Please type yes or no.'),
    (AGE, "twelve", '"twelve" is not a whole number from 18 to 100.'),
    (AGE, "17", '"17" is not allowed here. Please enter a whole number from 18 to 100.'),
    (AGE + 1, "11", '"11" is not allowed here. Please enter a whole number from 0 to 10.'),
    (AGE + 4, "sitting, dancing", '"dancing" is not one of the choices. Type a number or the words from: 1) sitting, '
                             "2) standing, 3) walking, 4) bending forward, 5) bending backward, 6) lifting, "
                             "7) lying down."),
    (AGE + 6, "4", '"4" is not one of the choices. Type a number or the words from: 1) rarely, 2) sometimes, '
                   '3) often.'),
    (AGE + 16, "2027-02-30", '"2027-02-30" is not allowed here. Please enter a real calendar date in the years 2000 to '
                       '2099, written YYYY-MM-DD.'),
    (AGE + 16, "9999-12-31", '"9999-12-31" is not allowed here. Please enter a real calendar date in the years 2000 to '
                       '2099, written YYYY-MM-DD.'),
    (AGE + 5, "nan", '"nan" is not a number from 0 to 24.'),
    (AGE + 5, "inf", '"inf" is not a number from 0 to 24.'),
    (AGE, "", "Please type an answer; this question cannot be skipped."),
    (AGE, "44.5", '"44.5" is not a whole number from 18 to 100.'),
])
def test_bad_answer_is_explained_and_asked_again(runner, tmp_path, monkeypatch, index, bad, message):
    monkeypatch.chdir(tmp_path)
    lines = HAPPY[:index] + [bad] + HAPPY[index:] + [""]
    result = run(runner, lines, "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert message in result.output
    assert load_answers(tmp_path / "a.json")["age"] == 44


def test_a_whole_number_written_with_a_point_counts_as_in_a_file(runner, tmp_path, monkeypatch):
    """validate and batch take 44.0 as 44 (README); the interview refused it."""
    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[AGE] = "44.0"
    result = run(runner, lines + [""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert load_answers(tmp_path / "a.json")["age"] == 44 and '"44.0" is not' not in result.output


def test_multi_choice_accepts_none(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[AGE + 9] = "none"
    result = run(runner, lines + [""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert load_answers(tmp_path / "a.json")["equipment"] == []


def test_urgent_answer_stops_at_once(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, ["n", "yes"], "--out", "urgent.pdf", "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert "STOP: please get emergency care now." in result.output
    assert "[3/" not in result.output  # no further question
    assert "Your answers were not saved" in result.output
    assert not (tmp_path / "a.json").exists()
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "urgent.pdf").pages)
    assert "Get emergency care now" in text


def test_other_red_flag_leads_to_a_referral(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[12] = "yes"  # constant pain at night
    result = run(runner, lines + [""], "--out", "ref.pdf")
    assert result.exit_code == 0, result.output
    assert "plan-gen will not make an exercise plan" in result.output
    assert "Take the page in ref.pdf to a doctor or physiotherapist." in result.output


def test_summary_allows_a_correction(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, HAPPY + ["99", str(AGE + 1), "50", ""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert "Please type a number from 1 to 42, or press Enter." in result.output
    assert load_answers(tmp_path / "a.json")["age"] == 50


def test_answers_file_asks_only_what_is_missing(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run(runner, HAPPY + [""], "--save-answers", "full.json")
    data = json.loads((tmp_path / "full.json").read_text())
    del data["age"]
    data["posture"]["footwear"] = "supportive"  # skipped in the interview: it would be asked again
    data["activities"] = [{"activity": "Putting on socks", "rating": 5}]  # as would the activities
    (tmp_path / "partial.json").write_text(json.dumps(data))
    result = run(runner, ["61", ""], "--answers", "partial.json", "--save-answers", "again.json")
    assert result.exit_code == 0, result.output
    assert "1 question(s) left" in result.output
    assert load_answers(tmp_path / "again.json")["age"] == 61


def test_answers_file_with_a_wrong_value_is_refused(runner, tmp_path):
    (tmp_path / "p.json").write_text('{"age": 7}')
    result = runner.invoke(cli, ["interview", "--answers", str(tmp_path / "p.json")])
    assert result.exit_code == 1
    assert "at age: got 7; allowed: a whole number from 18 to 100" in result.output


def test_end_of_input_leaves_cleanly(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, HAPPY[:5], "--save-answers", "a.json")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: Input ended before the interview was finished; nothing was saved."
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_exits_130_without_files(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_interview, "ask_line", interrupted)
    result = runner.invoke(cli, ["interview", "--save-answers", "a.json"])
    assert result.exit_code == 130
    assert "Interrupted; nothing half-written was left behind." in result.output
    assert list(tmp_path.iterdir()) == []


pexpect = pytest.importorskip("pexpect")


def _plan_gen() -> list[str]:
    exe = shutil.which("plan-gen", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "planner"]


def test_real_terminal_session(tmp_path):
    """A person at a real terminal (a pseudo-terminal): answers every prompt, one wrong answer, then the PDF."""
    command = _plan_gen()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795651200", "COLUMNS": "100"}
    child = pexpect.spawn(command[0], [*command[1:], "interview", "--save-answers", "a.json", "--out", "plan.pdf"],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30)
    for i, answer in enumerate(HAPPY):
        child.expect(r"\) > ")
        if i == AGE:  # age: one wrong answer first
            child.sendline("old")
            child.expect("is not a whole number from 18 to 100")
            child.expect(r"\) > ")
        child.sendline(answer)
    child.expect("press Enter to make your plan > ")
    child.sendline("")
    child.expect("plan is in plan.pdf")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert load_answers(tmp_path / "a.json")["name"] == "Zoë Łukasiewicz"
    pages = PdfReader(tmp_path / "plan.pdf").pages  # a whole plan (10 pages since the cover says a reason once)
    assert len(pages) >= 10 and any("Exercise cards" in page.extract_text() for page in pages)


def _default_sigint() -> None:
    # pytest may run under a shell or CI runner that ignores SIGINT, and an ignored signal stays ignored
    # across exec: give the child the default handling a person's terminal gives.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_in_a_real_terminal(tmp_path):
    command = _plan_gen()
    child = pexpect.spawn(command[0], [*command[1:], "interview", "--save-answers", "a.json"], cwd=str(tmp_path),
                          encoding="utf-8", timeout=30, preexec_fn=_default_sigint)
    child.expect(r"\) > ")
    child.sendintr()
    child.expect("Interrupted; nothing half-written was left behind.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


def test_piped_input_that_cannot_answer_ends_with_exit_1(runner, tmp_path, monkeypatch):
    """`yes no | plan-gen interview`: "no" is no age; three wrong answers in a row end it, never a loop."""
    monkeypatch.chdir(tmp_path)
    result = run(runner, ["no"] * 200, "--save-answers", "a.json")
    assert result.exit_code == 1
    assert result.output.count('"no" is not a whole number from 18 to 100.') == 3
    assert 'Error: No usable answer to "Age" after 3 tries on standard input' in result.output
    assert list(tmp_path.iterdir()) == []


def test_bytes_that_are_not_utf8_are_asked_again(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = ("\n".join(HAPPY[:10]) + "\n").encode() + b"Jos\xe9\n" + ("\n".join(HAPPY[10:] + [""]) + "\n").encode()
    result = runner.invoke(cli, ["interview", "--save-answers", "a.json"], input=text)
    assert result.exit_code == 0, result.output
    assert "holds characters that could not be read (not UTF-8 text). Please type it again." in result.output
    assert load_answers(tmp_path / "a.json")["name"] == "Zoë Łukasiewicz"


def test_choices_are_shown_in_plain_words_and_both_forms_accepted(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[AGE + 4] = "bending forward, lying_down"
    lines[AGE + 9] = "exercise ball"
    result = run(runner, lines + [""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert "4) bending forward" in result.output and "bending_forward" not in result.output
    assert "2) exercise ball" in result.output and "exercise_ball" not in result.output
    saved = load_answers(tmp_path / "a.json")
    assert saved["pain"]["worse_with"] == ["bending_forward", "lying_down"]
    assert saved["equipment"] == ["exercise_ball"]


def test_answers_are_saved_before_the_plan_is_made(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def broken(*_args, **_kwargs):
        raise RuntimeError("planning failed")

    monkeypatch.setattr(interview_module.Interview, "plan_for", broken)
    result = run(runner, HAPPY + [""], "--save-answers", "a.json")
    assert result.exit_code == 3
    assert load_answers(tmp_path / "a.json")["name"] == "Zoë Łukasiewicz"


def test_typed_values_are_kept_as_a_file_would_be(runner, tmp_path, monkeypatch):
    """0.00001 hours is stored as 0 (two decimal places), as validate and batch keep it."""
    monkeypatch.chdir(tmp_path)
    lines = list(HAPPY)
    lines[AGE + 5] = "0.00001"
    result = run(runner, lines + [""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "a.json").read_text())["posture"]["sitting_hours"] == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "x.pdf"], "--out x.pdf exists; choose another name, or add --force to replace it"),
    (["--save-answers", "x.pdf", "--out", "new.pdf"],
     "--save-answers x.pdf exists; choose another name, or add --force to replace it"),
    (["--save-answers", "same.pdf", "--out", "same.pdf"],
     "--save-answers same.pdf is also the PDF or the answers file read; choose another name"),
])
def test_files_are_never_replaced_without_force(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.pdf").write_text("keep me")
    result = run(runner, HAPPY + [""], *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "[1/" not in result.output  # refused before the first question
    assert (tmp_path / "x.pdf").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]


def test_force_replaces_the_pdf(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.pdf").write_text("old")
    result = run(runner, HAPPY + [""], "--out", "x.pdf", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


def test_activities_are_asked_one_by_one_with_a_rating_each(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typed = ["Putting on socks", "eleven", "4", "x" * 61, "Gardening", "7", ""]  # Enter at the third ends the list
    result = run(runner, HAPPY[:-1] + typed + [""], "--save-answers", "a.json")
    assert result.exit_code == 0, result.output
    assert "(activity 1 in a few words, such as putting on socks; press Enter to skip) > " in result.output
    assert "(activity 3 in a few words, such as putting on socks; press Enter when done) > " in result.output
    assert '"eleven" is not a whole number from 0 to 10.' in result.output
    assert (f'"{"x" * 61}" is not allowed here. Please enter text of 1 to 60 characters, not only spaces, on one '
            "line.") in result.output
    assert "Everyday activities: Putting on socks (4 of 10); Gardening (7 of 10)" in result.output
    assert load_answers(tmp_path / "a.json")["activities"] == [{"activity": "Putting on socks", "rating": 4},
                                                               {"activity": "Gardening", "rating": 7}]
