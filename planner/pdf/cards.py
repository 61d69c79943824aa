"""Exercise cards (how, how much, why) and the daily-habit advice pages."""

from __future__ import annotations

import json
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from planner.figures import figure_drawing, figure_size
from planner.model import Chosen, Plan
from planner.pdf import wording as W
from planner.pdf.plan_pages import dose_line
from planner.pdf.styles import Styles
from planner.pdf.text import Para, esc, labelled, para


def dose_by_weeks(c: Chosen) -> list[tuple[str, str]]:
    """('Weeks 1-2', '2 sets of 10, rest 30 s') rows: following weeks with the same dose share a row."""
    rows: list[tuple[int, int, str]] = []
    for wd in c.weekly_doses:
        text = dose_line(wd.dose, c.rest_seconds) + (f" ({W.KEEP_LEVEL})" if wd.keep else "")
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


FIGURE_SIDE = 52 * mm  # the dose column beside a figure; the figure keeps each pose at least 55 mm wide


def exercise_cards(plan: Plan, st: Styles, width: float, numbers: dict[str, int]) -> list:
    """One numbered card per exercise, in routine order, from the plan model only. Cards flow, so two
    share a page where they fit; a card never splits."""
    out: list = []
    by_id = {c.id: c for c in plan.exercises}
    for n, ex_id in enumerate(sorted(numbers, key=numbers.get)):
        card = exercise_card(by_id[ex_id], numbers[ex_id], st, width)
        if n == 0:  # the section's heading never stands alone at the foot of a page
            card = [para(W.CARDS_HEADING, st.h1, outline=(W.CARDS_HEADING, 0)), para(W.CARDS_INTRO, st.body)] + card
        out.append(KeepTogether(card))  # the card title's spaceBefore parts cards; no spacer to strand
    return out


def exercise_card(c: Chosen, number: int, st: Styles, width: float) -> list:
    """The figure with the dose and how often beside it, then aim and steps. Cautions and the reasons join
    the column beside the figure while it has room (a tall standing figure leaves some), else follow below."""
    fig_width = width - FIGURE_SIDE
    fig_w, fig_h = figure_size(st.size, fig_width, c.figure) if c.figure else (fig_width, 1)
    figure = card_figure(json.dumps(c.figure, sort_keys=True), fig_w, fig_h, st.small.fontName,
                         st.small.fontSize) if c.figure else Spacer(1, 1)
    rows = dose_by_weeks(c)
    shown = rows if len(rows) <= 2 else [rows[0], rows[-1]]  # every week's dose is in the routine tables
    side = [labelled(W.YOUR_DOSE, "", st.side)] + [labelled(f"{when}:", text, st.side) for when, text in shown]
    side.append(labelled("How often:", c.how_often, st.side))
    extra = [("Later on:", c.progression)] if c.progression else []
    extra += [("Take care:", caution) for caution in c.cautions]
    if c.reasons:
        extra.append(("Why it is in your plan:", " ".join(c.reasons)))
    used = sum(_height(p, FIGURE_SIDE) for p in side)
    below = []
    for label, text in extra:
        beside, under = labelled(label, text, st.side), labelled(label, text, st.tight)
        taller = max(0.0, used + _height(beside, FIGURE_SIDE) - max(fig_h, used))  # what it adds beside
        if not below and taller < _height(under, width):
            side.append(beside)
            used += _height(beside, FIGURE_SIDE)
        else:
            below.append(under)
    top = Table([[figure, side]], colWidths=[fig_width, FIGURE_SIDE])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    card = [para(W.CARD_TITLE.format(n=number, name=c.name), st.card_title, outline=(c.name, 1)), top,
            Spacer(1, st.size * 0.3), labelled("Aim:", c.aim, st.tight)]
    card += [Para(esc(step), st.step, bulletText=f"{k}.") for k, step in enumerate(c.steps, start=1)]
    return card + [Spacer(1, st.size * 0.2)] + below


def _height(p, width: float) -> float:
    return p.wrap(width, 10_000)[1] + p.getSpaceAfter()


def advice_pages(plan: Plan, st: Styles) -> list:
    if not plan.advice:
        return []
    out: list = []
    for i, advice in enumerate(plan.advice):
        block = [para(advice.title, st.h2)]
        block += [Para(esc(point), st.bullet, bulletText="\u2022") for point in advice.points]
        if i == 0:  # the heading stays with the first habit
            head = para(W.ADVICE_HEADING, st.h1, outline=(W.ADVICE_HEADING, 0))
            block = [head, para(W.ADVICE_INTRO, st.body), *block]
        out.append(KeepTogether(block))
    return out
