"""Plan and referral PDFs from the plan model (`render_pdf` is the entry point)."""

from __future__ import annotations

from reportlab.platypus import Spacer

from planner.catalogue import Catalogue
from planner.clinic import Clinic
from planner.model import Plan
from planner.pdf import cards, clinic_block, plan_pages
from planner.pdf import wording as W
from planner.pdf.document import build_pdf
from planner.pdf.fonts import printable
from planner.pdf.styles import MARGIN, PAGE_SIZES, make_styles
from planner.pdf.text import Para, esc, long_date, para


def render_pdf(plan: Plan, catalogue: Catalogue, *, page_size: str = "a4",
               large_print: bool = False, clinic: Clinic | None = None) -> tuple[bytes, list[str]]:
    """The PDF for a plan (or a referral), and warnings about text the font cannot show."""
    st = make_styles(large_print)
    width = PAGE_SIZES[page_size][0] - 2 * MARGIN
    name, warnings = printable(plan.name, "name") if plan.name else (None, [])
    clinic, clinic_warnings = clinic_block.printable_clinic(clinic) if clinic else (None, [])
    warnings = warnings + clinic_warnings
    footer = f"Plan from {long_date(plan.start_date)}" if plan.status == "plan" else (
        f"Referral in place of a plan from {long_date(plan.start_date)}")
    if plan.status != "plan":
        story = referral(plan, st, name, clinic_block.referral_block(clinic, st, width))
        title = W.REFER_HEADING
    else:
        names = {c.id: c.name for c in plan.exercises}
        story = (plan_pages.cover(plan, st, width, name, list(plan.focus), clinic_block.cover_block(clinic, st, width))
                 + plan_pages.before_you_start(plan, st, width)
                 + plan_pages.at_a_glance(plan, st, width)
                 + plan_pages.weeks(plan, st, width, names)
                 + cards.exercise_cards(plan, catalogue, st, width)
                 + cards.advice_pages(plan, st)
                 + plan_pages.progress_log(plan, st, width))
        title = "Back exercise plan" + (f" for {name}" if name else "")
    data = build_pdf(story, page_size=page_size, footer_left=footer, footer_size=st.footer_size, title=title,
                     subject="Home exercise plan for everyday lower back pain")
    return data, warnings


def referral(plan: Plan, st, name: str | None, clinic: tuple = ()) -> list:
    urgent = plan.status == "urgent_care"
    heading = W.URGENT_HEADING if urgent else W.REFER_HEADING
    out = [para(heading, st.title, outline=(heading, 0))]
    if name:
        out.append(para(f"For {name}", st.h2))
    out.append(para(W.URGENT_INTRO, st.warn) if urgent else para(W.REFER_INTRO, st.body))
    out += () if urgent else clinic  # with emergency care, the steps to get it come before the clinic
    out.append(para(W.ANSWERS_HEADING, st.h2))
    out += [Para(esc(text), st.bullet, bulletText="\u2022") for _, text in plan.referral_reasons]
    out.append(para(W.NEXT_HEADING, st.h2))
    steps = W.URGENT_STEPS if urgent else W.REFER_STEPS
    out += [Para(esc(s), st.bullet, bulletText=f"{n}.") for n, s in enumerate(steps, start=1)]
    out += clinic if urgent else ()
    if plan.cautions:
        out.append(Spacer(1, st.size * 0.5))
        for c in plan.cautions:
            out += [para(c.title, st.bold), para(c.text, st.body)]
    return out
