"""The pages of a plan around the exercise cards: cover, before you start, calendar, weeks, log."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from planner.model import Chosen, Dose, Plan, Text
from planner.pdf import pageref
from planner.pdf import wording as W
from planner.pdf.pageref import CardPage
from planner.pdf.styles import MUTED, RULE, SHADE, WARN, Styles
from planner.pdf.text import NBSP, Para, dose_text, esc, keep_together, labelled, long_date, para

BOX = "\u2610"  # a ballot box to tick


PAD = 4


def fit(text: str, style, width: float, pad: float = PAD):
    """A plain string when each of its lines fits (fast, and drawn as-is, so no markup applies),
    else a wrapping Paragraph of the escaped text."""
    if all(stringWidth(line, style.fontName, style.fontSize) <= width - 2 * pad for line in text.split("\n")):
        return text
    return Para(esc(text), style)


def grid(data, widths, st: Styles, *, header: bool = True, extra: list | None = None, body=None,
         pad: float = PAD, head=None, least: tuple[float, ...] = ()) -> Table:
    """A ruled table; string cells become one-line strings or wrapping paragraphs as they fit. `least` holds
    the least height of each row below the heading (room to write in by hand), 0 where any will do."""
    cells = []
    head = head or st.cell_bold
    for r, row in enumerate(data):
        style = head if header and r == 0 else (body or st.cell)
        cells.append([fit(c, style, w, pad) if isinstance(c, str) and c else c
                      for c, w in zip(row, widths, strict=True)])
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize, st.cell.leading),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE),
                  ("FONT", (0, 0), (-1, 0), head.fontName, head.fontSize, head.leading)]
    table.setStyle(TableStyle(style + (extra or [])))
    if least:
        table.wrap(sum(widths), 10_000)
        heights = list(table._rowHeights)
        for r, low in enumerate(least, start=1 if header else 0):
            heights[r] = max(heights[r], low)
        table = Table(cells, colWidths=widths, rowHeights=heights, repeatRows=1 if header else 0)
        table.setStyle(TableStyle(style + (extra or [])))
    return table


def real_minutes(plan: Plan) -> tuple[int, int]:
    """The shortest and longest session, as scheduled: what the cover promises."""
    minutes = [s.estimated_minutes for w in plan.weeks for s in w.sessions]
    return min(minutes), max(minutes)


def guide_box(guide: Text, st: Styles, width: float, bullet=None) -> Table:
    """The pain rule or the self-check in a ruled box, worded the same wherever it prints."""
    bullet = bullet or st.bullet
    rows = [[para(guide.title, st.bold)]] + [[Para(esc(p), bullet, bulletText="\u2022")] for p in guide.points]
    box = Table(rows, colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, RULE), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -2), 1)]))
    return box


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences_once(reasons, keep_leads: bool = False) -> list[str]:
    """Each reason with the sentences an earlier one already said left out ('' where nothing is left).
    Rules that add the same exercise word what they share as the same sentence: a card's reason (cards.why_text)
    and the cover's list then say it once. `keep_leads` keeps each reason's first sentence: a cover point
    stands alone, and 'So doses start at the low end ...' without its 'You are 65 or over.' says not why."""
    seen: set[str] = set()
    out: list[str] = []
    for reason in reasons:
        kept = []
        for n, sentence in enumerate(_SENTENCE_END.split(reason.strip())):
            key = " ".join(sentence.split()).casefold()
            if key and (key not in seen or (keep_leads and n == 0)):
                seen.add(key)
                kept.append(sentence)
        out.append(" ".join(kept))
    return out


def rises(c: Chosen) -> bool:
    """Does any week's dose of this exercise differ from its first? (A dose never falls, so: does it rise?)"""
    first = c.weekly_doses[0].dose
    return any(w.dose != first for w in c.weekly_doses[1:])


