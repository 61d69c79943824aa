"""Exercise cards (how, how much, why) and the daily-habit advice pages."""

from __future__ import annotations

import json
from functools import lru_cache

from reportlab.platypus import KeepTogether, PageBreak, Spacer

from planner.figures import figure_drawing, figure_size
from planner.model import Chosen, Plan
from planner.pdf import wording as W
from planner.pdf.plan_pages import grid
from planner.pdf.styles import Styles
from planner.pdf.text import Para, dose_text, esc, labelled, para


def dose_by_weeks(c: Chosen) -> list[tuple[str, str]]:
    """('Weeks 1-2', '10 times') rows: following weeks with the same dose share a row; a ceiling says so."""
    rows: list[tuple[int, int, str]] = []
    for wd in c.weekly_doses:
        text = dose_text(wd.dose) + (f" ({W.KEEP_LEVEL})" if wd.keep else "")
        if rows and rows[-1][2] == text and rows[-1][1] == wd.week - 1:
            rows[-1] = (rows[-1][0], wd.week, text)
        else:
            rows.append((wd.week, wd.week, text))
    return [(f"Week {a}" if a == b else f"Weeks {a}-{b}", text) for a, b, text in rows]


@lru_cache(maxsize=256)
def card_figure(figure_json: str, width: float, height: float, font: str, size: float):
    """An exercise's figure, built once per process and size: it is the same in every plan.

    A reportlab Drawing holds no page state, so one object can be drawn into any number of PDFs;
    building it (shape attribute checks) was a fifth of a plan's render time.
    """
    return figure_drawing(json.loads(figure_json), width=width, height=height, label_font=font, label_size=size)


def exercise_cards(plan: Plan, st: Styles, width: float) -> list:
    """One card per exercise, from the plan model only (aim, steps, figure, how often and why)."""
    out = [para(W.CARDS_HEADING, st.h1, outline=(W.CARDS_HEADING, 0)), para(W.CARDS_INTRO, st.body)]
    for c in plan.exercises:
        card = [para(c.name, st.h2, outline=(c.name, 1))]
        # The figure across the page (each pose at least 55 mm wide, larger with large print), then the doses.
        right = width * 0.75
        rows = [["When", "Your dose"]] + [list(row) for row in dose_by_weeks(c)]
        doses = grid(rows, [right * 0.27, right * 0.73], st)
        doses.hAlign = "LEFT"
        figure = card_figure(json.dumps(c.figure, sort_keys=True), *figure_size(st.size, width, c.figure),
                             st.small.fontName, st.small.fontSize) if c.figure else Spacer(1, 1)
        card += [figure, Spacer(1, st.size * 0.4), doses, Spacer(1, st.size * 0.4), labelled("Aim:", c.aim, st.body)]
        card += [Para(esc(step), st.bullet, bulletText=f"{n}.") for n, step in enumerate(c.steps, start=1)]
        card.append(labelled("How often:", c.how_often, st.body))
        if c.progression:
            card.append(labelled("Later on:", c.progression, st.body))
        for caution in c.cautions:
            card.append(labelled("Take care:", caution, st.body))
        if c.reasons:
            card.append(labelled("Why it is in your plan:", " ".join(c.reasons), st.body))
        out += [KeepTogether(card), Spacer(1, st.size)]
    return out + [PageBreak()]


def advice_pages(plan: Plan, st: Styles) -> list:
    if not plan.advice:
        return []
    out = [para(W.ADVICE_HEADING, st.h1, outline=(W.ADVICE_HEADING, 0)), para(W.ADVICE_INTRO, st.body)]
    for advice in plan.advice:
        block = [para(advice.title, st.h2)]
        block += [Para(esc(point), st.bullet, bulletText="\u2022") for point in advice.points]
        out.append(KeepTogether(block))
    return out + [PageBreak()]
