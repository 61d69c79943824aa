"""The check-in PDF: "How you are doing" first (a chart of the ratings so far, the sessions done and what
changes and why), then the next block's weeks and cards, drawn by the plan's own page functions.

The chart is reportlab.graphics (no other dependency): pain and each activity, 0 to 10, at the start and at
each check-in. A referral made at a check-in prints as any referral does (`planner.pdf.render.render_pdf`).
"""

from __future__ import annotations

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.validators import Auto
from reportlab.platypus import PageBreak, Spacer

from planner.catalogue import Catalogue
from planner.clinic import Clinic
from planner.model import Plan
from planner.pdf import clinic_block, clinician, plan_pages
from planner.pdf.checkin_form import checkin_form
from planner.pdf.document import build_pdf
from planner.pdf.fonts import REGULAR, printable
from planner.pdf.render import plan_body, render_pdf
from planner.pdf.styles import MARGIN, PAGE_SIZES, make_styles
from planner.pdf.text import Para, esc, long_date, para

HEADING = "How you are doing"
CHART_INTRO = ("The chart shows your ratings from 0 to 10 at the start and at each check-in. For pain, lower is "
               "better. For your activities, higher is better.")
SESSIONS_HEADING = "Sessions you did"
CHANGES_HEADING = "What changes in the next weeks, and why"
TIPS_HEADING = "Tips to fit your sessions in"
NEXT_CHECKIN = "Check in again after week {week}: fill in the form at the end of this plan, and bring it."
LEGEND_HALF = 34  # characters of a name that fit in half the chart's width
MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle")
LINE_DASHES = ((6, 3), (2, 2), (8, 3, 2, 3))  # the activities' lines; pain's is solid
# Pain and three activities take the first four; check-ins that name other activities the rest, so no two
# lines share a colour until ten lines (a legend entry each)
LINE_COLOURS = tuple(colors.HexColor(c) for c in ("#b03020", "#1f5fa8", "#2e7d32", "#7b4fa0", "#e07b00", "#00838f",
                                                  "#6d4c41", "#c2185b", "#616161", "#9e9d24"))


