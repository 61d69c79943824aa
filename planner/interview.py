"""`plan-gen interview`: the questionnaire in a terminal, as a flow that any front end can drive.

The flow gets two functions, `ask(prompt) -> str` (raising EOFError when
input ends) and `say(text)`, so the CLI wires it to a terminal or a pipe and
tests drive it with lists. Safety comes first: the warning-sign questions are
asked first, and after each one the real triage rules run on the answers so
far; an answer that means emergency care ends the interview at once.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planner import upgrade
from planner.answers import (
    Answers,
    answers_schema,
    apply_defaults,
    check_answers,
    normalise,
    repeated_activities,
    same_words,
    start_date,
)
from planner.build import make_plan
from planner.data_source import DataSource
from planner.errors import InvalidInput, PlanGenError
from planner.jsonio import read_json_file
from planner.model import Plan
from planner.questions import MISSING, BadAnswer, Question, get, placeholder, put, questions, shown
from planner.rules import condition_facts
from planner.triage import Status, tell_them, triage
from planner.validation import describe, schema_problems

REFERRAL_SAID = {
    "clearable": "A doctor or physiotherapist should check this before you exercise. Has one checked you and "
                 "said exercise is fine? Then say so when asked (Cleared to exercise), and plan-gen will make "
                 "your plan.",
    "soon": "Because of this answer, plan-gen will not make an exercise plan. It will make a page for you to take "
            "to a doctor or physiotherapist. Please answer the rest so they see the whole picture.",
    "today": "Because of this answer, please see a doctor today. plan-gen will not make an exercise plan. It will "
             "make a page for you to take with you. Please answer the rest so the doctor sees the whole picture.",
}


class InputEnded(PlanGenError):
    """Standard input ended before the interview did."""


@dataclass(frozen=True)
class Outcome:
    plan: Plan | None  # the emergency page when the interview stopped early; else made after saving
    answers: Answers | None  # complete answers; None when the interview stopped early
    stopped_early: bool


def load_partial(path: str) -> dict:
    """An answers file to start from: every field it has must be valid; missing ones will be asked."""
    data = upgrade.partial_to_current(read_json_file(path))
    # A missing answer is asked; a list item's missing part (an activity's words) cannot be, so it is reported.
    problems = [p for p in schema_problems(data, answers_schema(), path)
                if not p.message.startswith("missing;") or "[" in p.location]
    if not problems and isinstance(data, dict):  # an activity named twice would end the interview at its close
        problems = repeated_activities(data, path)
    if problems:
        raise InvalidInput(problems)
    return data


class Interview:
    """The questions, asked one by one.

    `max_tries` bounds the wrong answers in a row to one question: piped input that cannot answer it
    ends the interview (InputEnded) instead of repeating the question for ever. None: no bound, for a
    person at a terminal.
    """

    def __init__(self, ask: Callable[[str], str], say: Callable[[str], None], today: dt.date,
                 max_tries: int | None = None, data: DataSource | None = None):
        self.ask, self.say, self.today, self.max_tries = ask, say, today, max_tries
        self.data = data or DataSource()  # the rules and catalogue that triage and plan (--rules, --catalogue)
        self.schema = answers_schema()
        self.questions = questions(self.schema)
        self.first = [q for q in self.questions
                      if self.schema["properties"][q.path[0]].get("x-interview") == "first"]

    def run(self, start: dict | None = None) -> Outcome:
        answers = copy.deepcopy(start or {})
        answers["schema_version"] = upgrade.CURRENT
        todo = [q for q in self.questions if get(answers, q) is MISSING]
        self.say("plan-gen asks a few questions about your back pain and makes a home exercise plan. "
                 "It does not diagnose. The first questions check for warning signs.")
        if start:
            self.say(f"Starting from your answers file: {len(todo)} question(s) left.")
            if (urgent := self._triage(answers)[1]) is not None:  # the file already holds an answer for care now
                self._urgent(urgent)
                return Outcome(urgent, None, stopped_early=True)
        warned: set[str] = set()
        for number, q in enumerate(todo, start=1):
            self._ask(q, answers, f"[{number}/{len(todo)}]")
            if q in self.first:
                status, urgent = self._triage(answers)
                if urgent is not None:
                    self._urgent(urgent)
                    return Outcome(urgent, None, stopped_early=True)
                if status.status == "see_professional":
                    self._say_referral(status, warned)
        self._review(answers)
        return Outcome(None, self._complete(answers), stopped_early=False)

    def plan_for(self, answers: Answers) -> Plan:
        """The plan, made after the answers are safe on disk, so a failure here never loses them."""
        return make_plan(answers, self.today, *self.data.pair())

    def _wrong(self, tries: int, what: str) -> None:
        if self.max_tries is not None and tries >= self.max_tries:
            raise InputEnded(f"No usable answer to \"{what}\" after {tries} tries on standard input; "
                             "check the piped answers. Nothing was saved.")

    def _ask(self, q: Question, answers: dict, counter: str) -> None:
        heading = f"{counter} {q.section}: {q.title}" if q.section else f"{counter} {q.title}"
        self.say("")
        self.say(heading)
        self.say(q.schema.get("description", ""))
        if q.kind() == "ratings":
            put(answers, q, self._ratings(q))
            return
        tries = 0
        while True:
            text = self.ask(f"({q.hint(self.today)}) > ")
            try:
                value = q.parse(text)
                if value is not MISSING:
                    value = normalise(q.schema, value)  # as a file's value is kept: 9.333 hours is 9.33
                trial = copy.deepcopy(answers)
                put(trial, q, value)
                self._same_as_a_file(trial, q)
                put(answers, q, value)
                return
            except BadAnswer as exc:
                self.say(str(exc))
                tries += 1
                self._wrong(tries, q.title)

    def _ratings(self, q: Question) -> object:
        """Up to `maxItems` things in the person's words, each with its rating; Enter at the first skips the
        question (MISSING), Enter at a later one ends the list."""
        words, rating = q.parts()
        out: list[dict] = []
        repeats = 0
        while len(out) < q.schema["maxItems"]:
            more = "press Enter to skip" if not out else "press Enter when done"
            text = self._one(words, f"{words.title.lower()} {len(out) + 1} in a few words, such as putting on "
                             f"socks; {more}", optional=True)
            if text is MISSING:
                break
            if any(same_words(str(text)) == same_words(a[words.path[-1]]) for a in out):  # a file would be refused
                self.say(f'"{text}" is in your list already. Name another activity, or press Enter when done.')
                repeats += 1
                self._wrong(repeats, words.title)
                continue
            out.append({words.path[-1]: text, rating.path[-1]: self._one(
                rating, f"how well you can do it now, {describe(rating.schema)}; 0 is not at all")})
        return out or MISSING

    def _one(self, q: Question, hint: str, optional: bool = False) -> object:
        """One typed answer to a part of a question, asked again until it fits."""
        tries = 0
        while True:
            text = self.ask(f"({hint}) > ")
            try:
                if optional and not text.strip():
                    return MISSING
                return q.parse(text)
            except BadAnswer as exc:
                self.say(str(exc))
                tries += 1
                self._wrong(tries, q.title)

    def _same_as_a_file(self, answers: dict, q: Question) -> None:
        """The checks a file would get, for this answer: what the field schema alone cannot see."""
        problems = [p for p in schema_problems(answers, self.schema, "interview")
                    if p.location == q.key and not p.message.startswith("missing;")]
        if problems:
            raise BadAnswer(f"That answer is not allowed here: {problems[0].message}.")

    def _say_referral(self, plan: Status, warned: set[str]) -> None:
        """Say once what a referral answer means: one that a professional's clearance can lift (asked later)
        is not yet a refusal; one it cannot lift is, and a same-day one says so."""
        kind = "clearable" if plan.triage.clearable else plan.triage.time_frame or "soon"
        if kind not in warned and not (kind == "soon" and "today" in warned):
            warned.add(kind)
            self.say(REFERRAL_SAID[kind])

    def _provisional(self, answers: dict) -> tuple[Answers, frozenset[str], frozenset[str]]:
        """The answers so far, with neutral values for the rest, to triage; the facts so filled in
        ("pain.level"), which the person never gave and no page may state; and of those, the ones made up
        (a placeholder where the schema has no default, such as age 18)."""
        trial, filled, guessed = copy.deepcopy(answers), set(), set()
        for q in self.questions:
            if get(trial, q) is MISSING and (value := placeholder(q)) is not MISSING:
                put(trial, q, value)
                filled.add(".".join(q.path))
                if "default" not in q.schema:
                    guessed.add(".".join(q.path))
        return check_answers(trial, "interview"), frozenset(filled), frozenset(guessed)

    def _triage(self, answers: dict) -> tuple[Status, Plan | None]:
        """The status of the answers so far, and the emergency page if they need care now, else None.

        It lists only what the person said: a reason whose rule reads a made-up value (a placeholder with no
        default in the schema, such as age 18) is dropped, and care now resting on such reasons alone waits for
        the real answers (the finished interview's referral still gives it). What to tell the staff leaves out
        every placeholder and says those questions were not asked."""
        trial, filled, guessed = self._provisional(answers)
        rulebook, catalogue = self.data.pair()
        status = triage(trial, rulebook, catalogue)  # the status only: no weeks are laid out after each answer
        said = tuple(r for r in status.referral_reasons if not condition_facts(rulebook.rules[r[0]].when) & guessed)
        if status.status != "urgent_care" or not said:
            return status, None
        plan = make_plan(trial, self.today, rulebook, catalogue)  # the emergency page: the whole referral
        ids = {rid for rid, _ in said}
        return status, dataclasses.replace(
            plan, referral_reasons=said, reasons=tuple(r for r in plan.reasons if r[0] in ids),
            triage=dataclasses.replace(plan.triage, tell_them=tell_them(trial, filled)))

    def _urgent(self, plan: Plan) -> None:
        self.say("")
        self.say("STOP: please get emergency care now.")
        for _, because in plan.referral_reasons:
            self.say(f"  {because}")
        self.say("Go to an emergency department or call your local emergency number. Do not start any exercises.")

    def _review(self, answers: dict) -> None:
        tries = 0
        while True:
            self.say("")
            self.say("Your answers:")
            for i, q in enumerate(self.questions, start=1):
                self.say(f"  {i:>2}. {q.title}: {shown(q, get(answers, q), self.today)}")
            text = self.ask("Type a number to change that answer, or press Enter to make your plan > ").strip()
            if not text:
                return
            if text.isdigit() and 1 <= int(text) <= len(self.questions):
                tries = 0
                q = self.questions[int(text) - 1]
                self._ask(q, answers, f"[change {text}]")
            else:
                self.say(f"Please type a number from 1 to {len(self.questions)}, or press Enter.")
                tries += 1
                self._wrong(tries, "change an answer")

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
