"""The check-in questions on paper, printed in every plan: when to check in and a form to fill in by hand.

Every question comes from the check-in schema (`planner.checkin.checkin_schema`), so the paper form, the
JSON a clinic types in and the rules read the same questions.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from planner.checkin import checkin_schema
from planner.model import Plan
from planner.pdf import plan_pages
from planner.pdf.styles import Styles
from planner.pdf.text import Para, esc, labelled, para

HEADING = "Check-in"
EVERY = 2  # weeks between check-ins (the default --weeks of plan-gen checkin)
WHEN = ("Fill in these questions after week {first}, and again every {every} weeks. Take it to your physio or clinic, "
        "or type it into a check-in file. Your next weeks are then planned from your answers.")
WARNING_FIRST = ("Answer these first. If any answer is yes, stop the exercises and get help as your plan says. "
                 "Do not wait for the check-in.")
YES_NO = "\u2610 yes  \u2610 no"
BOX = "\u2610"
LINE = "_" * 12


WRITE = 9 * mm  # a row a person writes in is at least this high


def checkin_form(plan: Plan, st: Styles, width: float, activities: tuple[str, ...] = (),
                 first: int | None = None, every: int = EVERY) -> list:
    """The check-in questions to fill in by hand, on one page of its own (nothing for a plan no longer than a
    check-in block): the warning signs in two columns, then the questions and the activities, each row a
    person writes in at least 9 mm high. `first`: the week of the next check-in, on a block made after one
    (whose form always prints: the last one was handed in); `every`: that block's length in weeks."""
    if first is None and plan.weeks_count <= EVERY:
        return []
    schema = checkin_schema()
    props = schema["properties"]
    flags = props["red_flags"]["properties"]
    out: list = [PageBreak(), para(HEADING, st.h1, outline=(HEADING, 0)),
                 para(WHEN.format(first=first or EVERY, every=every).replace("every 1 weeks", "every week"), st.small),
                 labelled(props["red_flags"]["title"] + ".", WARNING_FIRST, st.small)]
    signs = [para(q["title"], st.small) for q in flags.values()]
    half = (len(signs) + 1) // 2  # two columns, so the whole form fits on one page
    rows = [[signs[i], BOX, BOX, *([signs[i + half], BOX, BOX] if i + half < len(signs) else ["", "", ""])]
            for i in range(half)]
    tick = stringWidth("Yes", st.small_bold.fontName, st.small.fontSize) + 2 * plan_pages.PAD + 2
    centre = [("ALIGN", (1, 0), (2, -1), "CENTER"), ("ALIGN", (4, 0), (5, -1), "CENTER")]
    out.append(plan_pages.grid([["Warning sign now", "Yes", "No"] * 2, *rows], [width / 2 - 2 * tick, tick, tick] * 2,
                               st, body=st.small, head=st.small_bold, extra=[*tight(st), *centre]))
    pain = props["pain"]["properties"]
    rows = [
        [pain["now"]["description"], f"{LINE} of 10"],
        [pain["compared"]["description"], "\u2610 better  \u2610 same  \u2610 worse"],
        [props["sessions_per_week"]["description"], "week __: ___\nweek __: ___"],
        [props["settled_by_morning"]["description"], YES_NO],
    ]
    ex = props["exercises"]["properties"]
    rows += [[f'{ex[k]["title"]}: {ex[k]["description"]}', ""] for k in ("hurt", "too_hard", "too_easy")]
    rows = [[para(q, st.small), a] for q, a in rows]
    written = tuple(0 if "\u2610" in a else WRITE for _, a in rows)  # tick boxes need no room to write
    answer = stringWidth(rows[1][1], st.small.fontName, st.small.fontSize) + 2 * plan_pages.PAD + 2
    out += [Spacer(1, st.size * 0.5), plan_pages.grid([["Question", "Your answer"], *rows],
                                                           [width - answer, answer], st, body=st.small,
                                                           head=st.small_bold, extra=tight(st), least=written)]
    act = props["activities"]
    named = [Para(esc(a), st.small) for a in activities[:3]]  # chosen at the start: rated the same each time
    rows = [[f"{n}.", named[n - 1] if n <= len(named) else "", f"{LINE} of 10"] for n in (1, 2, 3)]
    table = plan_pages.grid([["", "Activity", "Rating"], *rows], [width * 0.08, width * 0.62, width * 0.3], st,
                            body=st.small, head=st.small_bold, extra=tight(st), least=(WRITE,) * 3)
    out.append(KeepTogether([Spacer(1, st.size * 0.3), labelled(act["title"] + ".", act["description"], st.small),
                             table]))
    return out + [PageBreak()]


def tight(st: Styles) -> list:
    """Table style: the small type in every cell, and little padding."""
    return [("FONT", (0, 0), (-1, -1), st.small.fontName, st.small.fontSize, st.small.leading),
            ("FONT", (0, 0), (-1, 0), st.small_bold.fontName, st.small.fontSize, st.small.leading),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