def focus_intro(plan: Plan) -> str:
    """The cover's first line: 'builds strength step by step' only where a strength dose does rise. In a plan
    whose minutes are full every rise can be held back (docs/clinical.md, 'Whole sessions'), and a cover that
    promised one sent a person looking for it."""
    rising = [c for c in plan.exercises if rises(c)]
    if any(c.category == "strength" for c in rising):
        return W.FOCUS_INTRO
    return W.FOCUS_INTRO_STEPS if rising else W.FOCUS_INTRO_STEADY


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
        para(focus_intro(plan), st.body),
    ]
    # a sentence two rules share (worse standing and worse walking) prints in the first one's point only
    out += [Para(esc(reason), st.bullet, bulletText="\u2022") for reason in sentences_once(focus, keep_leads=True)]
    widths = [st.size * 8, st.size * 6, width - st.size * 14]
    rows = [["Phase", "Weeks", "What happens"]]
    for i, phase in enumerate(plan.phases):
        # the last phase runs to the last week shown (a check-in's block numbers on: weeks 11 and 12)
        last = plan.phases[i + 1].starts_week - 1 if i + 1 < len(plan.phases) else (
            plan.weeks[-1].number if plan.weeks else plan.weeks_count)
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
        out += [Spacer(1, st.size * 0.5), KeepTogether([box])]  # a box never splits: its title would be left behind
    if plan.pain_rule:
        out += [Spacer(1, st.size * 0.5), KeepTogether([guide_box(plan.pain_rule, st, width)])]
    return out  # no trailing space: a spacer alone at the top of a page would make it blank


def dose_line(dose: Dose, rest_seconds: int) -> str:
    """The one way a dose is written: '2 sets of 10, hold 5 s, each side, rest 30 s' (rest only with sets)."""
    text = dose_text(dose)
    return text + ", " + keep_together(f"rest {rest_seconds} s") if dose.sets > 1 and dose.minutes is None else text


def card_order(plan: Plan) -> dict[str, int]:
    """Card numbers in routine order: as the exercises first appear in the routine tables, read down. (Routine
    A's sessions before B's numbered a shared table's rows 1, 2, 3, 4, 5, 7, 8, 9, 6 in a check-in's block:
    the walk ends A, but a shared table lists B's own exercises before it.)"""
    order: dict[str, int] = {}
    for block in routine_blocks(plan):
        for ex_id in block.ids:
            order.setdefault(ex_id, len(order) + 1)
    return order


@dataclass
class Block:
    """One phase's routine table: `routine` is "" when A and B share a table (`marks` says which holds what)."""

    phase: str
    routine: str
    weeks: list[int]
    ids: list[str]
    doses: dict[tuple[str, int], Dose]
    marks: dict[str, str] = field(default_factory=dict)


def _routine(weeks, routine: str) -> tuple[list[str], dict[tuple[str, int], Dose]]:
    ids: list[str] = []
    doses: dict[tuple[str, int], Dose] = {}
    for week in weeks:
        for session in (s for s in week.sessions if s.routine == routine):
            for item in session.items:
                if item.id not in ids:
                    ids.append(item.id)
                doses[(item.id, week.number)] = item.dose
    return ids, doses


def _merged(a: list[str], b: list[str]) -> list[str] | None:
    """A's order with B's own exercises placed after the one they follow in B; None unless both orders survive."""
    out = list(a)
    for i, ex in enumerate(b):
        if ex not in out:
            out.insert(out.index(b[i - 1]) + 1 if i else 0, ex)
    keeps = all([x for x in out if x in r] == r for r in (a, b))
    return out if keeps else None


