"""Exercise figures drawn from pose data (planner.poses): start and end side by side, with props.

The body is drawn with thickness (a trunk, a head and limbs as rounded shapes, the near limbs outlined in
white so they read in front of the trunk), on a floor line, with a mat under floor work and props at their
real size. Where a side view cannot show a movement (a twist, rolling the knees), a second row shows the
same two poses seen from above or from the feet (planner.second_view).
"""

from __future__ import annotations

import math
import os

from reportlab import rl_config

# reportlab checks every attribute set on a shape against a table of types: a help while a drawing is
# written, which its `shapeChecking` setting turns off. Building a figure took three times as long with it
# (1 ms against 0.3 ms). Off here, before reportlab's shapes are imported (they read the setting as they load;
# shapes a check-in's chart loaded earlier read it again at each attribute), unless RL_shapeChecking asks.
# Set in reportlab's settings, not the environment: a JSON run never loads reportlab, and no child process
# inherits it. tests/test_speed_guards.py draws every figure and a check-in chart with the checks on too.
if "RL_shapeChecking" not in os.environ:
    rl_config.shapeChecking = 0

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Rect, String  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402

from planner.poses import HEAD_RADIUS, THICKNESS, Joints, joints, on_floor, radius, step
from planner.second_view import arrow, second_view

NEAR, FAR = colors.HexColor("#1f4e79"), colors.HexColor("#8fb0d0")
START_NEAR, START_FAR = colors.HexColor("#6e6e6e"), colors.HexColor("#bdbdbd")
PROP = colors.HexColor("#8c6d46")
PROP_FILL = colors.HexColor("#efe3d3")
MAT = colors.HexColor("#c9d6e3")
FLOOR = colors.HexColor("#595959")
CUE = colors.HexColor("#a31515")
HALO = 1.4  # points of white around the near limbs and the head
MIN_POSE_WIDTH = 55 * mm  # each pose's panel in standard print; larger print scales it up
FRONT_TRUNK = 0.30  # a trunk seen from the front is wider than seen from the side
VIEW_NOTE = {"front": "seen from the front"}


class Figure(Drawing):
    """A Drawing that walks its shapes at most twice per process: its second drawing is recorded, and later
    ones replay it (`planner.figure_replay`): graphics as the PDF code they wrote, labels and fonts through
    the canvas (each PDF numbers its own font subset), so the PDF is the same bytes. Walking the shapes
    was a fifth of a plan's render time; replaying the code instead of each call takes another 11 to 19%
    off. The first drawing is not recorded: a one-file batch draws each figure once, and recording it cost
    0.8 ms a figure (a twelfth of that batch's first PDF)."""

    def draw(self, showBoundary=None):  # noqa: N803 - reportlab's name
        from reportlab.graphics import renderPDF

        from planner.figure_replay import Recorder, compile_replay, replayable

        canvas, replay = self.canv, self.__dict__.get("_replay")
        if not replayable(canvas) or not self.__dict__.get("_drawn"):  # the shapes, walked as they are
            self._drawn = True
            renderPDF.draw(self, canvas, 0, 0)
            return
        if replay is None:
            recorder = Recorder(canvas)
            renderPDF.draw(self, recorder, 0, 0)
            self._replay = compile_replay(recorder, canvas)
            return
        replay.draw(canvas)


def figure_size(text_size: float, max_width: float, figure: dict) -> tuple[float, float]:
    """The width and height (points) of an exercise figure beside text of `text_size` points.

    Each pose gets at least MIN_POSE_WIDTH at 12 pt and grows in step with the type, within `max_width`;
    the height follows the poses' shape (a standing figure is tall, a lying one low), and a figure with a
    view from above gets a second, lower row.
    """
    grow = text_size / 12.0
    width = min(max_width, (2 * MIN_POSE_WIDTH * 1.15 + 12 * mm) * grow)
    panel = (width - max(24.0, width * 0.07)) / 2
    wide, high = pose_extent(figure)
    height = min(text_size * 14, max(text_size * 7.5, panel * high / wide)) + text_size + 8
    return width, height + (second_row(text_size) if "second_view" in figure else 0)


def pose_extent(figure: dict) -> tuple[float, float]:
    """The two poses' width and height together, in the pose data's units."""
    x0, _, x1, y1 = _bounds([joints({**figure[k], "facing": figure.get("facing", 1)}) for k in ("start", "end")])
    return x1 - x0, y1


def pose_scale(figure: dict, width: float, height: float, label_size: float) -> float:
    """How large `figure_drawing` draws the body in a figure of this size (points per unit): the poses fill
    their half of the width or the row's height, whichever is less (cards size figures by it)."""
    wide, high = pose_extent(figure)
    row = height - (second_row(label_size) if "second_view" in figure else 0)
    panel = (width - max(24.0, width * 0.07)) / 2
    return min(panel / wide, (row - (label_size + 4) - 4 - 2) / high)


def second_row(text_size: float) -> float:
    """The height of a figure's second row (a view from above or from the feet)."""
    return text_size * 9


