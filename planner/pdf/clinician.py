"""The clinician's copy (`--clinician-copy`): one page for the clinic's file, after the patient's pages.

It holds the bookkeeping the patient's pages never show: the answers as given, the status and time frame,
every rule that fired, what was left out or ruled out and why, and the versions and digests that made it.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak

from planner.answers import Answers
from planner.fields import RATINGS, Field, answer_fields, get
from planner.model import Plan
from planner.pdf import wording as W
from planner.pdf.plan_pages import grid
from planner.pdf.styles import Styles
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
    (words, _), (number, _) = f.parts
    return "; ".join(f"{a[words]} {a[number]}/10" for a in value or ()) or "not given"


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
    out = [PageBreak(), para(W.CLINIC_HEADING, st.h2, outline=(W.CLINIC_HEADING, 0)), para(W.CLINIC_INTRO, tiny),
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


def _font(style: ParagraphStyle) -> tuple:
    return ("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize, style.leading)
