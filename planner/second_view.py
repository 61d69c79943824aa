"""The second row of a figure: the same two poses seen another way, for turns a side view cannot show.

`seen_from: above` draws a seated person from above (facing right, as in the side view); its poses give
`shoulders`, how far the shoulders turn from square (degrees, negative to the person's right). `seen_from:
feet` draws a person lying on the back as seen from their feet; its poses give `knees`, how far the bent
knees roll to one side (degrees) while the feet and shoulders stay on the floor.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

PROP = colors.HexColor("#8c6d46")
PROP_FILL = colors.HexColor("#efe3d3")
CUE = colors.HexColor("#a31515")
LABEL = colors.HexColor("#595959")
KNEE_HEIGHT = 0.37  # how high bent knees stand above the hip-to-foot line when lying on the back
Pt = tuple[float, float]


def arrow(g: Group, x0: float, y0: float, x1: float, y1: float, color, width: float, head: float) -> None:
    """A straight arrow from (x0, y0) to its tip (x1, y1)."""
    angle = math.atan2(y1 - y0, x1 - x0)
    g.add(Line(x0, y0, x1, y1, strokeColor=color, strokeWidth=width, strokeLineCap=1))
    g.add(PolyLine([x1 - head * math.cos(angle - 0.5), y1 - head * math.sin(angle - 0.5), x1, y1,
                    x1 - head * math.cos(angle + 0.5), y1 - head * math.sin(angle + 0.5)],
                   strokeColor=color, strokeWidth=width, strokeLineCap=1, strokeLineJoin=1))


def _shapes(seen_from: str, pose: dict) -> list[tuple[str, list[Pt], float]]:
    """The body as ('line', points, half-thickness) and ('head', [centre, nose direction], radius), in metres."""
    if seen_from == "feet":
        roll = math.radians(pose.get("knees", 0))
        out = [("head", [(0.0, 0.24), (0.0, 0.0)], 0.1),
               ("line", [(0.18, 0.09), (0.5, 0.045)], 0.045), ("line", [(-0.18, 0.09), (-0.5, 0.045)], 0.045),
               ("line", [(-0.17, 0.11), (0.17, 0.11)], 0.11)]
        for side in (-1, 1) if roll >= 0 else (1, -1):  # the leg rolled over on top is drawn last
            knee = (0.07 * side + KNEE_HEIGHT * math.sin(roll), 0.11 + KNEE_HEIGHT * math.cos(roll))
            out.append(("line", [(0.1 * side, 0.11), knee, (0.1 * side, 0.05)], 0.06))
        return out
    turn = math.radians(pose.get("shoulders", 0))
    across = (-math.sin(turn) * 0.2, math.cos(turn) * 0.2)
    return [("line", [(0.0, 0.1), (0.45, 0.11)], 0.065), ("line", [(0.0, -0.1), (0.45, -0.11)], 0.065),
            ("line", [(0.0, -0.13), (0.0, 0.13)], 0.1),
            ("line", [(-0.02 - across[0], -across[1]), (-0.02 + across[0], across[1])], 0.065),
            ("head", [(-0.02, 0.0), (math.cos(turn), math.sin(turn))], 0.1)]


def _extent(seen_from: str, poses: list[dict]) -> tuple[float, float, float, float]:
    pts = [corner for pose in poses for kind, ps, r in _shapes(seen_from, pose)
           for x, y in (ps if kind == "line" else ps[:1]) for corner in ((x - r, y - r), (x + r, y + r))]
    pad = 0.1
    return (min(x for x, _ in pts) - pad, min(y for _, y in pts) - pad, max(x for x, _ in pts) + pad,
            max(y for _, y in pts) + pad)


def _draw(seen_from: str, pose: dict, scale: float, ox: float, oy: float, ink, far) -> Group:
    g = Group()
    if seen_from == "above":
        g.add(Rect(ox - 0.22 * scale, oy - 0.25 * scale, 0.46 * scale, 0.5 * scale, fillColor=PROP_FILL,
                   strokeColor=PROP, strokeWidth=1))
    for n, (kind, pts, r) in enumerate(_shapes(seen_from, pose)):
        if kind == "line":
            ink_here = far if seen_from == "above" and n < 3 else ink  # hips and thighs paler than the shoulders
            xy = [v for x, y in pts for v in (ox + x * scale, oy + y * scale)]
            for color, extra in ((colors.white, 2.8), (ink_here, 0.0)):
                g.add(PolyLine(xy, strokeColor=color, strokeWidth=2 * r * scale + extra, strokeLineCap=1,
                               strokeLineJoin=1))
        else:
            (cx, cy), (nx, ny) = pts
            if seen_from == "above":  # a nose shows which way the head faces
                tip = (ox + (cx + nx * (r + 0.06)) * scale, oy + (cy + ny * (r + 0.06)) * scale)
                side = (-ny * r * 0.6 * scale, nx * r * 0.6 * scale)
                base = (ox + cx * scale, oy + cy * scale)
                g.add(Polygon([base[0] + side[0], base[1] + side[1], *tip, base[0] - side[0], base[1] - side[1]],
                              fillColor=ink, strokeColor=None))
            g.add(Circle(ox + cx * scale, oy + cy * scale, r * scale, fillColor=ink, strokeColor=colors.white,
                         strokeWidth=1.4))
    return g


def _turn_cue(seen_from: str, pose: dict, scale: float, ox: float, oy: float) -> Group:
    """A red arrow along the turn: an arc round the head for the shoulders, round the hips for the knees."""
    g = Group()
    width, head = max(1.6, 0.025 * scale), max(5.0, 0.07 * scale)
    if seen_from == "feet":
        end = pose.get("knees", 0)
        centre, r = (0.0, 0.11), KNEE_HEIGHT + 0.14
        pts = [(ox + (centre[0] + r * math.sin(math.radians(a))) * scale,
                oy + (centre[1] + r * math.cos(math.radians(a))) * scale) for a in (end * k / 12 for k in range(13))]
        g.add(PolyLine([v for p in pts[:-1] for v in p], strokeColor=CUE, strokeWidth=width, strokeLineCap=1))
        arrow(g, *pts[-3], *pts[-1], CUE, width, head)
        return g
    turn = pose.get("shoulders", 0)
    steps = [turn * k / 12 for k in range(13)]
    pts = [(ox + (-0.02 + 0.36 * math.cos(math.radians(a))) * scale, oy + 0.36 * math.sin(math.radians(a)) * scale)
           for a in steps]
    g.add(PolyLine([v for p in pts[:-1] for v in p], strokeColor=CUE, strokeWidth=width, strokeLineCap=1))
    arrow(g, *pts[-3], *pts[-1], CUE, width, head)
    return g


def second_view(d: Drawing, view: dict, row_h: float, panel_w: float, gap: float, label_room: float,
                font: str, size: float, note: bool, inks: tuple, floor) -> None:
    """Draw the second row into the bottom `row_h` points of `d`: start, arrow, end, and what the view is."""
    seen_from = view["seen_from"]
    x0, y0, x1, y1 = _extent(seen_from, [view["start"], view["end"]])
    if seen_from == "feet":
        y0 = 0.0
    avail = row_h - label_room - 4
    scale = min(panel_w / (x1 - x0), avail / (y1 - y0))
    for i, (pose, (ink, far)) in enumerate(((view["start"], inks[0]), (view["end"], inks[1]))):
        left = i * (panel_w + gap)
        ox = left + (panel_w - (x1 - x0) * scale) / 2 - x0 * scale
        oy = 4 + (avail - (y1 - y0) * scale) / 2 - y0 * scale
        if seen_from == "feet":
            oy = 4
            d.add(Line(left, oy, left + panel_w, oy, strokeColor=floor, strokeWidth=1.2))
        d.add(_draw(seen_from, pose, scale, ox, oy, ink, far))
        if i == 1:
            d.add(_turn_cue(seen_from, pose, scale, ox, oy))
    if note:
        text = "The same move seen from above" if seen_from == "above" else "The same move seen from the feet"
        d.add(String(panel_w + gap / 2, row_h - size, text, textAnchor="middle", fontName=font, fontSize=size,
                     fillColor=LABEL))
    g = Group()
    arrow(g, panel_w + gap * 0.2, 4 + avail / 2, panel_w + gap * 0.8, 4 + avail / 2, LABEL, 2.2, 7)
    d.add(g)