def routine_blocks(plan: Plan) -> list[Block]:
    """Each phase's routines: one table for A and B when they can share it (the same dose each week, each
    routine's order kept), else a table each."""
    blocks = []
    for i, phase in enumerate(plan.phases):
        # the last phase runs to the last week shown (a check-in's block numbers on: weeks 11 and 12)
        last = plan.phases[i + 1].starts_week - 1 if i + 1 < len(plan.phases) else (
            plan.weeks[-1].number if plan.weeks else plan.weeks_count)
        weeks = [w for w in plan.weeks if phase.starts_week <= w.number <= last]
        numbers = [w.number for w in weeks]
        (a, da), (b, db) = _routine(weeks, "A"), _routine(weeks, "B")
        order = _merged(a, b) if a and b else None
        if order and all(da[k] == db[k] for k in da.keys() & db.keys()):
            marks = {ex: W.IN_BOTH if ex in a and ex in b else ("A" if ex in a else "B") for ex in order}
            blocks.append(Block(phase.name, "", numbers, order, {**da, **db}, marks))
            continue
        blocks += [Block(phase.name, r, numbers, ids, doses, {ex: r for ex in ids})
                   for r, ids, doses in (("A", a, da), ("B", b, db)) if ids]
    return blocks


WEEKS_PER_TABLE = 3  # at most, where a dose must wrap between its phrases


@dataclass(frozen=True)
class Columns:
    """The routine tables' first three columns."""

    card: float
    name: float
    mark: float

    @property
    def fixed(self) -> float:
        return self.card + self.name + self.mark


def _widest_doses(block: Block, plan: Plan, st: Styles) -> tuple[float, float]:
    """The block's widest dose cell on one line, and its widest phrase, with the cell's padding."""
    rest = {c.id: c.rest_seconds for c in plan.exercises}
    lines = {dose_line(d, rest[ex]) for (ex, _), d in block.doses.items()}
    font, size = st.small.fontName, st.small.fontSize
    return _widest(lines, font, size), _widest({p for line in lines for p in line.split(", ")}, font, size)


def _widest(texts, font: str, size: float) -> float:
    """The widest of these texts in a table cell, with the cell's padding."""
    return max(stringWidth(t, font, size) for t in texts) + 2 * PAD + 1


