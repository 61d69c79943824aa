"""The pages of a plan around the exercise cards: cover, before you start, calendar, weeks, log."""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from planner.model import Plan
from planner.pdf.styles import RULE, SHADE, WARN, Styles
from planner.pdf.text import dose_text, esc, labelled, long_date, para

BOX = "\u2610"  # a ballot box to tick


def grid(data, widths, *, header: bool = True, extra: list | None = None) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def cover(plan: Plan, st: Styles, name: str | None, focus: list[str]) -> list:
    end = plan.start_date + dt.timedelta(days=7 * plan.weeks_count - 1)
    out = [para("Your back exercise plan", st.title, outline=("Your plan", 0))]
    if name:
        out.append(para(f"For {name}", st.h2))
    out += [
        para(f"{plan.weeks_count} weeks, from {long_date(plan.start_date)} to {long_date(end)}.", st.body),
        para(f"{plan.days_per_week} sessions a week, about {plan.minutes_per_session} minutes each.", st.body),
        Spacer(1, st.size),
        para("What this plan focuses on, and why", st.h2),
        para("The plan starts gently and builds strength step by step. It was shaped by your answers:", st.body),
    ]
    out += [Paragraph(esc(reason), st.bullet, bulletText="\u2022") for reason in focus]
    widths = [st.size * 8, st.size * 6]
    rows = [[para("Phase", st.cell_bold), para("Weeks", st.cell_bold), para("What happens", st.cell_bold)]]
    for i, phase in enumerate(plan.phases):
        last = plan.phases[i + 1].starts_week - 1 if i + 1 < len(plan.phases) else plan.weeks_count
        weeks = f"{phase.starts_week}" if last == phase.starts_week else f"{phase.starts_week} to {last}"
        rows.append([para(phase.name, st.cell), para(weeks, st.cell), para(phase.about, st.cell)])
    out += [Spacer(1, st.size * 0.5), grid(rows, widths + [None])]
    out += [Spacer(1, st.size), para("Show this plan to your doctor or physiotherapist before you start.", st.warn)]
    return out + [PageBreak()]


def before_you_start(plan: Plan, st: Styles, width: float) -> list:
    out = [para("Before you start", st.h1, outline=("Before you start", 0))]
    urgent = [c for c in plan.cautions if c.id == "urgent_signs"]
    for c in plan.cautions:
        if c.id != "urgent_signs":
            out.append(labelled(f"{c.title}.", c.text, st.body))
    if urgent:
        box = Table([[para("Warning signs: get help now", st.warn)], [para(urgent[0].text, st.body)]],
                    colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, WARN), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
        out += [Spacer(1, st.size * 0.5), box]
    out += [
        para("How to use this plan", st.h2),
        Paragraph(esc(f"Each session lists its exercises. Tick the box {BOX} when you have done one."), st.bullet,
                  bulletText="\u2022"),
        Paragraph(esc("After each session, write down your pain from 0 (none) to 10 (worst)."), st.bullet,
                  bulletText="\u2022"),
        Paragraph(esc("The exercise cards near the end show how to do each exercise and your dose week by week."),
                  st.bullet, bulletText="\u2022"),
    ]
    return out + [PageBreak()]


def at_a_glance(plan: Plan, st: Styles, width: float) -> list:
    out = [para("The plan at a glance", st.h1, outline=("The plan at a glance", 0))]
    days = [plan.start_date + dt.timedelta(days=i) for i in range(7)]
    header = [para("Week", st.cell_bold)] + [para(d.strftime("%a"), st.cell_bold) for d in days]
    rows = [header]
    for week in plan.weeks:
        by_date = {s.date: s for s in week.sessions}
        cells = [para(f"{week.number}", st.cell_bold)]
        for offset in range(7):
            date = plan.start_date + dt.timedelta(days=7 * (week.number - 1) + offset)
            session = by_date.get(date)
            text = f"{date.day} {date.strftime('%b')}"
            if session:
                cells.append(Paragraph(f"<b>{esc(text)}</b><br/>{esc(BOX)} {session.estimated_minutes} min",
                                       st.small))
            else:
                cells.append(Paragraph(f"{esc(text)}<br/>rest", st.small))
        rows.append(cells)
    first = st.size * 4.5
    out.append(grid(rows, [first] + [(width - first) / 7] * 7))
    out.append(Spacer(1, st.size * 0.5))
    out.append(para("Each box is a session with its length in minutes. Tick it when you have done it. "
                    "Rest days matter too: they let your muscles recover.", st.body))
    if plan.notes:
        out.append(para("Notes about this plan", st.h2))
        out += [Paragraph(esc(n), st.bullet, bulletText="\u2022") for n in plan.notes]
    return out + [PageBreak()]


def weeks(plan: Plan, st: Styles, width: float, names: dict[str, str]) -> list:
    out = []
    phases = {p.id: p for p in plan.phases}
    seen_phase = None
    for week in plan.weeks:
        phase = phases[week.phase]
        out.append(CondPageBreak(st.size * 14))
        out.append(para(f"Week {week.number}: {phase.name}", st.h1, outline=(f"Week {week.number}", 0)))
        if phase.id != seen_phase:
            out.append(para(phase.about, st.body))
            seen_phase = phase.id
        for session in week.sessions:
            head = f"{long_date(session.date)}: about {session.estimated_minutes} minutes"
            rows = [[para(head, st.cell_bold), "", ""]]
            for item in session.items:
                rows.append([para(BOX, st.cell), para(names[item.id], st.cell), para(dose_text(item.dose), st.cell)])
            rows.append([para("Pain after this session (0 to 10): ______", st.cell), "", ""])
            box = st.size * 1.8
            table = grid(rows, [box, (width - box) * 0.45, (width - box) * 0.55], extra=[
                ("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, -1), (-1, -1)), ("TOPPADDING", (0, -1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6)])
            out += [KeepTogether([table]), Spacer(1, st.size * 0.6)]
    return out + [PageBreak()]


def progress_log(plan: Plan, st: Styles, width: float) -> list:
    out = [para("Progress log", st.h1, outline=("Progress log", 0)),
           para("At the end of each week, fill in one row. If your pain is rising, repeat last week's level and "
                "talk to a professional before you move on.", st.body)]
    rows = [[para(h, st.cell_bold) for h in ("Week", "Sessions done", "Pain at start (0-10)", "Pain at end (0-10)",
                                              "Notes")]]
    for week in plan.weeks:
        rows.append([para(str(week.number), st.cell), para(f"___ of {len(week.sessions)}", st.cell), "", "", ""])
    first = st.size * 4.5
    rest = (width - first) / 8
    table = grid(rows, [first, rest * 1.6, rest * 1.6, rest * 1.6, rest * 3.2],
                 extra=[("TOPPADDING", (0, 1), (-1, -1), st.size * 0.6),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), st.size * 0.6)])
    return out + [table]
