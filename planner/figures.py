"""Exercise figures drawn from pose data (planner.poses): start and end side by side, with props."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, PolyLine, Rect, String
from reportlab.lib import colors

from planner.poses import HEAD_RADIUS, Joints, joints, step

NEAR, FAR = colors.HexColor("#1f4e79"), colors.HexColor("#7f9fbf")
START_NEAR, START_FAR = colors.HexColor("#7a7a7a"), colors.HexColor("#b0b0b0")
PROP = colors.HexColor("#8c6d46")
FLOOR = colors.HexColor("#595959")
CUE = colors.HexColor("#a31515")

def _figure(j: Joints, scale: float, ox: float, oy: float, near, far, width: float) -> Group:
    p = {k: (ox + x * scale, oy + y * scale) for k, (x, y) in j.points.items()}
    g = Group()

    def chain(names: list[str], color) -> None:
        pts = [c for name in names for c in p[name]]
        g.add(PolyLine(pts, strokeColor=color, strokeWidth=width, strokeLineCap=1, strokeLineJoin=1))

    for side, color in (("far", far), ("near", near)):
        if side == "near":
            g.add(_trunk(p["hip"], p["shoulder"], j.trunk_curve * scale, near, width * 1.5))
            chain(["shoulder", "head"], near)
            g.add(Circle(p["head"][0], p["head"][1], HEAD_RADIUS * scale, fillColor=colors.white,
                         strokeColor=near, strokeWidth=width))
        chain(["hip", f"{side}_knee", f"{side}_ankle", f"{side}_toe"], color)
        chain(["shoulder", f"{side}_elbow", f"{side}_hand"], color)
    return g


def _trunk(hip, shoulder, bulge: float, color, width: float):
    """The trunk, straight or bowed (a rounded or arched back)."""
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


def _props(figure: dict, j: Joints, scale: float, ox: float, oy: float, span: tuple[float, float]) -> Group:
    g = Group()
    p = j.points
    left, right = span
    line = dict(strokeColor=PROP, strokeWidth=1.5)
    for prop in figure.get("props", []):
        if prop == "wall":
            x = min(p["hip"][0], p["shoulder"][0]) - HEAD_RADIUS
            g.add(Line(ox + x * scale, oy, ox + x * scale, oy + 1.9 * scale, **line))
        elif prop == "ball":
            r = max(0.12, (p["hip"][1] - 0.02) / 2)
            g.add(Circle(ox + (p["hip"][0] - 0.03) * scale, oy + r * scale, r * scale, fillColor=colors.HexColor(
                "#f2e6d9"), **line))
        elif prop == "chair":
            seat, x = (p["hip"][1] - 0.05), p["hip"][0]
            back = x - 0.12 * figure.get("facing", 1)
            front = x + 0.32 * figure.get("facing", 1)
            g.add(Line(ox + back * scale, oy + seat * scale, ox + front * scale, oy + seat * scale, **line))
            g.add(Line(ox + back * scale, oy, ox + back * scale, oy + (seat + 0.45) * scale, **line))
            g.add(Line(ox + front * scale, oy, ox + front * scale, oy + seat * scale, **line))
        elif prop == "bench":
            top = min(p["hip"][1], p["shoulder"][1]) - 0.07
            x0, x1 = sorted((p["hip"][0], p["shoulder"][0]))
            x0, x1 = x0 - 0.02, x1 + 0.25
            g.add(Rect(ox + x0 * scale, oy + (top - 0.06) * scale, (x1 - x0) * scale, 0.06 * scale,
                       fillColor=colors.HexColor("#f2e6d9"), **line))
            for x in (x0 + 0.05, x1 - 0.05):
                g.add(Line(ox + x * scale, oy, ox + x * scale, oy + (top - 0.06) * scale, **line))
    g.add(Line(ox + left * scale, oy, ox + right * scale, oy, strokeColor=FLOOR, strokeWidth=1))
    return g


def _cue(cue: dict, j: Joints, scale: float, ox: float, oy: float) -> Group:
    """An arrow pointing at a body part, for movements a side view cannot show (draw in, roll, twist)."""
    p = j.points
    at = ((p["hip"][0] + p["shoulder"][0]) / 2, (p["hip"][1] + p["shoulder"][1]) / 2) if cue["at"] == "trunk_mid" \
        else p[cue["at"]]
    tail = step(at, cue["from"], 0.32)
    tip = step(at, cue["from"], 0.09)
    x0, y0, x1, y1 = (ox + tail[0] * scale, oy + tail[1] * scale, ox + tip[0] * scale, oy + tip[1] * scale)
    angle = math.atan2(y1 - y0, x1 - x0)
    head = 6
    g = Group()
    g.add(Line(x0, y0, x1, y1, strokeColor=CUE, strokeWidth=2))
    g.add(PolyLine([x1 - head * math.cos(angle - 0.5), y1 - head * math.sin(angle - 0.5), x1, y1,
                    x1 - head * math.cos(angle + 0.5), y1 - head * math.sin(angle + 0.5)],
                   strokeColor=CUE, strokeWidth=2))
    return g


def _bounds(js: list[Joints]) -> tuple[float, float, float, float]:
    xs = [x for j in js for x, _ in j.points.values()]
    ys = [y for j in js for _, y in j.points.values()]
    return min(xs) - 0.25, 0.0, max(xs) + 0.25, max(ys) + HEAD_RADIUS + 0.1


def figure_drawing(figure: dict, width: float = 300, height: float = 110, labels: bool = True,
                   label_font: str = "Helvetica", label_size: float = 9) -> Drawing:
    """Start and end poses side by side with an arrow between, scaled to fit `width` x `height` points."""
    facing = figure.get("facing", 1)
    start = joints({**figure["start"], "facing": figure["start"].get("facing", facing)})
    end = joints({**figure["end"], "facing": figure["end"].get("facing", facing)})
    x0, y0, x1, y1 = _bounds([start, end])
    label_room = label_size + 5 if labels else 0
    arrow_room = 30
    panel_w = (width - arrow_room) / 2
    scale = min(panel_w / (x1 - x0), (height - label_room - 4) / (y1 - y0))
    d = Drawing(width, height)
    stroke = max(1.6, scale * 0.035)
    for i, (j, near, far, label) in enumerate(((start, START_NEAR, START_FAR, "Start"),
                                               (end, NEAR, FAR, figure.get("end_label", "Move to")))):
        left = i * (panel_w + arrow_room)
        ox = left + (panel_w - (x1 - x0) * scale) / 2 - x0 * scale
        oy = 4
        d.add(_props({**figure, "facing": facing}, j, scale, ox, oy, (x0, x1)))
        d.add(_figure(j, scale, ox, oy, near, far, stroke))
        if i == 1 and "cue" in figure:
            d.add(_cue(figure["cue"], j, scale, ox, oy))
        if labels:
            d.add(String(left + panel_w / 2, height - label_size - 1, label, textAnchor="middle", fontName=label_font,
                         fontSize=label_size, fillColor=FLOOR))
    mid_y = height / 2
    ax = panel_w + 6
    d.add(Line(ax, mid_y, ax + arrow_room - 12, mid_y, strokeColor=FLOOR, strokeWidth=2))
    d.add(PolyLine([ax + arrow_room - 18, mid_y + 5, ax + arrow_room - 12, mid_y, ax + arrow_room - 18, mid_y - 5],
                   strokeColor=FLOOR, strokeWidth=2))
    return d
