"""The check-in questions on paper, printed in every plan: when to check in and a form to fill in by hand.

Every question comes from the check-in schema (`planner.checkin.checkin_schema`), so the paper form, the
JSON a clinic types in and the rules read the same questions.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from planner.checkin import checkin_schema
from planner.model import Plan
from planner.pdf import plan_pages
from planner.pdf.styles import Styles
from planner.pdf.text import para

HEADING = "Check-in"
EVERY = 2  # weeks between check-ins (the default --weeks of plan-gen checkin)
WHEN = ("Fill in these questions after week {first}, and again every {every} weeks. Take it to your physio or clinic, "
        "or type it into a check-in file. Your next weeks are then planned from your answers.")
WARNING_FIRST = ("Answer these first. If any answer is yes, stop the exercises and get help as your plan says. "
                 "Do not wait for the check-in.")
YES_NO = "\u2610 yes  \u2610 no"
LINE = "_" * 12


def checkin_form(plan: Plan, st: Styles, width: float) -> list:
    """The check-in questions to fill in by hand (nothing for a plan no longer than a check-in block)."""
    if plan.weeks_count <= EVERY:
        return []
    schema = checkin_schema()
    props = schema["properties"]
    flags = props["red_flags"]["properties"]
    out: list = [CondPageBreak(st.size * 40), para(HEADING, st.h1, outline=(HEADING, 0)),
                 para(WHEN.format(first=EVERY, every=EVERY), st.body),
                 para(props["red_flags"]["title"], st.h2), para(WARNING_FIRST, st.body)]
    signs = [para(q["title"], st.small) for q in flags.values()]
    half = (len(signs) + 1) // 2  # two columns, so the whole form fits on one page
    rows = [[signs[i], YES_NO, *([signs[i + half], YES_NO] if i + half < len(signs) else ["", ""])]
            for i in range(half)]
    out.append(plan_pages.grid([["Warning sign", "Now", "Warning sign", "Now"], *rows],
                               [width * 0.32, width * 0.18] * 2, st, body=st.small))
    pain = props["pain"]["properties"]
    rows = [
        [pain["now"]["description"], f"{LINE} of 10"],
        [pain["compared"]["description"], "\u2610 better  \u2610 same  \u2610 worse"],
        [props["sessions_per_week"]["description"], "week __: ___   week __: ___"],
        [props["settled_by_morning"]["description"], YES_NO],
    ]
    ex = props["exercises"]["properties"]
    rows += [[f'{ex[k]["title"]}: {ex[k]["description"]}', ""] for k in ("hurt", "too_hard", "too_easy")]
    rows = [[para(q, st.small), a] for q, a in rows]
    out += [Spacer(1, st.size * 0.5), plan_pages.grid([["Question", "Your answer"], *rows],
                                                      [width * 0.6, width * 0.4], st, body=st.small)]
    act = props["activities"]
    rows = [[f"{n}.", "", f"{LINE} of 10"] for n in (1, 2, 3)]
    out.append(KeepTogether([para(act["title"], st.h2), para(act["description"], st.body),
                             plan_pages.grid([["", "Activity", "Rating"], *rows],
                                             [width * 0.08, width * 0.62, width * 0.3], st, body=st.small)]))
    return out + [PageBreak()]