def _limb(g: Group, pts: list[tuple[tuple[float, float], tuple[float, float], float]], color, halo: bool) -> None:
    """Thick rounded segments; with `halo`, a white outline first so the limb reads in front of what is behind."""
    passes = ((colors.white, HALO * 2), (color, 0.0)) if halo else ((color, 0.0),)
    for ink, extra in passes:
        for a, b, w in pts:
            g.add(Line(a[0], a[1], b[0], b[1], strokeColor=ink, strokeWidth=w + extra, strokeLineCap=1))


def _body(j: Joints, scale: float, ox: float, oy: float, near, far, view: str) -> Group:
    p = {k: (ox + x * scale, oy + y * scale) for k, (x, y) in j.points.items()}
    g = Group()

    def limb(side: str, part: str) -> list:
        chain = (["hip", f"{side}_knee", f"{side}_ankle", f"{side}_toe"], ["thigh", "shin", "foot"]) if part == "leg" \
            else (["shoulder", f"{side}_elbow", f"{side}_hand"], ["upper_arm", "forearm"])
        names, segs = chain
        return [(p[a], p[b], THICKNESS[s] * scale) for a, b, s in zip(names, names[1:], segs, strict=False)]

    _limb(g, limb("far", "leg"), far, False)
    _limb(g, limb("far", "arm"), far, False)
    trunk_w = (FRONT_TRUNK if view == "front" else THICKNESS["trunk"]) * scale
    g.add(_trunk(p["hip"], p["shoulder"], j.trunk_curve * scale, near, trunk_w))
    _limb(g, [(p["shoulder"], p["head"], THICKNESS["neck"] * scale)], near, False)
    g.add(Circle(p["head"][0], p["head"][1], HEAD_RADIUS * scale, fillColor=near, strokeColor=colors.white,
                 strokeWidth=HALO))
    _limb(g, limb("near", "leg"), near, True)
    _limb(g, limb("near", "arm"), near, True)
    return g


