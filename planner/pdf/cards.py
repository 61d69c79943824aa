"""Exercise cards (how, how much, why) and the daily-habit advice that follows them."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from planner.figures import MIN_POSE_WIDTH, figure_drawing, figure_size, pose_extent, pose_scale, second_row
from planner.model import Chosen, Plan
from planner.pdf import wording as W
from planner.pdf.plan_pages import dose_line, sentences_once
from planner.pdf.styles import Styles
from planner.pdf.text import Para, esc, keep_together, labelled, para


def dose_summary(c: Chosen, *, glue: bool = True) -> str:
    """The card's one line of dose: the first and the last, each with its rest. Every week's dose is in
    the routine tables only, so a change of dose is made (and read) in one place. `glue` keeps the second
    week with its dose's first phrase (exercise_card drops it where that would cost the card a line)."""
    first, last = c.weekly_doses[0], c.weekly_doses[-1]
    a, b = dose_line(first.dose, c.rest_seconds), dose_line(last.dose, c.rest_seconds)
    if first.week == last.week:
        text = W.DOSE_ONE.format(dose=a, week=first.week)
    elif a == b:
        text = W.DOSE_SAME.format(dose=a, a=first.week, b=last.week)
    else:
        text = W.DOSE_RANGE.format(first=a, a=first.week, last=b, b=last.week)
    # a week ('Week 8:', 'Weeks 3 to 6:') never breaks inside itself; the second week never parts from its
    # dose's first phrase ('each side. Week 6:' ending a line, '3 times' the next, reads as a third dose)
    if glue:
        text = re.sub(r"(?<=\. )Weeks? \d+(?: to \d+)?: ", lambda m: keep_together(m.group(0)), text)
    return re.sub(r"Weeks? \d+(?: to \d+)?:", lambda m: keep_together(m.group(0)), text)


@lru_cache(maxsize=256)
def card_figure(figure_json: str, width: float, height: float, font: str, size: float):
    """An exercise's figure, built once per process and size: it is the same in every plan.

    A reportlab Drawing holds no page state, so one object can be drawn into any number of PDFs;
    building it (shape attribute checks) was a fifth of a plan's render time.
    """
    return figure_drawing(json.loads(figure_json), width=width, height=height, label_font=font, label_size=size)


SIDE = 52 * mm  # the least column beside a figure: dose, how often, cautions and the reason while it has room
SIDE_PAD = 4.0  # points between the figure's floor line and the column's text


def least_figure() -> float:
    """The narrowest figure that gives each pose its least width (55 mm), with figures.py's gap between the
    poses (the larger of 24 pt and 7% of the width) and a hair to spare."""
    poses = 2 * MIN_POSE_WIDTH
    return max(poses + 24.0, poses / 0.93) + 0.5 * mm


def fitted_figure(figure: dict, size: float, label: float, max_width: float) -> tuple[float, float]:
    """The figure's width and a height that fits its poses: figure_size keeps at least 7.5 lines of height
    for any pose, which leaves an empty band above a lying one; here a low pose gets a low figure. `size`
    is the body type, `label` the drawing's (the small type)."""
    width, height = figure_size(size, max_width, figure)
    panel = (width - max(24.0, width * 0.07)) / 2
    wide, high = pose_extent(figure)
    second = second_row(label) if "second_view" in figure else 0
    pose = min(panel * high / wide, size * POSE_LINES)
    return width, min(height, pose + label + 4 + 4 + 2 + 1 + second)  # the labels, the mat and a hair of room


POSE_LINES = 13  # a standing pose is this many lines of text high (55 mm in standard print), a lying one less


def figure_box(figure: dict | None, st: Styles, width: float) -> tuple[float, float, bool]:
    """The figure's width and height, and whether a column goes beside it.

    In standard print the figure is as narrow as 55 mm poses allow and the column takes the rest. In large
    print the figure grows with the type; a tall (standing) figure is as high as its row allows long before
    it is as wide as the page, so it keeps the standard width, drawn just as large, and the column still
    fits beside it. A low (lying) figure takes the full width, and the column's texts go below."""
    if not figure:
        return least_figure(), 1.0, True
    return _box(json.dumps(figure, sort_keys=True), st.size, st.small.fontSize, width)


