"""`plan-gen interview`: the questionnaire in a terminal, as a flow that any front end can drive.

The flow gets two functions, `ask(prompt) -> str` (raising EOFError when
input ends) and `say(text)`, so the CLI wires it to a terminal or a pipe and
tests drive it with lists. Safety comes first: the warning-sign questions are
asked first, and after each one the real triage rules run on the answers so
far; an answer that means emergency care ends the interview at once.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner.answers import Answers, answers_schema, apply_defaults, check_answers, start_date
from planner.build import make_plan
from planner.errors import InvalidInput, PlanGenError
from planner.jsonio import read_json_file
from planner.model import Plan
from planner.questions import MISSING, BadAnswer, Question, get, placeholder, put, questions, shown
from planner.triage import Triage, triage
from planner.validation import schema_problems


class InputEnded(PlanGenError):
    """Standard input ended before the interview did."""


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    answers: Answers | None  # complete answers; None when the interview stopped early
    stopped_early: bool


def load_partial(path: str) -> dict:
    """An answers file to start from: every field it has must be valid; missing ones will be asked."""
    data = read_json_file(path)
    problems = [p for p in schema_problems(data, answers_schema(), path) if not p.message.startswith("missing;")]
    if problems:
        raise InvalidInput(problems)
    return data


class Interview:
    def __init__(self, ask: Callable[[str], str], say: Callable[[str], None], today: dt.date):
        self.ask, self.say, self.today = ask, say, today
        self.schema = answers_schema()
        self.questions = questions(self.schema)
        self.first = [q for q in self.questions
                      if self.schema["properties"][q.path[0]].get("x-interview") == "first"]

    def run(self, start: dict | None = None) -> Outcome:
        answers = copy.deepcopy(start or {})
        answers["schema_version"] = 1
        todo = [q for q in self.questions if get(answers, q) is MISSING]
        self.say("plan-gen asks a few questions about your back pain and makes a home exercise plan. "
                 "It does not diagnose. The first questions check for warning signs.")
        if start:
            self.say(f"Starting from your answers file: {len(todo)} question(s) left.")
        warned = False
        for number, q in enumerate(todo, start=1):
            self._ask(q, answers, f"[{number}/{len(todo)}]")
            if q in self.first:
                trial = self._provisional(answers)
                plan = triage(trial)  # the status only: no weeks are laid out after each answer
                if plan.status == "urgent_care":
                    self._urgent(plan)
                    return Outcome(make_plan(trial, self.today), None, stopped_early=True)
                if plan.status == "see_professional" and not warned:
                    warned = True
                    self.say("Because of this answer, plan-gen will not make an exercise plan. It will make a page "
                             "for you to take to a doctor or physiotherapist. Please answer the rest so they see "
                             "the whole picture.")
        self._review(answers)
        complete = self._complete(answers)
        return Outcome(make_plan(complete, self.today), complete, stopped_early=False)

    def _ask(self, q: Question, answers: dict, counter: str) -> None:
        heading = f"{counter} {q.section}: {q.title}" if q.section else f"{counter} {q.title}"
        self.say("")
        self.say(heading)
        self.say(q.schema.get("description", ""))
        while True:
            text = self.ask(f"({q.hint(self.today)}) > ")
            try:
                put(answers, q, q.parse(text))
                return
            except BadAnswer as exc:
                self.say(str(exc))

    def _provisional(self, answers: dict) -> Answers:
        """The answers so far, with neutral values for the rest, to triage."""
        trial = copy.deepcopy(answers)
        for q in self.questions:
            if get(trial, q) is MISSING and (value := placeholder(q)) is not MISSING:
                put(trial, q, value)
        return check_answers(trial, "interview")

    def _urgent(self, plan: Triage) -> None:
        self.say("")
        self.say("STOP: please get emergency care now.")
        for _, because in plan.referral_reasons:
            self.say(f"  {because}")
        self.say("Go to an emergency department or call your local emergency number. Do not start any exercises.")

    def _review(self, answers: dict) -> None:
        while True:
            self.say("")
            self.say("Your answers:")
            for i, q in enumerate(self.questions, start=1):
                self.say(f"  {i:>2}. {q.title}: {shown(q, get(answers, q), self.today)}")
            text = self.ask("Type a number to change that answer, or press Enter to make your plan > ").strip()
            if not text:
                return
            if text.isdigit() and 1 <= int(text) <= len(self.questions):
                q = self.questions[int(text) - 1]
                self._ask(q, answers, f"[change {text}]")
            else:
                self.say(f"Please type a number from 1 to {len(self.questions)}, or press Enter.")

    def _complete(self, answers: dict) -> Answers:
        """The answers with every default written out, including the start date, so a saved file
        gives the same plan whenever it is run again."""
        full = apply_defaults(self.schema, answers)
        full.setdefault("plan", {})["start_date"] = start_date(full, self.today).isoformat()
        return check_answers(full, "interview")


def free_name(folder: Path, stem: str = "back-plan", suffix: str = ".pdf") -> Path:
    """`back-plan.pdf`, or `back-plan-2.pdf` and so on: never an existing file."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
