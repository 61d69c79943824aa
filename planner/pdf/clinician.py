"""The clinician's copy (`--clinician-copy`): one page for the clinic's file, after the patient's pages.

It holds the bookkeeping the patient's pages never show: the answers as given, the status and time frame,
every rule that fired, what was left out or ruled out and why, and the versions and digests that made it.
After a check-in a page of progress in figures comes first (`progress_page`): the ratings at the start and
at each check-in, the sessions done, and the check-in rules behind the next block.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.doctemplate import NotAtTopPageBreak as NewPage  # no blank page after the check-in form

from planner.answers import Answers
from planner.fields import RATINGS, Field, answer_fields, get
from planner.model import Plan
from planner.pdf import wording as W
from planner.pdf.fonts import printable
from planner.pdf.plan_pages import grid
from planner.pdf.styles import Styles, make_styles
from planner.pdf.text import labelled, para

SKIP = {"schema_version", "id", "name", "not_asked"}  # the name is on the cover; the rest is bookkeeping


def plain(value: Any) -> str:
    """An answer as a person would say it: yes/no, a list joined, codes with spaces."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value) or "none"
    if value is None:
        return "not given"
    return str(value).replace("_", " ")


def rated(value: list[dict] | None, f: Field) -> str:
    """A list of rated activities as `putting on socks 4/10; ...` (the words first, then the rating)."""
    (words, _), (number, _) = f.parts  # what the font cannot show prints as '?' (the plan's pages warn of it)
    return "; ".join(f"{printable(a[words], words)[0]} {a[number]}/10" for a in value or ()) or "not given"


def answer_rows(answers: Answers) -> list[tuple[str, str]]:
    """(question, answer) for every answer given, in the questionnaire's order. The warning signs are
    summed up in one row (those answered yes, else 'none'), so the page stays one page."""
    rows, flags = [], []
    for f in answer_fields():
        if f.keys[0] in SKIP:
            continue
        value = get(answers, f.keys)  # None: not given
        if f.keys[0] == "red_flags":
            if value:
                flags.append(f.title)
            continue
        rows.append((f.title, rated(value, f) if f.kind == RATINGS else plain(value)))
    return [(W.CLINIC_FLAGS, "; ".join(flags) if flags else "none"), *rows]


