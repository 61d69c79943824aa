"""The property tests draw the same examples on every CI run and new ones on every local run (tests/conftest.py)."""

from __future__ import annotations

import os

from hypothesis import settings

from conftest import in_ci

# Made when this module is imported, as every test module's @settings(...) is: it must take the profile's values.
A_TESTS_OWN = settings(max_examples=5, deadline=None)


def test_the_ci_variable_set_to_anything_means_ci():
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"}) and in_ci({"CI": ""})
    assert not in_ci({}) and not in_ci({"GITHUB_SHA": "abc"})


def test_the_ci_profile_replays_the_same_examples_and_keeps_no_database():
    ci = settings.get_profile("ci")
    assert ci.derandomize is True and ci.database is None and ci.deadline is None


def test_this_run_uses_the_profile_its_environment_asks_for():
    """Under CI (CI=true .venv/bin/pytest ...), derandomized; locally, random with the example database."""
    expected = in_ci(os.environ)
    assert settings.default.derandomize is expected
    assert (settings.default.database is None) is expected


def test_a_property_tests_own_settings_keep_the_profile():
    """A test's own @settings(max_examples=..., deadline=None) still runs derandomized under CI."""
    expected = in_ci(os.environ)
    assert A_TESTS_OWN.derandomize is expected
    assert A_TESTS_OWN.max_examples == 5
