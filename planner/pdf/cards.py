"""Exercise cards (how, how much, why) and the daily-habit advice that follows them."""

from __future__ import annotations

import json
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from planner.figures import MIN_POSE_WIDTH, _bounds, figure_drawing, figure_size, second_row
from planner.model import Chosen, Plan
from planner.pdf import wording as W
from planner.pdf.plan_pages import dose_line
from planner.pdf.styles import Styles
from planner.pdf.text import Para, esc, labelled, para
from planner.poses import joints


def dose_summary(c: Chosen) -> str:
    """The card's one line of dose: the first and the last, each with its rest. Every week's dose is in
    the routine tables only, so a change of dose is made (and read) in one place."""
    first, last = c.weekly_doses[0], c.weekly_doses[-1]
    a, b = dose_line(first.dose, c.rest_seconds), dose_line(last.dose, c.rest_seconds)
    if first.week == last.week:
        return W.DOSE_ONE.format(dose=a, week=first.week)
    if a == b:
        return W.DOSE_SAME.format(dose=a, a=first.week, b=last.week)
    return W.DOSE_RANGE.format(first=a, a=first.week, last=b, b=last.week)


@lru_cache(maxsize=256)
def card_figure(figure_json: str, width: float, height: float, font: str, size: float):
    """An exercise's figure, built once per process and size: it is the same in every plan.

    A reportlab Drawing holds no page state, so one object can be drawn into any number of PDFs;
    building it (shape attribute checks) was a fifth of a plan's render time.
    """
    return figure_drawing(json.loads(figure_json), width=width, height=height, label_font=font, label_size=size)


SIDE = 52 * mm  # the least column beside a figure: dose, how often, cautions and the reason while it has room


def least_figure(st: Styles) -> float:
    """The narrowest figure that gives each pose its least width (55 mm, scaled with the type), with
    figures.py's gap between the poses (the larger of 24 pt and 7% of the width) and a hair to spare."""
    poses = 2 * MIN_POSE_WIDTH * st.size / 12.0
    return max(poses + 24.0, poses / 0.93) + 0.5 * mm


def fitted_figure(figure: dict, st: Styles, max_width: float) -> tuple[float, float]:
    """The figure's width and a height that fits its poses: figure_size keeps at least 7.5 lines of height
    for any pose, which leaves an empty band above a lying one; here a low pose gets a low figure."""
    width, height = figure_size(st.size, max_width, figure)
    panel = (width - max(24.0, width * 0.07)) / 2
    x0, _, x1, y1 = _bounds([joints({**figure[k], "facing": figure.get("facing", 1)}) for k in ("start", "end")])
    label = st.small.fontSize  # the drawing's labels are in the small type
    second = second_row(label) if "second_view" in figure else 0
    fitted = panel * y1 / (x1 - x0) + label + 4 + 4 + 2 + 2  # the labels, the mat and a hair of room
    return width, min(height, fitted + second)


def side_by_side(st: Styles, width: float) -> bool:
    """A column beside the figure only where it leaves each pose its least width: in standard print it
    does (the column takes what the figure leaves, at least SIDE); in large print the figure takes the width
    and the column goes below."""
    return width - least_figure(st) >= SIDE


def exercise_cards(plan: Plan, st: Styles, width: float, numbers: dict[str, int]) -> list:
    """One numbered card per exercise, in routine order, from the plan model only. Cards flow, so two or
    three share a page where they fit; a card never splits."""
    out: list = []
    by_id = {c.id: c for c in plan.exercises}
    for n, ex_id in enumerate(sorted(numbers, key=numbers.get)):
        card = exercise_card(by_id[ex_id], numbers[ex_id], st, width)
        if n == 0:  # the section's heading never stands alone at the foot of a page
            card = [para(W.CARDS_HEADING, st.h1, outline=(W.CARDS_HEADING, 0)), para(W.CARDS_INTRO, st.body)] + card
        out.append(KeepTogether(card))  # the card title's spaceBefore parts cards; no spacer to strand
    return out


def exercise_card(c: Chosen, number: int, st: Styles, width: float) -> list:
    """The figure with the dose and how often beside it, then aim and steps. Cautions and the reason join
    the column beside the figure while it has room (a tall standing figure leaves some), else follow below."""
    beside_ok = side_by_side(st, width)
    fig_room = least_figure(st) if beside_ok else width
    side_w = width - fig_room
    fig_w, fig_h = fitted_figure(c.figure, st, fig_room) if c.figure else (fig_room, 1)
    figure = card_figure(json.dumps(c.figure, sort_keys=True), fig_w, fig_h, st.small.fontName,
                         st.small.fontSize) if c.figure else Spacer(1, 1)
    items = [(W.DOSE_LABEL, dose_summary(c)), (W.HOW_OFTEN_LABEL, c.how_often)]
    items += [(W.CARE_LABEL, caution) for caution in c.cautions]
    if c.progression:
        items.append((W.LATER_LABEL, c.progression))
    if c.reasons:
        items.append((W.WHY_LABEL, " ".join(c.reasons)))
    side: list = []
    below: list = []
    used = 0.0
    for k, (label, text) in enumerate(items):
        beside, under = labelled(label, text, st.side), labelled(label, text, st.tight)
        if beside_ok and not below:
            high = _height(beside, side_w)
            taller = max(0.0, used + high - max(fig_h, used))  # what it adds to the row beside the figure
            if k < 2 or taller < _height(under, width):  # dose and how often always sit by the figure
                side.append(beside)
                used += high
                continue
        below.append(under)
    top = Table([[figure, side]], colWidths=[fig_room, side_w]) if beside_ok else Table([[figure]], [width])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    first = [] if side else below[:2]  # with no column: dose and how often come first, the rest after the steps
    card = [para(W.CARD_TITLE.format(n=number, name=c.name), st.card_title, outline=(c.name, 1)), top,
            Spacer(1, st.size * 0.25), *first, labelled(W.AIM_LABEL, c.aim, st.tight)]
    card += [Para(esc(step), st.step, bulletText=f"{k}.") for k, step in enumerate(c.steps, start=1)]
    return card + ([Spacer(1, st.size * 0.15)] if below[len(first):] else []) + below[len(first):]


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
