"""`plan-gen checkin --interview`: the check-in questions in a terminal, from the check-in schema.

The flow gets `ask(prompt) -> str` and `say(text)`, as `planner.interview` does, so tests drive it with
lists. The warning signs come first; after each one the plan's triage rules run on the answers so far,
and an answer that needs emergency care ends the check-in at once. A bad answer is asked again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from planner.answers import check_answers, same_words
from planner.build import make_plan
from planner.checkin import block_weeks, checkin_schema
from planner.data_source import DataSource
from planner.interview import InputEnded
from planner.model import Plan
from planner.questions import MISSING, BadAnswer, Question
from planner.triage import tell_them_at_checkin

NONE_WORDS = ("", "none", "no", "-")


@dataclass(frozen=True)
class CheckinOutcome:
    data: dict | None  # the check-in answers; None when it stopped for emergency care
    urgent: Plan | None = None


class CheckinInterview:
    def __init__(self, ask: Callable[[str], str], say: Callable[[str], None], plan: dict, today: dt.date,
                 max_tries: int | None = None, data: DataSource | None = None):
        self.ask, self.say, self.plan, self.today, self.max_tries = ask, say, plan, today, max_tries
        self.data = data or DataSource()  # the rules whose triage stops the interview: those of the next block
        self.schema = checkin_schema()

    def _question(self, path: tuple[str, ...], schema: dict, section: str | None = None) -> Question:
        return Question(path, {**schema, "x-required": True}, section)

    def _ask(self, q: Question, parse: Callable[[str], object] | None = None) -> object:
        self.say("")
        self.say(f"{q.section}: {q.title}" if q.section else q.title)
        if q.schema.get("description"):
            self.say(q.schema["description"])
        tries = 0
        while True:
            text = self.ask(f"({'type names, separated by commas, or none' if parse else q.hint(self.today)}) > ")
            try:
                value = parse(text) if parse else q.parse(text)
                if value is not MISSING:
                    return value
                raise BadAnswer("Please type an answer; this question cannot be skipped.")
            except BadAnswer as exc:
                self.say(str(exc))
                tries += 1
                if self.max_tries is not None and tries >= self.max_tries:
                    raise InputEnded(f'No usable answer to "{q.title}" after {tries} tries on standard input; '
                                     "nothing was written.") from None

    def _urgent(self, flags: dict) -> Plan | None:
        answers = check_answers(self.plan["answers"], "the plan's answers")
        trial = {**answers, "red_flags": {**{k: False for k in answers["red_flags"]}, **flags},
                 "cleared_by_professional": False}
        plan = make_plan(trial, self.today, *self.data.pair())
        if plan.status != "urgent_care":
            return None
        # Stopped before the pain questions: nothing current to tell but the sign; the first answers as then.
        return dataclasses.replace(plan, triage=dataclasses.replace(
            plan.triage, tell_them=tell_them_at_checkin(answers, None)))

    def _names(self, text: str) -> list[str]:
        if text.strip().lower() in NONE_WORDS:
            return []
        done = [e for e in self.plan["exercises"] if e["weekly_doses"]]
        known = {e["id"].lower(): e["id"] for e in done} | {e["name"].lower(): e["id"] for e in done}
        out = []
        for part in (p.strip() for p in text.split(",") if p.strip()):
            if part.lower() not in known:
                names = ", ".join(e["name"] for e in done)
                raise BadAnswer(f'"{part}" is not an exercise in your plan. Your exercises: {names}.')
            if known[part.lower()] not in out:
                out.append(known[part.lower()])
        return out

    def run(self) -> CheckinOutcome:
        props = self.schema["properties"]
        self.say("plan-gen asks how you are doing and plans your next weeks. The first questions check for "
                 "warning signs.")
        flags: dict[str, bool] = {}
        section = props["red_flags"]["title"]
        for name, sub in props["red_flags"]["properties"].items():
            flags[name] = bool(self._ask(self._question(("red_flags", name), sub, section)))
            urgent = self._urgent(flags) if flags[name] else None
            if urgent is not None:
                self.say("")
                self.say("STOP: please get emergency care now.")
                for _, because in urgent.referral_reasons:
                    self.say(f"  {because}")
                return CheckinOutcome(None, urgent)
        pain = props["pain"]["properties"]
        data: dict = {"checkin_version": 1, "red_flags": flags, "pain": {
            "now": self._ask(self._question(("pain", "now"), pain["now"], props["pain"]["title"])),
            "compared": self._ask(self._question(("pain", "compared"), pain["compared"], props["pain"]["title"]))}}
        first, last = block_weeks(self.plan)
        item = props["sessions_per_week"]["items"]
        data["sessions_per_week"] = [
            self._ask(self._question(("sessions_per_week",), {**item, "title": f"Sessions done in week {n}",
                                                              "description": ""}, "Sessions"))
            for n in range(first, last + 1)]
        data["settled_by_morning"] = self._ask(self._question(("settled_by_morning",), props["settled_by_morning"]))
        lists = props["exercises"]["properties"]
        data["exercises"] = {k: self._ask(self._question(("exercises", k), lists[k], "Exercises"), self._names)
                             for k in ("hurt", "too_hard", "too_easy")}
        rating = props["activities"]["items"]["properties"]["rating"]
        before = self.plan["checkin"]["history"][-1]["activities"] or self._new_activities()
        data["activities"] = [
            {"activity": a["activity"], "rating": self._ask(self._question(
                ("activities",), {**rating, "title": a["activity"]}, "Your activities"))} for a in before]
        return CheckinOutcome(data)

    def _new_activities(self) -> list[dict]:
        """Up to three activities in the person's own words, asked when none were named before."""
        about = self.schema["properties"]["activities"]
        self.say("")
        self.say(about["title"])
        self.say(about["description"])
        out: list[dict] = []
        while len(out) < about["maxItems"]:
            text = self.ask("(an activity in a few words, or press Enter when done) > ").strip()
            if not text:
                break
            if any(same_words(text[:60]) == same_words(a["activity"]) for a in out):  # the check-in would be refused
                self.say(f'"{text}" is in your list already. Name another activity, or press Enter when done.')
                continue
            out.append({"activity": text[:60]})
        return out
