"""Random valid version 2 answers for property tests: every field of the answers varies.

The warning signs, the course questions and `not_asked` are read from the answers schema, so a question
added there is drawn here without an edit; STarT Back scores are optional and drawn present or absent."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from planner.answers import answers_schema, same_words
from planner.vocabulary import COURSE, EQUIPMENT, FREQUENCY, NOT_ASKED, WORSE_WITH

# The version 2 warning signs, in the questionnaire's order.
RED_FLAGS = tuple(answers_schema()["properties"]["red_flags"]["properties"])

# Hours of sitting as valid answers hold them: the v2 schema keeps two decimal places (x-decimals), so
# whole numbers, any hundredth in range, and a hair either side of the 6-hour rule and of the probe's 6.5.
SITTING_HOURS = st.one_of(
    st.integers(0, 24),
    st.integers(0, 2400).map(lambda n: n / 100),
    st.sampled_from([0.01, 5.99, 6.0, 6.01, 6.49, 6.5, 6.51, 23.99]),
)


# Up to three everyday activities in any words (no lone surrogates: a file holding one is refused when read; no
# control characters and not only spaces, which the schema refuses), each named once (case and spacing aside).
ACTIVITIES = st.lists(st.fixed_dictionaries({
    "activity": st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip),
    "rating": st.integers(0, 10)}), max_size=3, unique_by=lambda a: same_words(a["activity"]))


def answers(red_flag: st.SearchStrategy[bool] | None = None) -> st.SearchStrategy[dict]:
    """Valid answers; `red_flag` draws each warning-sign answer, pregnancy and recent surgery (default: 50:50)."""
    red_flag = red_flag if red_flag is not None else st.booleans()
    posture = st.fixed_dictionaries(
        {"sitting_hours": SITTING_HOURS, "slouching": st.sampled_from(FREQUENCY),
         "lifting": st.sampled_from(FREQUENCY)},
        optional={"footwear": st.sampled_from(["supportive", "heels", "worn_or_flat"])},
    )
    start_back = st.integers(0, 5).flatmap(
        lambda psy: st.fixed_dictionaries({"total": st.integers(psy, 9), "psychosocial": st.just(psy)}))
    return st.fixed_dictionaries({
        "schema_version": st.just(2),
        "age": st.integers(18, 100),
        "pain": st.fixed_dictionaries({
            "level": st.integers(0, 10),
            "duration_weeks": st.integers(0, 520),
            "below_knee": st.booleans(),
            "worse_with": st.lists(st.sampled_from(WORSE_WITH), unique=True),
        }),
        "red_flags": st.fixed_dictionaries({f: red_flag for f in RED_FLAGS}),
        "posture": posture,
        "equipment": st.lists(st.sampled_from(EQUIPMENT), unique=True),
        "floor_ok": st.booleans(),
        "activity_level": st.sampled_from(["low", "moderate", "high"]),
        "pregnant": red_flag,
        "recent_back_surgery": red_flag,
        "cleared_by_professional": st.booleans(),
        "course": st.fixed_dictionaries({c: st.booleans() for c in COURSE}),
        "plan": st.fixed_dictionaries({
            "weeks": st.integers(2, 16),
            "days_per_week": st.integers(2, 7),
            "minutes_per_session": st.integers(10, 60),
            "start_date": st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
        }),
        "not_asked": st.lists(st.sampled_from(NOT_ASKED), unique=True),  # the schema's default is [], so always given
    }, optional={"start_back": start_back, "activities": ACTIVITIES})


# Mostly no warning sign, so most examples make a plan; still every sign turns up.
RARE_FLAG = st.sampled_from([False] * 30 + [True])


def places(value, here=()):
    """Every place inside a JSON value, the value itself first."""
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*here, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from places(item, (*here, i))