@lru_cache(maxsize=512)
def _box(figure_json: str, size: float, label: float, width: float) -> tuple[float, float, bool]:
    """figure_box, worked out once per figure, type and width in a process (a plan has a dozen cards)."""
    figure = json.loads(figure_json)
    least = least_figure()
    if width - least < SIDE:  # no room for a column at all
        return (*fitted_figure(figure, size, label, width), False)
    narrow = fitted_figure(figure, size, label, least)
    if size <= 12:
        return (*narrow, True)
    full = fitted_figure(figure, size, label, width)
    if pose_scale(figure, *narrow, label) >= pose_scale(figure, *full, label) - 0.01:
        return (*narrow, True)
    return (*full, False)


def exercise_cards(plan: Plan, st: Styles, width: float, numbers: dict[str, int]) -> list:
    """One numbered card per exercise, in routine order, from the plan model only. Cards flow, so two or
    three share a page where they fit; a card never splits."""
    out: list = []
    by_id = {c.id: c for c in plan.exercises}
    first: dict[tuple[str, ...], int] = {}  # a card's reasons -> the first card that printed them
    for n, ex_id in enumerate(sorted(numbers, key=numbers.get)):
        c = by_id[ex_id]
        same = first.setdefault(tuple(c.reasons), numbers[ex_id]) if c.reasons else numbers[ex_id]
        card = exercise_card(c, numbers[ex_id], st, width,
                             why=W.WHY_SAME.format(n=same) if same != numbers[ex_id] else None)
        if n == 0:  # the section's heading never stands alone at the foot of a page
            card = [para(W.CARDS_HEADING, st.h1, outline=(W.CARDS_HEADING, 0))] + card  # 'How to use' says the rest
        out.append(KeepTogether(card))  # the card title's spaceBefore parts cards; no spacer to strand
    return out


def exercise_card(c: Chosen, number: int, st: Styles, width: float, why: str | None = None) -> list:
    """The figure with the dose and how often beside it, then aim and steps. The aim, cautions and the
    reason each join the column beside the figure where that makes the card no taller than placing them
    below (a tall standing figure leaves room), else the aim comes before the steps and the rest after.
    `why` replaces the reasons: 'The same as for card 1.' where an earlier card printed the very same ones
    (they were printed word for word on up to six cards, and cost large print up to three pages)."""
    why = _why(c, why)
    return _exercise_card(c, number, st, width, card_dose(c, st, width, why), why)


def _why(c: Chosen, why: str | None) -> str:
    return why_text(c.reasons) if why is None else why


def why_text(reasons: tuple[str, ...]) -> str:
    """A card's reasons as one text, each sentence once. Two rules that add the same exercise share the
    sentences they have in common word for word (rules/40_protect.json: 'So the plan leaves out moves that
    arch the lower back.'): printed one after the other, the card said it twice. Which sentences are shared
    is in the rules' texts, so a clinician still words a reason in rules/ alone."""
    return " ".join(r for r in sentences_once(reasons) if r)