def _trunk(hip, shoulder, bulge: float, color, width: float):
    """The trunk as one thick rounded shape, straight or bowed (a rounded or arched back)."""
    if not bulge:
        return Line(hip[0], hip[1], shoulder[0], shoulder[1], strokeColor=color, strokeWidth=width, strokeLineCap=1)
    mx, my = (hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2
    dx, dy = shoulder[0] - hip[0], shoulder[1] - hip[1]
    length = math.hypot(dx, dy) or 1
    cx, cy = mx - dy / length * bulge * 2, my + dx / length * bulge * 2
    path = Path(strokeColor=color, strokeWidth=width, fillColor=None, strokeLineCap=1)
    path.moveTo(*hip)
    path.curveTo(cx, cy, cx, cy, *shoulder)
    return path


def wall_x(j: Joints) -> float:
    """Where a wall behind the figure stands: touching the back at the hips or shoulders."""
    return min(j.points["hip"][0], j.points["shoulder"][0]) - THICKNESS["trunk"] / 2


def _props(figure: dict, j: Joints, scale: float, ox: float, oy: float, top: float) -> Group:
    """Props at their real size: a wall up to the label, a 55-65 cm ball, a chair and a couch-height bench."""
    g = Group()
    p = j.points
    line = dict(strokeColor=PROP, strokeWidth=max(1.0, 0.03 * scale), strokeLineCap=1)

    def X(x: float) -> float:  # noqa: N802 - a coordinate helper
        return ox + x * scale

    def Y(y: float) -> float:  # noqa: N802
        return oy + y * scale

    for prop in figure.get("props", []):
        if prop == "wall":
            x = wall_x(j)
            g.add(Rect(X(x - 0.07), oy, 0.07 * scale, min(top, Y(2.1)) - oy, fillColor=PROP_FILL, **line))
        elif prop == "ball":
            r = min(0.33, max(0.25, (p["hip"][1] - radius("hip")) / 2))
            g.add(Circle(X(p["hip"][0] - 0.03), Y(r), r * scale, fillColor=PROP_FILL, **line))
        elif prop == "chair":
            facing = figure.get("facing", 1)
            seat, x = p["hip"][1] - radius("hip"), p["hip"][0]
            back, front = x - 0.2 * facing, x + 0.24 * facing
            g.add(Line(X(back), Y(seat), X(front), Y(seat), **line))
            g.add(Line(X(back), oy, X(back), Y(seat + 0.45), **line))
            g.add(Line(X(front), oy, X(front), Y(seat), **line))
        elif prop == "bench":
            top_y = p["hip"][1] - radius("hip")
            toward = 1 if p["shoulder"][0] >= p["hip"][0] else -1
            x0, x1 = sorted((p["hip"][0] + 0.07 * toward, p["shoulder"][0] + 0.45 * toward))
            g.add(Rect(X(x0), Y(top_y - 0.08), (x1 - x0) * scale, 0.08 * scale, fillColor=PROP_FILL, **line))
            for x in (x0 + 0.06, x1 - 0.06):
                g.add(Line(X(x), oy, X(x), Y(top_y - 0.08), **line))
    return g


def _floor(js: list[Joints], scale: float, ox: float, oy: float, left: float, right: float) -> Group:
    """The floor line across the panel, and a mat under a body that lies, kneels or sits on the floor."""
    g = Group()
    body = ("hip", "shoulder", "near_knee", "far_knee", "near_elbow", "far_elbow")
    if any(on_floor(j, name) for j in js for name in body):
        xs = [x for j in js for x, _ in j.points.values()]
        mat = 0.03 * scale
        g.add(Rect(ox + (min(xs) - 0.18) * scale, oy - mat, (max(xs) - min(xs) + 0.36) * scale, mat,
                   fillColor=MAT, strokeColor=None))
    g.add(Line(left, oy, right, oy, strokeColor=FLOOR, strokeWidth=1.2))
    return g


def _cue(cue: dict, j: Joints, scale: float, ox: float, oy: float) -> Group:
    """An arrow pointing at a body part, for movements a side view shows poorly (draw in, roll, small moves)."""
    p = j.points
    at = ((p["hip"][0] + p["shoulder"][0]) / 2, (p["hip"][1] + p["shoulder"][1]) / 2) if cue["at"] == "trunk_mid" \
        else p[cue["at"]]
    gap = radius(cue["at"]) + 0.05 if cue["at"] != "trunk_mid" else THICKNESS["trunk"] / 2 + 0.05
    tail, tip = step(at, cue["from"], gap + 0.25), step(at, cue["from"], gap)
    g = Group()
    arrow(g, ox + tail[0] * scale, oy + tail[1] * scale, ox + tip[0] * scale, oy + tip[1] * scale, CUE,
          max(1.6, 0.025 * scale), max(5.0, 0.07 * scale))
    return g


def _bounds(js: list[Joints]) -> tuple[float, float, float, float]:
    xs = [v for j in js for name, (x, _) in j.points.items() for v in (x - radius(name), x + radius(name))]
    ys = [y + radius(name) for j in js for name, (_, y) in j.points.items()]
    return min(xs) - 0.12, 0.0, max(xs) + 0.12, max(ys) + 0.06


def figure_drawing(figure: dict, width: float = 360, height: float = 130, labels: bool = True,
                   label_font: str = "Helvetica", label_size: float = 9) -> Drawing:
    """Start and end poses side by side with an arrow between at body height, scaled to `width` x `height`."""
    d = Figure(width, height)
    second = figure.get("second_view")
    label_room = label_size + 4 if labels else 0
    side_h = height - (second_row(label_size) if second else 0)
    gap = max(24.0, width * 0.07)
    panel_w = (width - gap) / 2
    _side_row(d, figure, height - side_h, side_h, panel_w, gap, label_room, label_font, label_size, labels)
    if second:
        second_view(d, second, height - side_h, panel_w, gap, label_room, label_font, label_size, labels,
                    ((START_NEAR, START_FAR), (NEAR, FAR)), FLOOR)
    return d


def _side_row(d: Drawing, figure: dict, bottom: float, row_h: float, panel_w: float, gap: float, label_room: float,
              font: str, size: float, labels: bool) -> None:
    facing = figure.get("facing", 1)
    view = figure.get("view", "side")
    start = joints({**figure["start"], "facing": figure["start"].get("facing", facing)})
    end = joints({**figure["end"], "facing": figure["end"].get("facing", facing)})
    x0, _, x1, y1 = _bounds([start, end])
    mat_room = 4.0
    avail_h = row_h - label_room - mat_room - 2
    scale = min(panel_w / (x1 - x0), avail_h / y1)
    oy = bottom + mat_room + (avail_h - y1 * scale) * 0.3
    label_y = bottom + row_h - size
    body_ys = [(y - radius(n), y + radius(n)) for j in (start, end) for n, (_, y) in j.points.items()]
    mid_body = (min(a for a, _ in body_ys) + max(b for _, b in body_ys)) / 2
    names = ("Start", figure.get("end_label", "Move to"))
    for i, (j, near, far) in enumerate(((start, START_NEAR, START_FAR), (end, NEAR, FAR))):
        left = i * (panel_w + gap)
        ox = left + (panel_w - (x1 - x0) * scale) / 2 - x0 * scale
        d.add(_floor([start, end], scale, ox, oy, left, left + panel_w))
        d.add(_props({**figure, "facing": facing}, j, scale, ox, oy, label_y - 3 if labels else bottom + row_h))
        d.add(_body(j, scale, ox, oy, near, far, view))
        if i == 1 and "cue" in figure:
            d.add(_cue(figure["cue"], j, scale, ox, oy))
        if labels:
            text = names[i] + (f" ({VIEW_NOTE[view]})" if view in VIEW_NOTE else "")
            d.add(String(left + panel_w / 2, label_y, text, textAnchor="middle", fontName=font, fontSize=size,
                         fillColor=FLOOR))
    ay = oy + mid_body * scale
    g = Group()
    arrow(g, panel_w + gap * 0.2, ay, panel_w + gap * 0.8, ay, FLOOR, 2.2, 7)
    d.add(g)
