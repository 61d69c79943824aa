"""The pages of a plan around the exercise cards: cover, before you start, calendar, weeks, log."""

from __future__ import annotations

import datetime as dt

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer, Table, TableStyle

from planner.model import Plan, Text
from planner.pdf import wording as W
from planner.pdf.styles import MUTED, RULE, SHADE, WARN, Styles
from planner.pdf.text import Para, dose_text, esc, keep_together, labelled, long_date, para

BOX = "\u2610"  # a ballot box to tick


PAD = 4


def fit(text: str, style, width: float):
    """A plain string when each of its lines fits (fast, and drawn as-is, so no markup applies),
    else a wrapping Paragraph of the escaped text."""
    if all(stringWidth(line, style.fontName, style.fontSize) <= width - 2 * PAD for line in text.split("\n")):
        return text
    return Para(esc(text), style)


def grid(data, widths, st: Styles, *, header: bool = True, extra: list | None = None, body=None) -> Table:
    """A ruled table; string cells become one-line strings or wrapping paragraphs as they fit."""
    cells = []
    for r, row in enumerate(data):
        style = st.cell_bold if header and r == 0 else (body or st.cell)
        cells.append([fit(c, style, w) if isinstance(c, str) and c else c for c, w in zip(row, widths, strict=True)])
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize, st.cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE),
                  ("FONT", (0, 0), (-1, 0), st.cell_bold.fontName, st.cell.fontSize, st.cell.leading)]
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def real_minutes(plan: Plan) -> tuple[int, int]:
    """The shortest and longest session, as scheduled: what the cover promises."""
    minutes = [s.estimated_minutes for w in plan.weeks for s in w.sessions]
    return min(minutes), max(minutes)


