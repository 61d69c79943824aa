"""Plan and referral PDFs from the plan model (`render_pdf` is the entry point)."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from planner.answers import Answers
from planner.catalogue import Catalogue
from planner.clinic import Clinic
from planner.model import Plan
from planner.pdf import cards, clinic_block, clinician, plan_pages
from planner.pdf import wording as W
from planner.pdf.checkin_form import checkin_form
from planner.pdf.document import Mark, build_pdf
from planner.pdf.fonts import printable
from planner.pdf.styles import MARGIN, PAGE_SIZES, make_styles
from planner.pdf.text import Para, esc, long_date, para


def render_pdf(plan: Plan, catalogue: Catalogue, *, page_size: str = "a4",
               large_print: bool = False, clinic: Clinic | None = None,
               clinician_answers: Answers | None = None) -> tuple[bytes, list[str]]:
    """The PDF for a plan (or a referral), and warnings about text the font cannot show.

    With `clinician_answers` (--clinician-copy) one page for the clinic's file follows the patient's pages."""
    st = make_styles(large_print)
    width = PAGE_SIZES[page_size][0] - 2 * MARGIN
    name, warnings = printable(plan.name, "name") if plan.name else (None, [])
    clinic, clinic_warnings = clinic_block.printable_clinic(clinic) if clinic else (None, [])
    shown = [printable(a, "activity name") for a in plan.activities]
    activities = tuple(text for text, _ in shown)
    warnings = warnings + clinic_warnings + [w for _, found in shown for w in found]
    footer = f"Plan from {long_date(plan.start_date)}" if plan.status == "plan" else (
        f"{W.WRITTEN_ON} {long_date(plan.triage.written_on or plan.start_date)}")
    if plan.status != "plan":
        story, title = referral(plan, st, name, clinic_block.referral_block(clinic, st, width))
        return _build(story, plan, st, page_size, footer, title, clinician_answers, width), warnings
    title = "Back exercise plan" + (f" for {name}" if name else "")
    marks: dict = {}
    data = _build(_plan_story(plan, st, width, name, clinic, activities, False), plan, st, page_size, footer, title,
                  clinician_answers, width, marks)
    cards_at, habits_at = marks.get("cards", (0, 0.0)), marks.get("habits", (0, 0.0))
    if marks["pages"][0] > (AIM_LARGE if large_print else AIM) and habits_at[0] > cards_at[0] and habits_at[1] < 0.4:
        # The habits' last points alone on a page before the check-in form (older adult, A4: 16% of page 10).
        # The habits before the cards may fill the calendar's page instead: kept only where that saves a page,
        # so no plan gets longer and most keep the usual order. A second layout costs the time of a first, so
        # it is tried only in a plan over the pages aimed for (measured: docs/pemat-p.md).
        other: dict = {}
        first = _build(_plan_story(plan, st, width, name, clinic, activities, True), plan, st, page_size, footer,
                       title, clinician_answers, width, other)
        if other["pages"][0] < marks["pages"][0]:
            data = first
    return data, warnings


AIM, AIM_LARGE = 10, 12  # the pages issue 13 aims for: a plan over them may try the habits before the cards


def _plan_story(plan: Plan, st, width: float, name: str | None, clinic, activities: tuple[str, ...],
                habits_first: bool) -> list:
    """A plan's pages: the cover, then the body (`plan_body`), then the check-in form."""
    return (plan_pages.cover(plan, st, width, name, list(plan.focus), clinic_block.cover_block(clinic, st, width))
            + plan_body(plan, st, width, habits_first)
            # One page in standard print (issue 15). Large print keeps its 14 pt type here too and takes
            # a second page: the person who asked for it is the one who fills the form in by hand.
            + checkin_form(plan, st, width, activities))


