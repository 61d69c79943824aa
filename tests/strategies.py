"""Random valid answers for property tests: every field of the answers varies."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from planner.vocabulary import EQUIPMENT, FREQUENCY, RED_FLAGS, WORSE_WITH

# Hours of sitting: whole numbers, any float in range, and the awkward ones (an exponent when printed,
# a hair either side of the 6-hour rule and of the probe's 6.5).
SITTING_HOURS = st.one_of(
    st.integers(0, 24),
    st.floats(0, 24, allow_nan=False),
    st.sampled_from([1e-05, 1e-9, 5.99999, 6.0, 6.00001, 6.49999, 6.5, 6.50001, 23.99999]),
)


def answers(red_flag: st.SearchStrategy[bool] | None = None) -> st.SearchStrategy[dict]:
    """Valid answers; `red_flag` draws each warning-sign answer, pregnancy and recent surgery (default: 50:50)."""
    red_flag = red_flag if red_flag is not None else st.booleans()
    posture = st.fixed_dictionaries(
        {"sitting_hours": SITTING_HOURS, "slouching": st.sampled_from(FREQUENCY),
         "lifting": st.sampled_from(FREQUENCY)},
        optional={"footwear": st.sampled_from(["supportive", "heels", "worn_or_flat"])},
    )
    return st.fixed_dictionaries({
        "schema_version": st.just(1),
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
        "plan": st.fixed_dictionaries({
            "weeks": st.integers(2, 16),
            "days_per_week": st.integers(2, 7),
            "minutes_per_session": st.integers(10, 60),
            "start_date": st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
        }),
    })


# Mostly no warning sign, so most examples make a plan; still every sign turns up.
RARE_FLAG = st.sampled_from([False] * 30 + [True])
