"""When the cycle collector runs (planner/collector.py): not while a command starts, as usual after its first
record, never over what starting loaded, and never held for good. Not timed: the collections are counted."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from planner import collector

# A fresh interpreter runs plan-gen's entry point as the console script does, counting each collection by
# generation (gc.callbacks) from the moment `main` is called.
PROBE = """
import gc, json, sys
from planner.cli import main
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
sys.argv = ["plan-gen", *{args!r}]
try:
    main()
except SystemExit:
    pass
print(json.dumps({{"collections": seen, "threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}}))
"""


def run_main(args: list[str], tmp_path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True,
                         check=True, cwd=tmp_path).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_one_file_pdf_batch_starts_without_collecting_and_then_collects_as_usual(tmp_path):
    """Before: about 130 collections, one over every object (0.03 to 0.05 s of 0.4)."""
    seen = run_main(["batch", str(EXAMPLES / "office_worker.json"), "-q", "-o", str(tmp_path / "out")], tmp_path)
    assert (tmp_path / "out" / "office_worker.pdf").is_file()
    assert seen["collections"].count(2) == 0 and len(seen["collections"]) <= 3  # only after the record, if any
    assert tuple(seen["threshold"]) == collector.USUAL  # settled after the first record
    assert seen["frozen"] > 50_000  # the modules and data, out of every later collection


def test_a_command_with_no_records_keeps_its_allowance(tmp_path):
    """`validate` never makes a record, so it never settles: it ends still under the start's allowance."""
    seen = run_main(["validate", str(EXAMPLES / "office_worker.json")], tmp_path)
    assert seen["collections"] == [] and seen["frozen"] == 0
    assert seen["threshold"][0] == collector.START_ALLOWANCE


def test_rules_test_settles_after_its_first_case(tmp_path):
    """Held to its end, `rules test` kept 95 MB instead of 52: its cycles went uncollected."""
    seen = run_main(["rules", "test"], tmp_path)
    assert tuple(seen["threshold"]) == collector.USUAL and seen["frozen"] > 20_000  # no PDF: fewer modules


@pytest.fixture
def restored_collector():
    """The test process's collector as it was, even after a failed assertion: thresholds, and nothing frozen."""
    saved = gc.get_threshold()
    yield
    collector._holding.clear()
    gc.set_threshold(*saved)
    gc.unfreeze()


def test_a_command_that_never_settles_still_collects(restored_collector):
    """The allowance is a bound, not a switch: past it, cycles are collected."""
    collector.hold_during_start()
    seen: list[int] = []

    def note(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        kept = []
        for _ in range(collector.START_ALLOWANCE // 2 + 10_000):
            cycle: list = [[]]
            cycle[0].append(cycle)  # two objects, kept alive, so they count against the allowance
            kept.append(cycle)
    finally:
        gc.callbacks.remove(note)
    assert seen, "no collection after more objects than the allowance"


def test_settling_without_a_hold_leaves_the_collector_alone(restored_collector):
    """A program that imports planner and calls its core keeps Python's collector as it was."""
    gc.set_threshold(1234, 5, 6)
    frozen = gc.get_freeze_count()
    collector.settle()
    assert gc.get_threshold() == (1234, 5, 6) and gc.get_freeze_count() == frozen


def test_settling_after_a_hold_freezes_once_and_restores_the_thresholds(restored_collector):
    collector.hold_during_start()
    assert gc.get_threshold()[0] == collector.START_ALLOWANCE
    collector.settle()
    frozen = gc.get_freeze_count()
    assert gc.get_threshold() == collector.USUAL and frozen > 0
    gc.unfreeze()  # the test process's objects go back to the collector
    collector.settle()  # a second call does nothing
    assert gc.get_freeze_count() == 0