def card_dose(c: Chosen, st: Styles, width: float, why: str | None = None) -> str:
    """The dose with its second week kept whole where that makes the card no taller (a page holds three
    cards only just); else as before, where a line may end in 'Week 6:'."""
    glued, loose = dose_summary(c), dose_summary(c, glue=False)
    if glued == loose:
        return glued
    why = _why(c, why)
    high = [sum(f.wrap(width, 100_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                for f in _exercise_card(c, 1, st, width, dose, why)) for dose in (glued, loose)]
    return glued if high[0] <= high[1] + 0.01 else loose


def _exercise_card(c: Chosen, number: int, st: Styles, width: float, dose: str, why: str) -> list:
    fig_w, fig_h, beside_ok = figure_box(c.figure, st, width)
    fig_room = fig_w if beside_ok else width
    side_w = width - fig_room - SIDE_PAD  # the column's text width
    figure = card_figure(json.dumps(c.figure, sort_keys=True), fig_w, fig_h, st.small.fontName,
                         st.small.fontSize) if c.figure else Spacer(1, 1)
    fixed = [(W.DOSE_LABEL, dose), (W.HOW_OFTEN_LABEL, c.how_often)]
    extra = [(W.AIM_LABEL, c.aim)] + [(W.CARE_LABEL, caution) for caution in c.cautions]
    extra += [(W.LATER_LABEL, c.progression)] if c.progression else []
    extra += [(W.WHY_LABEL, why)] if why else []
    if not beside_ok:  # large print: dose, how often and aim under the figure, the steps, then the rest
        head = [labelled(label, text, st.tight) for label, text in fixed + extra[:1]]
        return _card(c, number, st, figure_row(figure, None, width, 0), head, [labelled(la, t, st.tight)
                                                                              for la, t in extra[1:]])
    side = [labelled(label, text, st.side) for label, text in fixed]
    used = sum(_height(p, side_w) for p in side)
    head: list = []
    tail: list = []
    for label, text in extra:
        beside, under = labelled(label, text, st.side), labelled(label, text, st.tight)
        high = _height(beside, side_w)
        if max(0.0, used + high - max(fig_h, used)) <= _height(under, width):  # what it adds beside the figure
            side.append(beside)
            used += high
        else:
            (head if label == W.AIM_LABEL else tail).append(under)
    return _card(c, number, st, figure_row(figure, side, fig_room, side_w + SIDE_PAD), head, tail)


def figure_row(figure, side: list | None, fig_width: float, side_width: float) -> Table:
    """The figure, with the column beside it when there is one."""
    row = Table([[figure, side]], colWidths=[fig_width, side_width]) if side is not None else \
        Table([[figure]], colWidths=[fig_width])
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("LEFTPADDING", (1, 0), (1, 0), SIDE_PAD)]))
    return row


def _card(c: Chosen, number: int, st: Styles, top: Table, head: list, tail: list) -> list:
    """Title, the figure row, what comes before the steps, the numbered steps, what comes after."""
    title = para(W.CARD_TITLE.format(n=number, name=c.name), st.card_title, outline=(c.name, 1))
    title.card_ref = str(number)  # the routine rows print the page this lands on (pageref.py)
    card = [title, top,
            Spacer(1, st.size * 0.1), *head]
    card += [Para(esc(step), st.step, bulletText=f"{k}.") for k, step in enumerate(c.steps, start=1)]
    return card + ([Spacer(1, st.size * 0.1)] if tail else []) + tail


def _height(p, width: float) -> float:
    return p.wrap(width, 10_000)[1] + p.getSpaceAfter()


def advice_pages(plan: Plan, st: Styles) -> list:
    """The daily habits, straight after the last card: each habit's title stays with its first point (and
    the section's heading with the first habit), and its last point with the one before, so no point stands
    alone on a page (cleared pregnancy: one point on a page of its own); the others flow on, so no page is
    left half empty. The points sit a little closer than other bullets: a habit's last points then share the
    last card's page instead of taking one of their own (long pain unchecked, Letter: two points on page 10)."""
    if not plan.advice:
        return []
    out: list = []
    for i, advice in enumerate(plan.advice):
        points = [Para(esc(point), st.habit, bulletText="\u2022") for point in advice.points]
        first = 1 if len(points) > 2 else len(points)
        block = [para(advice.title, st.h2), *points[:first]]
        if i == 0:
            block = [para(W.ADVICE_HEADING, st.h1, outline=(W.ADVICE_HEADING, 0)), para(W.ADVICE_INTRO, st.body),
                     *block]
        out += [KeepTogether(block), *points[first:-2], *([KeepTogether(points[-2:])] if first == 1 else [])]
    return out
