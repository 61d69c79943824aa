"""Exercise figures: valid pose data for every exercise, constant limbs, natural joints, and they render."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from planner.catalogue import shipped_catalogue
from planner.cli import cli
from planner.figure_files import figure_sheet, figure_svg
from planner.poses import SEGMENTS, joints, limb_lengths, natural_bend_problems

EXERCISES = shipped_catalogue().ordered_exercises()
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
    assert len(lines) >= 10  # two figures of joined limbs, a floor and an arrow


def test_a_bridge_a_plank_and_a_cat_stretch_look_different():
    by_id = {e.id: e for e in EXERCISES}
    shapes = {k: joints({**by_id[k].figure["end"], "facing": by_id[k].figure["facing"]}).points
              for k in ("bridge", "plank", "cat_stretch")}
    hips_over_shoulders = {k: p["hip"][1] - p["shoulder"][1] for k, p in shapes.items()}
    assert hips_over_shoulders["bridge"] > 0.2  # hips high, shoulders on the floor
    assert abs(hips_over_shoulders["plank"]) < 0.1  # one straight line
    cat = shapes["cat_stretch"]
    assert cat["near_knee"][1] < 0.08 and cat["near_hand"][1] < 0.08  # on hands and knees


def test_figure_sheet_has_every_exercise():
    reader = PdfReader(io.BytesIO(figure_sheet(shipped_catalogue())))
    text = " ".join(p.extract_text() for p in reader.pages)
    for ex in EXERCISES:
        assert ex.name in text


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