def clinician_page(plan: Plan, answers: Answers, st: Styles, width: float) -> list:
    """The clinic's page: a new page in small type (the patient never reads it), facts with their sources."""
    head = ParagraphStyle("clinic_head", parent=st.bold, spaceBefore=st.size * 0.4, spaceAfter=st.size * 0.2)
    tiny = ParagraphStyle("clinic", parent=st.small, fontSize=st.footer_size, leading=st.footer_size * 1.25,
                          spaceAfter=st.footer_size * 0.3)
    status = {"plan": W.CLINIC_STATUS_PLAN, "see_professional": W.CLINIC_STATUS_SEE,
              "urgent_care": W.CLINIC_STATUS_URGENT}[plan.status]
    frame = plan.triage.time_frame
    out = [NewPage(), para(W.CLINIC_HEADING, st.h2, outline=(W.CLINIC_HEADING, 0)), para(W.CLINIC_INTRO, tiny),
           para(f"{W.CLINIC_STATUS}: {status}" + (f"; {W.CLINIC_TIME_FRAME}: {frame}" if frame else ""), head)]
    if plan.triage.start_back_group:
        out.append(para(f"STarT Back group: {plan.triage.start_back_group}", tiny))
    if plan.triage.not_asked:
        out.append(para(W.CLINIC_NOT_ASKED + "; ".join(plan.triage.not_asked), tiny))
    pairs = answer_rows(answers)
    half = (len(pairs) + 1) // 2
    rows = [[*pairs[i], *(pairs[i + half] if i + half < len(pairs) else ("", ""))] for i in range(half)]
    q, a = width * 0.3, width * 0.2
    out.append(grid(rows, [q, a, q, a], st, header=False, body=tiny, pad=2, extra=[
        _font(tiny), ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    out.append(para(W.CLINIC_RULES, head))
    out += [labelled(f"{rid}:", because, tiny) for rid, because in plan.reasons]
    out.append(para(W.CLINIC_LEFT_OUT, head))
    left = [labelled(f"{ex_id}:", why, tiny) for ex_id, why in plan.left_out]
    by_rules: dict[tuple[str, str], list[str]] = {}
    for r in plan.ruled_out:  # one line per rule, not per exercise: a floor rule rules out a dozen
        until = W.CLINIC_UNTIL.format(week=r.until_week) if r.until_week else ""
        by_rules.setdefault((", ".join(r.rules), until), []).append(r.id)
    left += [labelled(W.CLINIC_RULED_OUT.format(rules=rules) + until + ":", ", ".join(ids), tiny)
             for (rules, until), ids in by_rules.items()]
    out += left or [para(W.CLINIC_NOTHING_LEFT_OUT, tiny)]
    versions = "; ".join(f"{k}: {v}" for k, v in sorted(plan.versions.items()))
    # On one line with its label: the page stays one page with the activities' row (a long answer list).
    return out + [labelled(f"{W.CLINIC_VERSIONS}:", versions, ParagraphStyle("clinic_versions", parent=tiny,
                                                                            spaceBefore=st.size * 0.4))]


def _font(style: ParagraphStyle, row: int = -1) -> tuple:
    """The table font for every row, or for one (the header)."""
    return ("FONT", (0, 0 if row == -1 else row), (-1, row), style.fontName, style.fontSize, style.leading)


PROGRESS_HEADING = "For the clinic's file: progress"
PROGRESS_INTRO = ("Ratings from 0 to 10 at the start and at each check-in (pain: lower is better; activities: "
                  "higher is better), with the sessions done each week, as the person gave them.")
PROGRESS_CHANGES = "Check-in rules behind the next block"


def progress_rows(history: list[dict], planned: int) -> list[list[str]]:
    """The progress table: a row for the start and each check-in; columns pain, each activity, sessions."""
    names = list(dict.fromkeys(a["activity"] for p in history for a in p["activities"]))
    shown = [printable(n, "")[0] for n in names]  # what the font lacks as '?' (the plan's pages warn of it)
    rows = [["", "After week", "Pain", *shown, f"Sessions a week (of {planned})"]]
    for p in history:
        ratings = {a["activity"]: a["rating"] for a in p["activities"]}
        done = p["sessions_per_week"]
        sessions = (f"{', '.join(map(str, done))} ({sum(done)} of {planned * len(done)})" if done else "-")
        rows.append([p["label"], str(p["week"]), "-" if p["pain"] is None else str(p["pain"]),
                     *[str(ratings[n]) if n in ratings else "-" for n in names], sessions])
    return rows


def clinic_pages(plan: Plan, answers: Answers, width: float) -> list:
    """--clinician-copy's pages, in standard type (they are for the clinic, and small print keeps its page one
    page in large print too): after a check-in, a referral made at one included, the progress in figures
    first; then the answers, the rules that fired and what was left out."""
    st = make_styles(False)
    progress = progress_page(plan, st, width) if (plan.followup or {}).get("history") else []
    return progress + clinician_page(plan, answers, st, width)


PER_TABLE = 3  # activities a progress table holds (a person names at most three at a time)


def progress_page(plan: Plan, st: Styles, width: float) -> list:
    """A page for the clinic after a check-in: the ratings and sessions in figures, and the check-in rules."""
    tiny = ParagraphStyle("clinic", parent=st.small, fontSize=st.footer_size, leading=st.footer_size * 1.25,
                          spaceAfter=st.footer_size * 0.3)
    head = ParagraphStyle("clinic_head", parent=st.bold, spaceBefore=st.size * 0.4, spaceAfter=st.size * 0.2)
    rows = progress_rows(plan.followup["history"], plan.days_per_week)
    bold = ParagraphStyle("clinic_bold", parent=st.cell_bold, fontSize=st.footer_size, leading=st.footer_size * 1.25)
    out = [NewPage(), para(PROGRESS_HEADING, st.h2, outline=(PROGRESS_HEADING, 0)), para(PROGRESS_INTRO, tiny)]
    fixed = [width * 0.13, width * 0.09, width * 0.07]
    activities = [[row[3:-1][i:i + PER_TABLE] for row in rows] for i in range(0, len(rows[0]) - 4, PER_TABLE)] or [
        [[] for _ in rows]]
    for number, columns in enumerate(activities):
        # Three activities a table, so a column keeps room for its words: the first table has the pain and
        # sessions too, each later one the next three activities beside the same rows.
        table = [[*row[:3], *cells, row[-1]] if number == 0 else [*row[:2], *cells] for row, cells in zip(
            rows, columns, strict=True)]
        sessions = [width * 0.2] if number == 0 else []
        named = len(columns[0])
        lead = fixed if number == 0 else fixed[:2]
        rest = width - sum(lead) - sum(sessions)
        widths = [*lead, *[rest / named] * named, *sessions] if named else [*lead, *[rest + sum(sessions)]]
        out.append(grid(table, widths, st, body=tiny, head=bold, pad=2, extra=[_font(tiny), _font(bold, 0)]))
    out.append(para(PROGRESS_CHANGES, head))
    return out + [labelled(f"{c['rule']}:", c["text"], tiny) for c in plan.followup["changes"]]
