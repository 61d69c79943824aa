"""The catalogue holds every exercise of the source articles, checked at load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, SOURCES
from planner.catalogue import catalogue_json, load_catalogue, shipped_catalogue
from planner.errors import DataError

# Every exercise the issue lists from the five articles, mapped to its catalogue id.
# True duplicates share one id (knee to chest; hamstring stretch; the draw-in).
SOURCE_EXERCISES = {
    "000": {
        "ankle pumps": "ankle_pumps",
        "heel slides": "heel_slides",
        "wall squat": "wall_squat",
        "single knee-to-chest stretch": "knee_to_chest",
        "hamstring stretch": "hamstring_stretch",
        "straight leg raise": "straight_leg_raise",
        "lumbar stabilisation (bird dog)": "bird_dog",
        "sitting on ball with arm and heel raise": "ball_arm_heel_raise",
        "sitting on ball marching": "ball_marching",
    },
    "001": {"neutral-spine curl-up": "curl_up", "prone hip extension over a bench": "prone_hip_extension"},
    "002": {
        "kneeling lower back stretch": "kneeling_back_stretch",
        "lower tummy strengthening": "alternate_knee_lift",
        "deep abdominal activation": "deep_abdominal_draw_in",
    },
    "003": {
        "bridge": "bridge",
        "knee-to-chest": "knee_to_chest",
        "lower back rotational stretch": "knee_rolls",
        "draw-in manoeuvre": "deep_abdominal_draw_in",
        "pelvic tilt": "pelvic_tilt",
        "lying lateral leg lift": "side_lying_leg_lift",
        "cat stretch": "cat_stretch",
        "superman": "superman",
        "seated lower back rotational stretch": "seated_rotation",
        "partial curl": "partial_curl",
    },
    "004": {
        "hip flexor stretch": "hip_flexor_stretch",
        "hamstring stretch": "hamstring_stretch",
        "piriformis stretch": "piriformis_stretch",
        "plank": "plank",
        "side plank": "side_plank",
        "glute bridge (held)": "glute_bridge_hold",
        "chest stretch": "chest_stretch",
        "neck stretch": "neck_stretch",
    },
}

# Exercises the five articles do not cover, added for people who cannot get down to the floor and for
# older adults; each names the published guidance it and its dose come from (docs/clinical.md).
REFERENCE_EXERCISES = {"marching", "sit_to_stand", "heel_raise", "standing_hip_extension", "standing_side_leg_raise",
                       "walking", "standing_back_bend"}

CAUTIONS = ["consult_first", "stop_if_worse", "severe_or_lasting", "stretch_gently", "form_first", "rest_days",
            "habits_matter"]


@pytest.mark.parametrize("article", sorted(SOURCE_EXERCISES))
def test_every_source_exercise_is_in_the_catalogue_and_cites_its_article(article):
    cat = shipped_catalogue()
    for label, ex_id in SOURCE_EXERCISES[article].items():
        assert ex_id in cat.exercises, f"{label} ({article}) missing"
        assert any(s.startswith(article) for s in cat.exercises[ex_id].sources), f"{ex_id} does not cite {article}"


def test_catalogue_has_no_exercise_without_a_source_listing():
    listed = {ex_id for group in SOURCE_EXERCISES.values() for ex_id in group.values()}
    assert set(shipped_catalogue().exercises) == listed | REFERENCE_EXERCISES
    for ex_id in REFERENCE_EXERCISES:
        ex = shipped_catalogue().exercises[ex_id]
        assert ex.references and ex.dose.note and not ex.needs_floor, ex_id


def test_an_exercise_with_neither_source_nor_reference_is_refused(catalogue_copy):
    _edit(catalogue_copy / "exercises" / "walking.json", lambda d: d.update(references=[]))
    with pytest.raises(DataError, match=r"walking\.json: at sources: needs a source article or a named reference"):
        load_catalogue(catalogue_copy)


def test_merged_duplicates_record_each_sources_dose():
    cat = shipped_catalogue()
    for ex_id in ["knee_to_chest", "hamstring_stretch", "deep_abdominal_draw_in"]:
        recorded = {d["source"][:3] for d in cat.exercises[ex_id].source_doses}
        assert recorded == {s[:3] for s in cat.exercises[ex_id].sources}, ex_id


def test_loaded_progressions_from_article_004():
    cat = shipped_catalogue()
    assert cat.exercises["plank"].progression["requires"] == ["weights"]
    assert cat.exercises["glute_bridge_hold"].progression["requires"] == ["weights"]
    assert cat.exercises["plank"].dose.hold_seconds.high == 60
    assert cat.exercises["side_plank"].dose.hold_seconds.high == 45


def test_strength_work_is_never_daily():
    for ex in shipped_catalogue().exercises.values():
        if ex.category == "strength":
            assert ex.dose.frequency == "alternate_days", ex.id


def test_tags_the_rules_rely_on():
    cat = shipped_catalogue()
    tagged = {tag: {e.id for e in cat.exercises.values() if tag in e.tags}
              for tag in ["flexion_bias", "extension_bias", "high_load", "nerve_tension"]}
    assert {"curl_up", "partial_curl", "kneeling_back_stretch", "knee_to_chest"} <= tagged["flexion_bias"]
    assert {"superman", "prone_hip_extension"} <= tagged["extension_bias"]
    assert {"plank", "side_plank", "superman"} <= tagged["high_load"]
    assert {"straight_leg_raise", "hamstring_stretch"} <= tagged["nerve_tension"]


def test_general_cautions_present():
    assert set(CAUTIONS) <= set(shipped_catalogue().cautions)


def test_catalogue_json_lists_ranges():
    entries = {e["id"]: e for e in catalogue_json(shipped_catalogue())}
    assert entries["bridge"]["dose"]["sets"] == [1, 3]
    assert entries["plank"]["dose"]["reps"] is None
    assert entries["plank"]["dose"]["hold_seconds"] == [10, 60]
    assert entries["seated_rotation"]["equipment"] == ["chair"]
    assert entries["seated_rotation"]["needs_floor"] is False
    for e in entries.values():
        assert set(e) >= {"id", "name", "category", "equipment", "needs_floor", "tags", "dose"}


def test_version_and_digest():
    cat = shipped_catalogue()
    assert cat.version == "1.0.0"
    assert cat.digest.startswith("sha256:") and len(cat.digest) == 23


@pytest.fixture
def catalogue_copy(tmp_path):
    target = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_copy_of_catalogue_loads(catalogue_copy):
    assert load_catalogue(catalogue_copy).exercises.keys() == shipped_catalogue().exercises.keys()


def test_broken_exercise_names_file_and_field(catalogue_copy):
    plank = catalogue_copy / "exercises" / "plank.json"
    _edit(plank, lambda d: (d.update(category="cardio"), d["dose"]["hold_seconds"].update(base=90)))
    _edit(catalogue_copy / "exercises" / "bridge.json", lambda d: d.update(id="bridge2"))
    with pytest.raises(DataError) as info:
        load_catalogue(catalogue_copy)
    lines = str(info.value).replace(str(catalogue_copy), "C").splitlines()
    assert lines == [
        'C/exercises/bridge.json: at id: "bridge2" must equal the file name "bridge"',
        'C/exercises/plank.json: at category: got "cardio"; allowed: one of stretch, strength, mobility, aerobic',
    ]


def test_dose_outside_range_and_daily_strength(catalogue_copy):
    def change(d):
        d["dose"]["hold_seconds"]["base"] = 90
        d["dose"]["frequency"] = "daily"

    _edit(catalogue_copy / "exercises" / "plank.json", change)
    with pytest.raises(DataError) as info:
        load_catalogue(catalogue_copy)
    assert str(info.value).replace(str(catalogue_copy), "C").splitlines() == [
        "C/exercises/plank.json: at dose.frequency: strength exercises need alternate_days, so muscles rest "
        "between sessions",
        "C/exercises/plank.json: at dose.hold_seconds.base: 90 lies outside the range [10, 60]",
    ]


def test_unreadable_catalogue_file(catalogue_copy):
    (catalogue_copy / "cautions.json").write_text("{oops")
    with pytest.raises(DataError, match=r"cautions\.json: not valid JSON: Expecting property name"):
        load_catalogue(catalogue_copy)


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the shared source articles are not beside this checkout")
def test_no_sentence_is_copied_from_the_articles():
    """Facts carry over from the articles; their sentences do not (shared/tools/copycheck.py)."""
    tool = SOURCES.parent / "tools" / "copycheck.py"
    files = sorted(str(p) for p in (REPO / "catalogue").rglob("*.json")) + sorted(
        str(p) for p in (REPO / "rules").rglob("*.json"))
    result = subprocess.run([sys.executable, str(tool), *files], capture_output=True, text=True, check=True)
    assert result.stdout == ""