def _chunks(weeks: list[int], whole: float, phrase: float, room: float) -> list[list[int]]:
    """The block's weeks, a table's worth at a time: all of a phase's weeks as columns where every dose
    fits its cell on one line (`whole`), else as many as keep every dose phrase ('2 times: hold 30 s') whole."""
    fits = int(room // whole)
    if fits < min(2, len(weeks)):  # a week a table would double the tables: wrap between phrases instead
        fits = max(1, min(WEEKS_PER_TABLE, int(room // phrase)))
    return [weeks[i:i + fits] for i in range(0, len(weeks), fits)]


def routine_columns(plan: Plan, st: Styles, width: float, blocks: list[Block] | None = None,
                    widest_doses: list[tuple[float, float]] | None = None) -> Columns:
    """The card, exercise and session columns that make the routine tables shortest. The exercise column
    may be narrower than its longest name (a name then wraps between words) where the week columns it frees
    keep more doses on one line; ties keep the names whole. Measured, not guessed: in large print a table is
    half a page, and a few points decide whether two share one ('4, p. 12' in the card column, wider than
    'Card', cost the office worker's large print a page until the names could give way)."""
    font, size = st.small.fontName, st.small.fontSize
    sizes: dict[str, float] = {}
    space = stringWidth(" ", font, size)

    def width_of(word: str) -> float:
        if word not in sizes:
            sizes[word] = stringWidth(word, font, size)
        return sizes[word]

    def words(text: str) -> tuple[float, list[float]]:
        each = [width_of(w) for w in text.split(" ")]
        return sum(each) + space * (len(each) - 1), each

    def widest(texts, font=font) -> float:
        return _widest(texts, font, size)

    names = [c.name for c in plan.exercises]
    mark = widest([W.SESSION_COLUMN, W.IN_BOTH], st.small_bold.fontName)
    longest = min(st.size * 11, widest(names))
    least = max([widest(n.split(" ")) for n in names] + [widest([W.EXERCISE_COLUMN], st.small_bold.fontName)])
    blocks = routine_blocks(plan) if blocks is None else blocks
    widest_doses = [_widest_doses(b, plan, st) for b in blocks] if widest_doses is None else widest_doses
    rest = {c.id: c.rest_seconds for c in plan.exercises}
    name_of = {c.id: words(c.name) for c in plan.exercises}
    texts = {(d, rest[ex]): None for b in blocks for (ex, _), d in b.doses.items()}  # a dose recurs week on week
    texts = {k: words(dose_line(*k)) for k in texts}
    doses = {key: texts[(d, rest[key[0]])] for b in blocks for key, d in b.doses.items()}
    row_pad, title = 4.0, st.h2.leading + st.h2.spaceBefore + st.h2.spaceAfter
    card = max(widest([W.CARD_COLUMN], st.small_bold.fontName), widest([pageref.WIDEST]))
    best: tuple | None = None
    steps = int((longest - least) // size) + 1
    for name in sorted({longest, least, *(least + k * size for k in range(steps))}, reverse=True):
        cols = Columns(card, name, mark)
        high = 0.0
        for block, wide in zip(blocks, widest_doses, strict=True):
            for chunk in _chunks(block.weeks, *wide, width - cols.fixed):
                each = (width - cols.fixed) / len(chunk) - 2 * PAD
                high += title + st.small.leading + row_pad
                for ex in block.ids:
                    count = max([_lines(name_of[ex], name - 2 * PAD, space)]
                                + [_lines(doses[(ex, n)], each, space) for n in chunk if (ex, n) in doses])
                    high += count * st.small.leading + row_pad
        if best is None or high < best[0] - 0.5:
            best = (high, cols)
    return best[1]


def _lines(words: tuple[float, list[float]], room: float, space: float) -> int:
    """How many lines words (their whole width, and each one's) take in `room`, breaking only at spaces
    (as the cells do)."""
    if words[0] <= room:  # most cells: one line
        return 1
    count, line = 1, -space
    for w in words[1]:
        if line + space + w > room and line > 0:
            count, line = count + 1, w
        else:
            line += space + w
    return count


def routine_title(block: Block, weeks: list[int]) -> str:
    if block.routine:
        return W.ROUTINE_TITLE.format(routine=block.routine, phase=block.phase, weeks=span(weeks))
    return W.ROUTINES_TITLE.format(phase=block.phase, weeks=span(weeks))


def routines(plan: Plan, st: Styles, width: float, numbers: dict[str, int]) -> list:
    """Each phase's routines: the exercises in order, each with its card and session, and its dose week by week."""
    head = [para(W.ROUTINES_HEADING, st.h1, outline=(W.ROUTINES_HEADING, 0))]
    how = list(W.HOW_TO)
    if {s.routine for w in plan.weeks for s in w.sessions} == {"A"}:
        how[0] = W.HOW_TO_ONE_ROUTINE  # 'Sessions A and B take turns' told of B sessions the plan has none of
    head += [Para(esc(line), st.bullet, bulletText="\u2022") for line in how]
    out: list = [KeepTogether(head)]  # the heading keeps its bullets; each table its title
    chosen = {c.id: c for c in plan.exercises}
    blocks = routine_blocks(plan)
    widest_doses = [_widest_doses(b, plan, st) for b in blocks]
    cols = routine_columns(plan, st, width, blocks, widest_doses)
    for block, wide in zip(blocks, widest_doses, strict=True):
        for chunk in _chunks(block.weeks, *wide, width - cols.fixed):
            rows = [[W.CARD_COLUMN, W.EXERCISE_COLUMN, W.SESSION_COLUMN] + [f"Week {n}" for n in chunk]]
            for ex_id in block.ids:
                c = chosen[ex_id]
                ref = CardPage(numbers[ex_id], st.small.fontName, st.small.fontSize, st.small.leading,
                               cols.card - 2 * PAD)
                rows.append([ref, c.name, block.marks[ex_id]]
                            + [dose_line(block.doses[(ex_id, n)], c.rest_seconds) if (ex_id, n) in block.doses
                               else "-" for n in chunk])
            each = (width - cols.fixed) / len(chunk)
            table = grid(rows, [cols.card, cols.name, cols.mark] + [each] * len(chunk), st, body=st.small,
                         head=st.small_bold,
                         extra=[("FONT", (0, 1), (-1, -1), st.small.fontName, st.small.fontSize, st.small.leading),
                                ("ALIGN", (0, 0), (0, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)])
            title = para(routine_title(block, chunk), st.h2)
            out.append(KeepTogether([title, table]))  # the title's spaceBefore parts them
    return out


def span(weeks: list[int]) -> str:
    return f"week {weeks[0]}" if len(weeks) == 1 else f"weeks {weeks[0]} to {weeks[-1]}"


def calendar_log(plan: Plan, st: Styles, width: float) -> list:
    """The one log: a box per session (tick, pain 0-10) and, for each week, the weekly check."""
    head = [para(W.LOG_HEADING, st.h1, outline=(W.LOG_HEADING, 0)), para(W.LOG_INTRO, st.body)]
    first = st.size * 3.6
    check = max(stringWidth(t, st.small_bold.fontName, st.small.fontSize)
                for t in (W.CHECK_COLUMN, *W.CHECK_CELL.split("\n")))
    check += 2 * 2 + 1  # its heading and tick lines never wrap
    day = (width - first - check) / 7
    # 'pain' and a line to write on that fills the cell, never wrapping
    blank = (day - 2 * 2 - stringWidth(W.PAIN_CELL + NBSP, st.small.fontName, st.small.fontSize)) // stringWidth(
        "_", st.small.fontName, st.small.fontSize)
    pain = W.PAIN_CELL + NBSP + "_" * int(max(2, blank))
    days = [plan.start_date + dt.timedelta(days=i) for i in range(7)]
    rows = [["Week"] + [d.strftime("%a") for d in days] + [W.CHECK_COLUMN]]
    shade = []
    # A check-in's block numbers its weeks on from the plan before (week 11, 12): rows and dates count from
    # the block's own first week, which starts on plan.start_date.
    for row, week in enumerate(plan.weeks, start=1):
        by_date = {s.date: s for s in week.sessions}
        cells = [str(week.number)]
        for offset in range(7):
            date = plan.start_date + dt.timedelta(days=7 * (row - 1) + offset)
            session = by_date.get(date)
            label = keep_together(f"{date.day} {date.strftime('%b')}")  # a narrow cell never splits '11 / Jan'
            cells.append(f"{label}\n{BOX} {session.routine}\n{pain}" if session else f"{label}\nrest")
            if not session:
                shade.append(("TEXTCOLOR", (offset + 1, row), (offset + 1, row), MUTED))
        cells.append(W.CHECK_CELL if week.self_check else W.CHECK_FIRST if row == 1 else W.CHECK_NONE)
        rows.append(cells)
    table = grid(rows, [first] + [day] * 7 + [check], st, body=st.small, pad=2, head=st.small_bold,
                 extra=[("FONT", (0, 0), (-1, -1), st.small.fontName, st.small.fontSize, st.small.leading),
                        ("FONT", (0, 0), (-1, 0), st.cell_bold.fontName, st.small.fontSize, st.small.leading),
                        ("FONT", (0, 1), (0, -1), st.cell_bold.fontName, st.small.fontSize, st.small.leading),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), *shade])
    # The weekly check first, then the calendar, kept together; the pain rule is on 'Before you start'.
    # The check's four short lines in tight bullets: then the whole fits under a routine table.
    check = [guide_box(plan.self_check, st, width, st.tight_bullet), Spacer(1, st.size * 0.3)] \
        if plan.self_check else []
    return [KeepTogether([*head, *check, table])]
