"""Exercise cards (how, how much, why) and the daily-habit advice pages."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from planner.catalogue import Catalogue
from planner.model import Chosen, Plan
from planner.pdf.plan_pages import grid
from planner.pdf.styles import Styles
from planner.pdf.text import dose_text, esc, labelled, para


def dose_by_weeks(c: Chosen) -> list[tuple[str, str]]:
    """('Weeks 1 to 2', '10 times') rows: weeks with the same dose share a row."""
    rows: list[tuple[int, int, str]] = []
    for offset, dose in enumerate(c.weekly_doses):
        week, text = c.first_week + offset, dose_text(dose)
        if rows and rows[-1][2] == text:
            rows[-1] = (rows[-1][0], week, text)
        else:
            rows.append((week, week, text))
    return [(f"Week {a}" if a == b else f"Weeks {a} to {b}", text) for a, b, text in rows]


def exercise_cards(plan: Plan, catalogue: Catalogue, st: Styles, width: float) -> list:
    because = dict(plan.reasons)
    out = [para("Exercise cards", st.h1, outline=("Exercise cards", 0)),
           para("How to do each exercise in your plan, how much to do each week, and why it is there.", st.body)]
    for c in plan.exercises:
        ex = catalogue.exercises[c.id]
        card = [para(ex.name, st.h2, outline=(ex.name, 1)), labelled("Aim:", ex.aim, st.body)]
        card += [Paragraph(esc(step), st.bullet, bulletText=f"{n}.") for n, step in enumerate(ex.steps, start=1)]
        rows = [[para("When", st.cell_bold), para("Your dose", st.cell_bold)]]
        rows += [[para(when, st.cell), para(text, st.cell)] for when, text in dose_by_weeks(c)]
        card += [Spacer(1, st.size * 0.3), grid(rows, [width * 0.35, width * 0.65]), Spacer(1, st.size * 0.4)]
        how_often = "Every session." if ex.dose.frequency == "daily" else (
            "Strength days only, with at least one day off in between.")
        card.append(labelled("How often:", how_often, st.body))
        if c.progression:
            card.append(labelled("Later on:", c.progression, st.body))
        for caution in ex.cautions:
            card.append(labelled("Take care:", caution, st.body))
        reasons = [because[r] for r in c.rules if r in because]
        if reasons:
            card.append(labelled("Why it is in your plan:", " ".join(reasons), st.body))
        out += [KeepTogether(card), Spacer(1, st.size)]
    return out + [PageBreak()]


def advice_pages(plan: Plan, st: Styles) -> list:
    if not plan.advice:
        return []
    out = [para("Daily habits", st.h1, outline=("Daily habits", 0)),
           para("What you do between sessions matters as much as the exercises.", st.body)]
    for advice in plan.advice:
        block = [para(advice.title, st.h2)]
        block += [Paragraph(esc(point), st.bullet, bulletText="\u2022") for point in advice.points]
        out.append(KeepTogether(block))
    return out + [PageBreak()]