def plan_body(plan: Plan, st, width: float, habits_first: bool = False) -> list:
    """What a first plan and a check-in's next block both print between their first page and the check-in
    form: before you start, the routines, the calendar, the cards and the daily habits (after the last card,
    or with `habits_first` after the calendar). Marks note where the cards and habits end."""
    numbers = plan_pages.card_order(plan)
    exercise = cards.exercise_cards(plan, st, width, numbers) + [Mark("cards")]
    habits = cards.advice_pages(plan, st) + [Mark("habits")]
    return (plan_pages.before_you_start(plan, st, width)
            + plan_pages.routines(plan, st, width, numbers)
            + plan_pages.calendar_log(plan, st, width)
            + (habits + exercise if habits_first else exercise + habits))


def _build(story: list, plan: Plan, st, page_size: str, footer: str, title: str,
           clinician_answers: Answers | None, width: float, marks: dict | None = None) -> bytes:
    if clinician_answers is not None:
        story = story + clinician.clinic_pages(plan, clinician_answers, width)
    return build_pdf(story, page_size=page_size, footer_left=footer, footer_size=st.footer_size, title=title,
                     disclaimer=W.DISCLAIMER if plan.status == "plan" else W.REFERRAL_DISCLAIMER,
                     subject="Home exercise plan for everyday lower back pain", marks=marks)


TIME_LINES = {"now": W.TIME_NOW, "today": W.TIME_TODAY, "soon": W.TIME_SOON}


def referral(plan: Plan, st, name: str | None, clinic: tuple | list = ()) -> tuple[list, str]:
    """One page in place of a plan, and its heading: how soon (its first line), why, what to tell the
    clinician, what to do if it gets worse, and how to come back for a plan. No exercise advice of any kind.
    The clinic's box follows the intro; with emergency care, the steps to get it come before the clinic."""
    frame = plan.triage.time_frame or ("now" if plan.status == "urgent_care" else "soon")
    heading, intro, steps = {
        "now": (W.URGENT_HEADING, W.URGENT_INTRO, W.URGENT_STEPS),
        "today": (W.TODAY_HEADING, W.TODAY_INTRO, W.TODAY_STEPS),
        "soon": (W.REFER_HEADING, W.REFER_INTRO, W.REFER_STEPS),
    }[frame]
    out = [para(TIME_LINES[frame], st.warn), para(heading, st.title, outline=(heading, 0))]
    if name:
        out.append(para(f"For {name}", st.h2))
    out.append(para(intro, st.warn if frame == "now" else st.body))
    out += () if frame == "now" else clinic
    out += _section(para(W.ANSWERS_HEADING, st.h2),
                    [Para(esc(text), st.bullet, bulletText="\u2022") for _, text in plan.referral_reasons])
    out += _section(para(W.NEXT_HEADING, st.h2),
                    [Para(esc(s), st.bullet, bulletText=f"{n}.") for n, s in enumerate(steps, start=1)])
    out += clinic if frame == "now" else ()
    out += _section(para(W.TELL_HEADING, st.h2), [para(W.TELL_INTRO, st.body)] +
                    [Para(esc(s), st.bullet, bulletText="\u2022") for s in plan.triage.tell_them], first=2)
    if plan.triage.not_asked:
        out.append(para(W.NOT_ASKED_INTRO + " " + "; ".join(plan.triage.not_asked) + ".", st.body))
    if frame != "now":  # the emergency signs are read whole, never split over a page
        out.append(KeepTogether([para(W.WORSE_HEADING, st.h2)] + [para(c.text, st.body) for c in plan.cautions]))
        out.append(Spacer(1, st.size * 0.5))
        # Only a referral every reason of which a clearance lifts (the rules' `clearable`) may promise a plan.
        come_back = (W.COME_BACK_HEADING, W.COME_BACK_CLEARED) if plan.triage.clearable else (
            W.AFTER_VISIT_HEADING, W.COME_BACK_SIGNS)
        out.append(KeepTogether([para(come_back[0], st.h2), para(come_back[1], st.body)]))
    return out, heading


def _section(heading, items: list, first: int = 1) -> list:
    """A referral section: its heading never ends a page alone (it stays with its first `first` items)."""
    return [KeepTogether([heading, *items[:first]]), *items[first:]]