def guide_box(guide: Text, st: Styles, width: float) -> Table:
    """The pain rule or the self-check in a ruled box, worded the same wherever it prints."""
    rows = [[para(guide.title, st.bold)]] + [[Para(esc(p), st.bullet, bulletText="\u2022")] for p in guide.points]
    box = Table(rows, colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return box


def cover(plan: Plan, st: Styles, width: float, name: str | None, focus: list[str], clinic: tuple = ()) -> list:
    """The first page; `clinic` (the clinic's box, or lines to fill in) goes near the top, so it is always on it."""
    end = plan.start_date + dt.timedelta(days=7 * plan.weeks_count - 1)
    out = [para(W.TITLE, st.title, outline=("Your plan", 0))]
    if name:
        out.append(para(f"For {name}", st.h2))
    low, high = real_minutes(plan)
    length = W.SESSIONS_A_WEEK.format(days=plan.days_per_week, minutes=low) if low == high else \
        W.SESSIONS_RANGE.format(days=plan.days_per_week, low=low, high=high)
    out += [
        para(f"{plan.weeks_count} weeks, from {long_date(plan.start_date)} to {long_date(end)}.", st.body),
        para(length, st.body),
    ]
    out += [para(note, st.body) for note in plan.notes]  # e.g. sessions shorter than asked, and why
    out += [
        *clinic,
        Spacer(1, st.size * 0.5),
        para(W.FOCUS_HEADING, st.h2),
        para(W.FOCUS_INTRO, st.body),
    ]
    out += [Para(esc(reason), st.bullet, bulletText="\u2022") for reason in focus]
    widths = [st.size * 8, st.size * 6, width - st.size * 14]
    rows = [["Phase", "Weeks", "What happens"]]
    for i, phase in enumerate(plan.phases):
        last = plan.phases[i + 1].starts_week - 1 if i + 1 < len(plan.phases) else plan.weeks_count
        weeks = f"{phase.starts_week}" if last == phase.starts_week else f"{phase.starts_week} to {last}"
        rows.append([phase.name, weeks, phase.about])
    out += [Spacer(1, st.size * 0.5), grid(rows, widths, st)]
    out += [Spacer(1, st.size), para(W.SHOW_PROFESSIONAL, st.warn)]
    # A new page, unless the cover ran onto a second one: then the next part follows on it, not on a third.
    return out + [CondPageBreak(st.size * 20)]


def before_you_start(plan: Plan, st: Styles, width: float) -> list:
    out = [para(W.BEFORE_HEADING, st.h1, outline=(W.BEFORE_HEADING, 0))]
    urgent = [c for c in plan.cautions if c.id == "urgent_signs"]
    for c in plan.cautions:
        if c.id != "urgent_signs":
            out.append(labelled(f"{c.title}.", c.text, st.body))
    if urgent:
        box = Table([[para(W.WARNING_BOX, st.warn)], [para(urgent[0].text, st.body)]],
                    colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, WARN), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
        out += [Spacer(1, st.size * 0.5), box]
    if plan.pain_rule:
        out += [Spacer(1, st.size * 0.5), KeepTogether([guide_box(plan.pain_rule, st, width)])]
    out.append(para(W.HOW_TO_HEADING, st.h2))
    out += [Para(esc(line), st.bullet, bulletText="\u2022") for line in W.HOW_TO]
    return out + [PageBreak()]


def at_a_glance(plan: Plan, st: Styles, width: float) -> list:
    out = [para(W.GLANCE_HEADING, st.h1, outline=(W.GLANCE_HEADING, 0))]
    days = [plan.start_date + dt.timedelta(days=i) for i in range(7)]
    rows = [["Week"] + [d.strftime("%a") for d in days]]
    shade = []
    for week in plan.weeks:
        by_date = {s.date: s for s in week.sessions}
        cells = [str(week.number)]
        for offset in range(7):
            date = plan.start_date + dt.timedelta(days=7 * (week.number - 1) + offset)
            session = by_date.get(date)
            label = keep_together(f"{date.day} {date.strftime('%b')}")  # a narrow cell never splits '11 / Jan'
            cells.append(f"{BOX} {label}\n{keep_together(f'{session.routine}: {session.estimated_minutes} min')}"
                         if session
                         else f"{label}\nrest")
            if not session:
                shade.append(("TEXTCOLOR", (offset + 1, week.number), (offset + 1, week.number), MUTED))
        rows.append(cells)
    first = st.size * 4
    out.append(grid(rows, [first] + [(width - first) / 7] * 7, st, body=st.small,
                    extra=[("FONT", (0, 1), (-1, -1), st.small.fontName, st.small.fontSize, st.small.leading),
                           ("FONT", (0, 1), (0, -1), st.cell_bold.fontName, st.small.fontSize, st.small.leading),
                           *shade]))
    out.append(Spacer(1, st.size * 0.5))
    out.append(para(W.GLANCE_KEY, st.body))
    out += [Para(esc(r), st.bullet, bulletText="\u2022") for r in (W.ROUTINE_A, W.ROUTINE_B)]
    return out + [PageBreak()]


def weeks(plan: Plan, st: Styles, width: float, names: dict[str, str]) -> list:
    out = []
    phases = {p.id: p for p in plan.phases}
    seen_phase = None
    for week in plan.weeks:
        phase = phases[week.phase]
        out.append(CondPageBreak(st.size * 14))
        head = [para(f"Week {week.number}: {phase.name}", st.h1, outline=(f"Week {week.number}", 0))]
        if phase.id != seen_phase:
            head.append(para(phase.about, st.body))
            seen_phase = phase.id
        if week.self_check and plan.self_check and plan.pain_rule:  # the heading stays with its check
            head += [guide_box(plan.self_check, st, width), Spacer(1, st.size * 0.3),
                     guide_box(plan.pain_rule, st, width), Spacer(1, st.size * 0.6)]
        out.append(KeepTogether(head))
        for session in week.sessions:
            head = W.SESSION_HEAD.format(date=long_date(session.date), routine=session.routine,
                                         minutes=session.estimated_minutes)
            rows = [[head, "", ""]]
            for item in session.items:
                rows.append([BOX, names[item.id], dose_text(item.dose)])
            rows.append([W.PAIN_LINE, "", ""])
            box = st.size * 1.8
            widths = [box, (width - box) * 0.45, (width - box) * 0.55]
            # The spanning first and last rows may use the whole width.
            rows[0][0] = fit(head, st.cell_bold, width)
            rows[-1][0] = fit(rows[-1][0], st.cell, width)
            table = grid(rows, widths, st, extra=[
                ("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, -1), (-1, -1)), ("TOPPADDING", (0, -1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6)])
            out += [KeepTogether([table]), Spacer(1, st.size * 0.6)]
    return out + [PageBreak()]


def progress_log(plan: Plan, st: Styles, width: float) -> list:
    out = [para(W.LOG_HEADING, st.h1, outline=(W.LOG_HEADING, 0)), para(W.LOG_INTRO, st.body)]
    if plan.pain_rule:
        out += [KeepTogether([guide_box(plan.pain_rule, st, width)]), Spacer(1, st.size * 0.5)]
    rows = [["Week", "Sessions done", "Pain at start (0-10)", "Pain at end (0-10)", "Notes"]]
    for week in plan.weeks:
        rows.append([str(week.number), f"___ of {len(week.sessions)}", "", "", ""])
    first = st.size * 4.5
    rest = (width - first) / 8
    table = grid(rows, [first, rest * 1.6, rest * 1.6, rest * 1.6, rest * 3.2], st,
                 extra=[("TOPPADDING", (0, 1), (-1, -1), st.size * 0.6),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), st.size * 0.6)])
    return out + [table]
