"""A figure replayed as recorded PDF code writes the bytes of the same figure drawn afresh."""

from __future__ import annotations

import gc
import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from conftest import EXAMPLES, TODAY
from planner.answers import load_answers
from planner.build import make_plan
from planner.catalogue import shipped_catalogue
from planner.figure_replay import Recorder, compile_replay
from planner.figures import Figure, figure_drawing
from planner.pdf.cards import card_figure
from planner.pdf.render import render_pdf

WITH_FIGURES = ["office_worker", "warehouse_worker", "older_adult_no_floor", "acute_high_pain"]


def replays() -> list:
    return [o.__dict__["_replay"] for o in gc.get_objects() if isinstance(o, Figure) and "_replay" in o.__dict__]


@pytest.mark.parametrize("name", WITH_FIGURES)
@pytest.mark.parametrize("large_print", [False, True])
def test_a_replayed_figure_is_the_bytes_of_one_drawn_afresh(name, large_print):
    plan = make_plan(load_answers(EXAMPLES / f"{name}.json"), TODAY)
    catalogue = shipped_catalogue()
    card_figure.cache_clear()  # every figure new: drawn by walking its shapes
    gc.collect()  # figures of earlier cases, out of the cache, must not count as replayed below
    fresh, _ = render_pdf(plan, catalogue, large_print=large_print)
    recorded, _ = render_pdf(plan, catalogue, large_print=large_print)  # walked again, and recorded
    replayed, _ = render_pdf(plan, catalogue, large_print=large_print)  # the same figures, replayed
    assert fresh == recorded == replayed
    used = [r for r in replays() if r.steps is not None]
    assert used, "no figure was replayed as code"
    again = sum(type(s) is not tuple for r in used for s in r.steps)
    assert again < sum(len(r.calls) for r in used) / 5  # most calls became code


def figure() -> Figure:
    ex = next(e for e in shipped_catalogue().exercises.values() if e.figure)
    return figure_drawing(ex.figure)


def drawn(fig: Figure, alpha: float) -> list[str]:
    """The code `fig` writes on a new page whose fill transparency is `alpha`."""
    canvas = Canvas(io.BytesIO())
    canvas.setFillAlpha(alpha)
    start = len(canvas._code)
    fig.drawOn(canvas, 10, 10)
    return canvas._code[start:]


def test_a_canvas_in_another_state_gets_every_call_made_again():
    """A colour's code depends on the canvas's transparency (a graphics state is written only where it
    changes): where it differs from the recording, the replay calls the canvas again and writes what a
    fresh figure writes there."""
    fig = figure()
    drawn(fig, 1)  # its first drawing is not recorded (Figure.draw)
    assert drawn(fig, 1) == drawn(figure(), 1)  # recorded, then replayed as code
    assert fig.__dict__["_replay"].steps is not None
    half = drawn(fig, 0.5)
    assert half == drawn(figure(), 0.5)
    assert any(entry.endswith(" gs") for entry in half)


def test_a_saved_state_around_a_call_made_again_is_restored_on_the_canvas():
    """`q` and `Q` stay calls around a font change, so the canvas's own state comes back after it."""
    canvas = Canvas(io.BytesIO())
    recorder = Recorder(canvas)
    recorder.saveState()
    recorder.setLineWidth(3)
    recorder.setFont("Helvetica", 20)
    recorder.restoreState()
    replay = compile_replay(recorder, canvas)
    again = Canvas(io.BytesIO())
    again.setFont("Courier", 9)
    replay.draw(again)
    assert (again._fontname, again._fontsize) == ("Courier", 9)
    assert [type(s) is tuple for s in replay.steps] == [False, True, False, False]


def test_code_that_rewrites_a_call_made_again_is_replayed_call_by_call():
    """reportlab folds a transform into the `cm` before it; when that `cm` was written before a call
    that is made again, the two cannot be split, so the figure is replayed call by call."""
    canvas = Canvas(io.BytesIO())
    recorder = Recorder(canvas)
    recorder.saveState()
    recorder.transform(1, 0, 0, 1, 5, 5)
    recorder._fillMode = 0  # made again: it writes nothing, so the next transform rewrites the first
    recorder.transform(1, 0, 0, 1, 2, 2)
    recorder.restoreState()
    assert canvas._code[-2:] == ["1 0 0 1 7 7 cm", "Q"]
    assert compile_replay(recorder, canvas).steps is None

    canvas = Canvas(io.BytesIO())
    recorder = Recorder(canvas)
    recorder.saveState()
    recorder.transform(1, 0, 0, 1, 5, 5)
    recorder.transform(1, 0, 0, 1, 2, 2)  # folded into a `cm` of the same run: kept as code
    recorder.restoreState()
    replay = compile_replay(recorder, canvas)
    assert replay.steps == (("q", "1 0 0 1 7 7 cm", "Q"),)
    again = Canvas(io.BytesIO())
    start = len(again._code)
    replay.draw(again)
    assert again._code[start:] == ["q", "1 0 0 1 7 7 cm", "Q"]


def test_a_colour_that_writes_a_graphics_state_is_made_again():
    """Recorded where the transparency differed, a colour wrote a graphics state, which this PDF must
    list among its resources: that call is made again, not copied as code."""
    fig, fresh = figure(), figure()
    pdfs = []
    for f in (fig, fig, fig, fresh):  # drawn, recorded, replayed, drawn afresh
        canvas = Canvas(io.BytesIO(), invariant=1)
        canvas.setFillAlpha(0.5)
        f.drawOn(canvas, 10, 10)
        pdfs.append(canvas.getpdfdata())
    assert "_replay" in fig.__dict__
    assert pdfs[2] == pdfs[3]


def test_a_canvas_without_the_state_replay_reads_gets_the_shapes_drawn(monkeypatch):
    from planner import figure_replay

    assert figure_replay.replayable(Canvas(io.BytesIO()))
    assert not figure_replay.replayable(object())
    fig = figure()
    fresh = drawn(fig, 1)
    assert "_replay" not in fig.__dict__  # a figure drawn once (a one-file batch) is not recorded
    assert drawn(fig, 1) == fresh and "_replay" in fig.__dict__  # recorded at its second drawing
    other = figure()
    monkeypatch.setattr(figure_replay, "replayable", lambda canvas: False)
    assert drawn(other, 1) == drawn(other, 1) == fresh
    assert "_replay" not in other.__dict__
