"""Pose data to joint positions: a jointed skeleton with fixed segment lengths.

A pose gives angles, not coordinates: the direction of the trunk, head, and of
each upper and lower limb (degrees, 0 = right, 90 = up). Joints are placed by
walking fixed segment lengths from the hip, so limb lengths cannot change
between poses. `facing` is the figure's handedness: +1 is a person facing
right (knees bend clockwise, elbows counter-clockwise), -1 its mirror image,
which is how a figure lying face down is drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Segment lengths, in metres of a person about 1.7 m tall.
SEGMENTS = {"trunk": 0.52, "neck": 0.20, "upper_arm": 0.30, "forearm": 0.28, "thigh": 0.45, "shin": 0.44,
            "foot": 0.16}
HEAD_RADIUS = 0.11
# How thick each body part is drawn (metres across): the figure is a body with width, not a stick, and it is
# the outline, not the joint's centre, that rests on the floor.
THICKNESS = {"trunk": 0.22, "neck": 0.09, "upper_arm": 0.085, "forearm": 0.07, "thigh": 0.13, "shin": 0.095,
             "foot": 0.06}
# Half the thickness at each joint: how far the body's outline reaches below the joint's centre.
JOINT_RADIUS = {"hip": 0.11, "shoulder": 0.11, "elbow": 0.043, "hand": 0.035, "knee": 0.065, "ankle": 0.048,
                "toe": 0.03}
FLOOR_TOLERANCE = 0.03  # a body part whose outline is this close to the floor touches it


def radius(name: str) -> float:
    """The outline's reach around joint `name` ('near_knee' -> the knee's)."""
    return HEAD_RADIUS if name == "head" else JOINT_RADIUS[name.removeprefix("near_").removeprefix("far_")]


@dataclass(frozen=True)
class Joints:
    """Where every joint of one pose lies, in metres (y up)."""

    points: dict[str, tuple[float, float]]
    trunk_curve: float

    def shifted(self, dx: float, dy: float) -> Joints:
        return Joints({k: (x + dx, y + dy) for k, (x, y) in self.points.items()}, self.trunk_curve)


def step(origin: tuple[float, float], angle: float, length: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad)


def joints(pose: dict) -> Joints:
    """Place every joint of a pose, then rest the lowest point of the body's outline on the floor (y = 0)."""
    facing = pose.get("facing", 1)
    p: dict[str, tuple[float, float]] = {"hip": (0.0, 0.0)}
    p["shoulder"] = step(p["hip"], pose["trunk"], SEGMENTS["trunk"])
    p["head"] = step(p["shoulder"], pose["head"], SEGMENTS["neck"])
    for side, (upper, lower) in zip(("near", "far"), pose["arms"], strict=True):
        p[f"{side}_elbow"] = step(p["shoulder"], upper, SEGMENTS["upper_arm"])
        p[f"{side}_hand"] = step(p[f"{side}_elbow"], lower, SEGMENTS["forearm"])
    for side, leg in zip(("near", "far"), pose["legs"], strict=True):
        thigh, shin = leg[0], leg[1]
        foot = leg[2] if len(leg) > 2 else 90
        p[f"{side}_knee"] = step(p["hip"], thigh, SEGMENTS["thigh"])
        p[f"{side}_ankle"] = step(p[f"{side}_knee"], shin, SEGMENTS["shin"])
        p[f"{side}_toe"] = step(p[f"{side}_ankle"], shin + facing * foot, SEGMENTS["foot"])
    lowest = min(y - radius(name) for name, (_, y) in p.items())
    return Joints(p, pose.get("trunk_curve", 0.0)).shifted(0.0, -lowest)


def on_floor(j: Joints, name: str) -> bool:
    """Whether the outline around joint `name` touches the floor."""
    return j.points[name][1] - radius(name) <= FLOOR_TOLERANCE


def bend(parent: float, child: float) -> float:
    """The turn from one segment to the next, in (-180, 180]: positive is counter-clockwise."""
    turn = (child - parent) % 360
    return turn - 360 if turn > 180 else turn


def limb_lengths(j: Joints) -> dict[str, float]:
    p = j.points
    out = {"trunk": math.dist(p["hip"], p["shoulder"]), "neck": math.dist(p["shoulder"], p["head"])}
    for side in ("near", "far"):
        out[f"{side}_upper_arm"] = math.dist(p["shoulder"], p[f"{side}_elbow"])
        out[f"{side}_forearm"] = math.dist(p[f"{side}_elbow"], p[f"{side}_hand"])
        out[f"{side}_thigh"] = math.dist(p["hip"], p[f"{side}_knee"])
        out[f"{side}_shin"] = math.dist(p[f"{side}_knee"], p[f"{side}_ankle"])
    return out


def natural_bend_problems(pose: dict) -> list[str]:
    """Knees and elbows bend one way only, and not past about 165 degrees; feet stay in a natural range."""
    facing = pose.get("facing", 1)
    problems = []
    for side, (upper, lower) in zip(("near", "far"), pose["arms"], strict=True):
        turn = bend(upper, lower) * facing
        if not -5 <= turn <= 165:
            problems.append(f"{side} elbow bends {turn:.0f} degrees (allowed 0 to 165, the natural way)")
    for side, leg in zip(("near", "far"), pose["legs"], strict=True):
        turn = -bend(leg[0], leg[1]) * facing
        if not -5 <= turn <= 165:
            problems.append(f"{side} knee bends {turn:.0f} degrees (allowed 0 to 165, the natural way)")
        foot = leg[2] if len(leg) > 2 else 90
        if not 10 <= foot <= 130:  # 90 is a standing foot; 10 a foot flat behind a kneeling knee
            problems.append(f"{side} foot is at {foot} degrees to the shin (allowed 10 to 130)")
    return problems
