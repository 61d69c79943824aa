"""Exercise figures: valid pose data for every exercise, constant limbs, natural joints, and they render."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from planner.catalogue import shipped_catalogue
from planner.cli import cli
from planner.figure_files import figure_sheet, figure_svg
from planner.figures import MIN_POSE_WIDTH, figure_size, wall_x
from planner.pdf.styles import MARGIN, PAGE_SIZES
from planner.poses import SEGMENTS, bend, joints, limb_lengths, natural_bend_problems, on_floor

EXERCISES = shipped_catalogue().ordered_exercises()
BY_ID = {e.id: e for e in EXERCISES}
PROP_FOR_EQUIPMENT = {"wall": "wall", "exercise_ball": "ball", "chair": "chair", "bench": "bench"}


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_limb_lengths_are_the_same_in_both_poses(ex):
    start = limb_lengths(joints({**ex.figure["start"], "facing": ex.figure["facing"]}))
    end = limb_lengths(joints({**ex.figure["end"], "facing": ex.figure["facing"]}))
    for limb, length in start.items():
        assert math.isclose(length, end[limb], abs_tol=1e-9), limb
        segment = limb.removeprefix("near_").removeprefix("far_")
        assert math.isclose(length, SEGMENTS[segment], abs_tol=1e-9), limb


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_joints_bend_the_natural_way(ex):
    for pose in ("start", "end"):
        assert natural_bend_problems({**ex.figure[pose], "facing": ex.figure["facing"]}) == [], pose


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_start_and_end_differ_and_rest_on_the_floor(ex):
    start = joints({**ex.figure["start"], "facing": ex.figure["facing"]})
    end = joints({**ex.figure["end"], "facing": ex.figure["facing"]})
    assert start.points != end.points or "cue" in ex.figure or ex.figure["start"] != ex.figure["end"], \
        "a figure whose poses are the same needs a cue arrow"
    for j in (start, end):
        assert min(y for _, y in j.points.values()) >= 0.0


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_figure_shows_the_equipment(ex):
    needed = {PROP_FOR_EQUIPMENT[e] for e in ex.equipment if e in PROP_FOR_EQUIPMENT}
    assert needed <= set(ex.figure["props"])


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_each_figure_renders_as_svg(ex):
    root = ET.fromstring(figure_svg(ex.figure))
    assert root.tag.endswith("svg")
    lines = [el for el in root.iter() if el.tag.endswith(("polyline", "line", "path", "circle"))]
    assert len(lines) >= 20  # two bodies of outlined limbs, a floor and an arrow


def test_a_bridge_a_plank_and_a_cat_stretch_look_different():
    by_id = {e.id: e for e in EXERCISES}
    shapes = {k: joints({**by_id[k].figure["end"], "facing": by_id[k].figure["facing"]}).points
              for k in ("bridge", "plank", "cat_stretch")}
    hips_over_shoulders = {k: p["hip"][1] - p["shoulder"][1] for k, p in shapes.items()}
    assert hips_over_shoulders["bridge"] > 0.2  # hips high, shoulders on the floor
    assert abs(hips_over_shoulders["plank"]) < 0.1  # one straight line
    cat = shapes["cat_stretch"]
    assert cat["near_knee"][1] < 0.08 and cat["near_hand"][1] < 0.08  # on hands and knees


def test_figure_sheet_has_every_exercise_with_its_first_step():
    reader = PdfReader(io.BytesIO(figure_sheet(shipped_catalogue())))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for ex in EXERCISES:
        assert ex.name in text
        assert " ".join(ex.steps[0].split()[:6]) in text, ex.id


def test_figures_command_writes_one_svg_each_and_the_sheet(runner, tmp_path):
    result = runner.invoke(cli, ["figures", "--out", str(tmp_path / "figs")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert written == sorted([f"{e.id}.svg" for e in EXERCISES] + ["figures.pdf"])
    assert result.output == f"{len(EXERCISES)} figures and a sheet of them written to {tmp_path / 'figs'}/ " \
                            "(figures.pdf).\n"


def test_every_card_in_the_plan_pdf_carries_its_figure(tmp_path):
    from conftest import TODAY, answers_with
    from planner.answers import check_answers
    from planner.build import make_plan
    from planner.pdf.render import render_pdf

    plan = make_plan(check_answers(answers_with(), "x"), TODAY)
    data, _ = render_pdf(plan, shipped_catalogue())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert text.count("Start") >= len(plan.exercises)


def pose(ex, which: str):
    return joints({**ex.figure[which], "facing": ex.figure["facing"]})


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
@pytest.mark.parametrize("page", ["a4", "letter"])
def test_each_pose_is_at_least_55_mm_wide_and_grows_with_large_print(ex, page):
    text_width = PAGE_SIZES[page][0] - 2 * MARGIN
    width, height = figure_size(12, text_width, ex.figure)
    large_w, large_h = figure_size(14, text_width, ex.figure)
    gap = max(24.0, width * 0.07)
    assert (width - gap) / 2 >= MIN_POSE_WIDTH >= 55 * mm
    assert text_width >= large_w > width and large_h > height


# Which limbs a figure moves from start to end, where the steps name them. Seen from the left side, the
# person's left limbs are the near ones.
MOVES = {
    "alternate_knee_lift": {"near_leg"}, "heel_slides": {"near_leg"}, "straight_leg_raise": {"near_leg"},
    "prone_hip_extension": {"near_leg"}, "side_lying_leg_lift": {"near_leg"}, "ball_marching": {"near_leg"},
    "hamstring_stretch": {"near_leg"},
    "ball_arm_heel_raise": {"far_arm", "near_leg"},  # right arm up, left heel up
    "bird_dog": {"far_arm", "near_leg"},  # right arm forward, left leg back
    "knee_to_chest": {"near_leg", "near_arm", "far_arm"},  # one knee in, held with both hands
    "neck_stretch": {"head", "far_arm"},  # head tips, right hand rests on it
}


def moved(ex) -> set[str]:
    start, end = ex.figure["start"], ex.figure["end"]
    out = {part for part in ("trunk", "head") if start[part] != end[part]}
    for limb, key in (("arm", "arms"), ("leg", "legs")):
        for n, side in enumerate(("near", "far")):
            if start[key][n] != end[key][n]:
                out.add(f"{side}_{limb}")
    return out


@pytest.mark.parametrize("ex_id", sorted(MOVES))
def test_the_limb_the_steps_name_is_the_one_that_moves(ex_id):
    assert moved(BY_ID[ex_id]) == MOVES[ex_id]


FLOOR_CONTACT = {  # position: body parts on the floor in the start pose
    "lying_on_back": {"hip", "shoulder"}, "lying_face_down": {"hip", "shoulder"}, "lying_on_side": {"hip", "shoulder"},
    "hands_and_knees": {"near_hand", "far_hand", "near_knee", "far_knee"}, "kneeling": {"far_knee", "near_toe"},
    "standing": {"near_toe", "far_toe"}, "standing_at_wall": {"near_toe", "far_toe"},
    "sitting_on_ball": {"near_toe", "far_toe"}, "sitting_on_chair": {"near_toe", "far_toe"},
    "forearms_and_toes": {"hip", "near_elbow"}, "side_lying_on_forearm": {"hip", "far_elbow"},
    "face_down_on_bench": {"near_toe", "far_toe"},
}


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_the_start_pose_rests_on_the_floor_where_its_position_says(ex):
    start = pose(ex, "start")
    assert {name for name in FLOOR_CONTACT[ex.position] if not on_floor(start, name)} == set()


def test_hip_flexor_stretch_kneels_on_one_knee_with_the_other_foot_flat():
    ex = BY_ID["hip_flexor_stretch"]
    for which in ("start", "end"):
        j = pose(ex, which)
        assert on_floor(j, "far_knee") and on_floor(j, "near_ankle") and on_floor(j, "near_toe"), which
        assert j.points["near_knee"][1] > 0.3  # the front knee is up, the foot in front of the hip
        assert j.points["near_ankle"][0] > j.points["hip"][0] + 0.3


@pytest.mark.parametrize(("ex_id", "elbow"), [("plank", "near_elbow"), ("side_plank", "far_elbow")])
def test_planks_hips_lift_off_the_floor_onto_forearms_and_toes(ex_id, elbow):
    ex = BY_ID[ex_id]
    start, end = pose(ex, "start"), pose(ex, "end")
    assert on_floor(start, "hip") and not on_floor(end, "hip")
    assert on_floor(end, elbow) and on_floor(end, "near_toe")


def test_side_plank_is_seen_from_the_front_with_the_top_hand_on_the_hip():
    side, plank = BY_ID["side_plank"].figure, BY_ID["plank"].figure
    assert side.get("view") == "front" and plank.get("view", "side") == "side"
    for which in ("start", "end"):
        j = pose(BY_ID["side_plank"], which).points
        assert math.dist(j["near_hand"], j["hip"]) < 0.25, which  # the top arm, drawn over the trunk
        assert j["near_elbow"][1] > j["shoulder"][1]  # the elbow points up, away from the floor


def test_piriformis_stretch_crosses_the_ankle_over_the_other_knee_and_holds_that_thigh():
    ex = BY_ID["piriformis_stretch"]
    for which in ("start", "end"):
        j = pose(ex, which).points
        assert math.dist(j["near_ankle"], j["far_knee"]) < 0.15, which
    end = pose(ex, "end").points
    knee, hip = end["far_knee"], end["hip"]
    for hand in ("near_hand", "far_hand"):  # both hands on the far thigh, between hip and knee
        along = ((end[hand][0] - hip[0]) * (knee[0] - hip[0]) + (end[hand][1] - hip[1]) * (knee[1] - hip[1])) / 0.45
        assert 0.1 < along < 0.45 and math.dist(end[hand], hip) < 0.45, hand


def test_standing_back_bend_keeps_the_hands_on_the_small_of_the_back():
    """Step 1 puts the hands on the small of the back: behind the trunk, a little above the hips (they were
    drawn at the front of the hips)."""
    ex = BY_ID["standing_back_bend"]
    facing = ex.figure.get("facing", 1)
    for which in ("start", "end"):
        j = pose(ex, which).points
        hip, shoulder = j["hip"], j["shoulder"]
        for hand in ("near_hand", "far_hand"):
            x, y = j[hand]
            behind = (x - hip[0]) * facing < 0 and (x - shoulder[0]) * facing < 0
            assert behind and 0.05 < y - hip[1] < 0.25, (which, hand, round(x - hip[0], 3), round(y - hip[1], 3))


def test_wall_squat_feet_about_30_cm_from_the_wall_and_knees_to_about_45_degrees():
    ex = BY_ID["wall_squat"]
    assert "about 30 cm" in ex.steps[1] and "45 degrees" in ex.steps[3]
    for which, knee in (("start", 0), ("end", 45)):
        j = pose(ex, which)
        heel = j.points["near_ankle"][0] - 0.05
        assert 0.25 <= heel - wall_x(j) <= 0.35, which
        thigh, shin = ex.figure[which]["legs"][0][:2]
        assert abs(-bend(thigh, shin) - knee) <= 5, which
        assert abs(j.points["hip"][0] - 0.11 - wall_x(j)) < 0.01  # the back stays on the wall


ROTATIONS = ("knee_rolls", "seated_rotation")


@pytest.mark.parametrize("ex_id", ROTATIONS)
def test_turns_a_side_view_cannot_show_get_a_second_view(ex_id):
    ex = BY_ID[ex_id]
    assert any(word in " ".join(ex.steps).lower() for word in ("roll", "turn"))
    view = ex.figure["second_view"]
    assert view["start"] != view["end"]


def test_no_raised_arm_is_drawn_through_the_head():
    """The near arm is drawn in front of the head, so it must pass beside it; arms that lie along the floor past
    the head (reaching forward face down, or sitting back on the heels) are beside the head in life too."""
    along_the_floor = {"superman", "kneeling_back_stretch"}
    for ex in EXERCISES:
        for which in ("start", "end"):
            j = pose(ex, which).points
            for a, b in (("shoulder", "near_elbow"), ("near_elbow", "near_hand")):
                ax, ay = j[a]
                dx, dy = j[b][0] - ax, j[b][1] - ay
                t = max(0.0, min(1.0, ((j["head"][0] - ax) * dx + (j["head"][1] - ay) * dy) / (dx * dx + dy * dy)))
                gap = math.hypot(ax + t * dx - j["head"][0], ay + t * dy - j["head"][1])
                assert gap >= 0.11 or ex.id in along_the_floor, (ex.id, which, a)


END_CONTACT = {  # what the steps say stays on the floor as the move is made
    "bridge": {"shoulder", "far_ankle"},  # "Your shoulders stay on the floor"; feet pressed down
    "glute_bridge_hold": {"shoulder", "far_ankle"},
    "knee_rolls": {"shoulder"},  # "Keep both shoulders on the floor"
    "knee_to_chest": {"shoulder", "far_ankle"},  # "Keep the other foot on the floor"
    "straight_leg_raise": {"far_ankle"},  # the bent knee's foot stays flat
    "bird_dog": {"near_hand", "far_knee"},  # one hand and the other knee hold the body up
    "kneeling_back_stretch": {"near_hand", "near_knee"},  # the hands stay as the bottom sits back
    "cat_stretch": {"near_hand", "near_knee"},
    "wall_squat": {"near_ankle", "near_toe"},
}


@pytest.mark.parametrize("ex_id", sorted(END_CONTACT))
def test_what_the_steps_keep_on_the_floor_stays_there(ex_id):
    end = pose(BY_ID[ex_id], "end")
    assert {name for name in END_CONTACT[ex_id] if not on_floor(end, name)} == set()


def shapes(node) -> list:
    """Every shape in a reportlab drawing, groups opened."""
    out = []
    for item in getattr(node, "contents", []):
        out += shapes(item) if hasattr(item, "contents") else [item]
    return out


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_the_arrow_between_the_poses_points_at_body_height(ex):
    from reportlab.graphics.shapes import Line

    from planner.figures import FLOOR, NEAR, START_NEAR, figure_drawing

    width, height = figure_size(12, 480, ex.figure)
    items = shapes(figure_drawing(ex.figure, width=width, height=height))
    body_ys = [y for s in items if isinstance(s, Line) and s.strokeColor in (NEAR, START_NEAR) for y in (s.y1, s.y2)]
    arrow = next(s for s in items if isinstance(s, Line) and s.strokeColor == FLOOR and s.y1 == s.y2
                 and s.x1 > width * 0.4 and s.x2 < width * 0.6)
    assert min(body_ys) <= arrow.y1 <= max(body_ys)


def test_the_wall_stops_below_the_labels():
    from reportlab.graphics.shapes import Rect, String

    from planner.figures import PROP_FILL, figure_drawing

    ex = BY_ID["wall_squat"]
    width, height = figure_size(12, 480, ex.figure)
    items = shapes(figure_drawing(ex.figure, width=width, height=height))
    walls = [s for s in items if isinstance(s, Rect) and s.fillColor == PROP_FILL]
    labels = [s for s in items if isinstance(s, String)]
    assert len(walls) == 2 and labels
    assert max(w.y + w.height for w in walls) < min(s.y for s in labels)