def progress_chart(history: list[dict], width: float, size: float) -> Drawing:
    """Pain and activity ratings (0-10) at each point in the history, one line each, with a legend."""
    labels = [p["label"] for p in history]
    series = [("Pain", [p["pain"] for p in history])]
    names = [a["activity"] for p in history for a in p["activities"]]
    for name in dict.fromkeys(names):
        series.append((name, [next((a["rating"] for a in p["activities"] if a["activity"] == name), None)
                              for p in history]))
    # The legend shows each activity in full (up to 60 characters): in one column when a name is long.
    columns = 1 if any(len(name) > LEGEND_HALF for name, _ in series) else 2
    legend_height = -(-len(series) // columns) * size * 1.3
    height = size * 13.5 + legend_height
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = size * 3, size * 3.5 + legend_height
    chart.width, chart.height = width - size * 5, size * 9
    chart.data = [values for _, values in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = size * 0.8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 10, 2
    chart.joinedLines = 1
    for i in range(len(series)):  # colour, line and marker differ, so no line is told apart by colour alone
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        chart.lines[i].strokeColor = colour
        chart.lines[i].strokeWidth = 2.5 if i == 0 else 1.5
        chart.lines[i].strokeDashArray = None if i == 0 else LINE_DASHES[(i - 1) % len(LINE_DASHES)]
        chart.lines[i].symbol = _marker(colour, MARKERS[i % len(MARKERS)])
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = size * 3, legend_height
    legend.fontName, legend.fontSize = REGULAR, size * 0.85
    legend.alignment = "right"
    legend.columnMaximum = -(-len(series) // columns)
    legend.deltay = size * 1.3  # the row height the drawing leaves room for (reportlab's 20 pt ran off its foot)
    legend.deltax = (width - size * 5) / 2
    legend.colorNamePairs = [(LINE_COLOURS[i % len(LINE_COLOURS)], printable(name, "")[0])
                             for i, (name, _) in enumerate(series)]
    legend.swatchMarker = Auto(obj=chart)  # each name beside a piece of its own line, marker and dashes
    drawing.add(legend)
    return drawing


def _marker(colour, kind: str = "FilledCircle"):
    from reportlab.graphics.widgets.markers import makeMarker

    marker = makeMarker(kind)
    marker.size = 5
    marker.fillColor = colour
    return marker


def how_you_are_doing(plan: Plan, st, width: float, name: str | None, clinic_box: list | tuple = ()) -> list:
    followup = plan.followup
    out = [para(HEADING, st.title, outline=(HEADING, 0))]
    if name:
        out.append(para(f"For {name}", st.h2))
    if clinic_box:  # who to call, on the first page as on a first plan's cover
        out += [*clinic_box, Spacer(1, st.size * 0.5)]
    out += [para(CHART_INTRO, st.body), progress_chart(followup["history"], width, st.size), Spacer(1, st.size)]
    done = [(p["label"], p["week"], p["sessions_per_week"]) for p in followup["history"] if p["sessions_per_week"]]
    if done:
        out.append(para(SESSIONS_HEADING, st.h2))
        rows = [["Check-in", "Weeks", f"Sessions done each week (of {plan.days_per_week})"]]
        for label, week, counts in done:
            first = week - len(counts) + 1
            rows.append([label, f"{first} to {week}" if len(counts) > 1 else str(week),
                         ", ".join(str(c) for c in counts)])
        out.append(plan_pages.grid(rows, [width * 0.25, width * 0.2, width * 0.55], st))
    out.append(para(CHANGES_HEADING, st.h2))
    out += [Para(esc(c["text"]), st.bullet, bulletText="\u2022") for c in followup["changes"]]
    if plan.notes:
        out.append(para(TIPS_HEADING, st.h2))
        out += [Para(esc(t), st.bullet, bulletText="\u2022") for t in plan.notes]
    if plan.weeks:
        out.append(para(NEXT_CHECKIN.format(week=plan.weeks[-1].number), st.body))
    return out + [PageBreak()]


def _history_warnings(plan: Plan) -> list[str]:
    """A warning for each activity name in the history that the font cannot show, once. The chart and the clinic's
    table print such a name with '?' only where it is shown: two names that differ only in those characters
    still keep a line each."""
    found = [w for p in plan.followup.get("history", []) for a in p["activities"]
             for w in printable(a["activity"], "activity name")[1]]
    return list(dict.fromkeys(found))


def render_checkin_pdf(plan: Plan, catalogue: Catalogue, *, page_size: str = "a4",
                       large_print: bool = False, clinic: Clinic | None = None,
                       clinician_answers: dict | None = None) -> tuple[bytes, list[str]]:
    """The next block as a PDF (or the referral that replaces it), and warnings about text the font cannot show.

    With `clinician_answers` (--clinician-copy) the clinic's pages follow: the progress in figures, then the
    page a first plan's copy has. With `clinic` (--clinic) its box follows the chart, as on a first plan's cover."""
    if plan.status != "plan":
        return render_pdf(plan, catalogue, page_size=page_size, large_print=large_print, clinic=clinic,
                          clinician_answers=clinician_answers)
    st = make_styles(large_print)
    width = PAGE_SIZES[page_size][0] - 2 * MARGIN
    name, warnings = printable(plan.name, "name") if plan.name else (None, [])
    shown = tuple(printable(a, "activity name")[0] for a in plan.activities)  # warned of with the history's
    warnings = warnings + _history_warnings(plan)
    box: list = []
    if clinic:
        clinic, found = clinic_block.printable_clinic(clinic)
        warnings += found
        box = list(clinic_block.cover_block(clinic, st, width))
    story = (how_you_are_doing(plan, st, width, name, box)
             + plan_body(plan, st, width)  # 'Before you start' says the advice pages are in this plan
             # the form again: the last one was handed in at the check-in that made this block
             + checkin_form(plan, st, width, shown, first=plan.weeks[-1].number,
                             every=len(plan.weeks)))
    if clinician_answers is not None:
        story += clinician.clinic_pages(plan, clinician_answers, width)
    first, last = plan.weeks[0].number, plan.weeks[-1].number
    data = build_pdf(story, page_size=page_size, footer_left=f"Weeks {first} to {last}, from "
                     f"{long_date(plan.start_date)}", footer_size=st.footer_size,
                     title="Back exercise plan: how you are doing" + (f", {name}" if name else ""),
                     subject="Home exercise plan for everyday lower back pain, after a check-in")
    return data, warnings
