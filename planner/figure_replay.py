"""A figure's canvas calls, recorded on its first drawing and replayed after, most of them as ready PDF code.

A figure is the same in every plan, so walking its shapes each time was waste (`figures.Figure`). Most
of what the walk does is graphics: colours, line widths, lines, circles, paths, each appending a fixed
piece of PDF code, and saved states around them. Those are replayed as the code they wrote; the rest
(labels and their fonts, whose code names this PDF's font subset, and anything else) are called again,
so each PDF stays its own. The replay is the same bytes as drawing the shapes afresh:

- a graphics call is kept as code only where reportlab's source shows its code depends on nothing but
  its arguments and the canvas state in `_fingerprint`, which the replay checks against the recording
  (else every call is made again, as before);
- a saved state (`q` ... `Q`) becomes code only when nothing between holds a call made again, so each
  call made again meets the canvas state it met when recorded;
- a call that rewrote the code before it (reportlab folds two transforms into one) stays in the same
  run of code as what it rewrote, or the figure is replayed call by call.
tests/test_figure_replay.py draws figures afresh and replayed, and compares the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from reportlab.lib.colors import CMYKColor

# Canvas methods whose code depends only on their arguments and `_fingerprint`; each changes no state but
# the line and colour settings a saved state restores (and the current matrix, for `transform`).
AS_CODE = frozenset({"line", "circle", "ellipse", "rect", "drawPath", "setLineWidth", "setLineCap", "setLineJoin",
                     "setDash", "setMiterLimit", "setStrokeColor", "setFillColor", "transform"})
COLOURS = frozenset({"setStrokeColor", "setFillColor"})  # the only ones of AS_CODE that may touch transparency
SAVE, RESTORE = "saveState", "restoreState"
SILENT = "beginPath"  # returns a path object (passed to drawPath later); writes nothing, changes nothing


def _fingerprint(canvas) -> tuple:
    """The canvas state that the code of `AS_CODE` calls reads: fill mode (paths, rectangles), transparency
    (a colour's alpha writes a graphics state only where it differs), and a forced colour space."""
    return canvas._fillMode, tuple(sorted(_transparency(canvas).items())), canvas._enforceColorSpace


def _transparency(canvas) -> dict:
    return canvas._extgstate._d


def replayable(canvas) -> bool:
    """The canvas has the state `_fingerprint` reads (reportlab 4.2 to 5 do); else figures replay call by call."""
    return all(hasattr(canvas, name) for name in ("_code", "_fillMode", "_enforceColorSpace")) and isinstance(
        getattr(getattr(canvas, "_extgstate", None), "_d", None), dict)


@dataclass(slots=True)
class _Call:
    name: str
    args: tuple
    kwargs: dict
    start: int  # canvas._code entries [start, end) are the ones this call appended
    end: int
    rewrote: bool  # it changed the entry before `start`
    as_code: bool


class Recorder:
    """Stands in for a canvas while a figure is drawn: passes every call on, and notes what each wrote
    (the fields of `_Call`)."""

    def __init__(self, canvas) -> None:
        object.__setattr__(self, "_canvas", canvas)
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "first", len(canvas._code))
        object.__setattr__(self, "fingerprint", _fingerprint(canvas))

    def __getattr__(self, name: str):
        canvas, calls = self._canvas, self.calls
        target = getattr(canvas, name)
        if not callable(target):
            return target
        colour, maybe, always = name in COLOURS, name in AS_CODE, name in (SAVE, RESTORE, SILENT)

        def call(*args, **kwargs):
            code = canvas._code
            start = len(code)
            before = code[-1] if start else None
            ext = dict(_transparency(canvas)) if colour else None
            result = target(*args, **kwargs)
            as_code = always or (maybe and canvas._code is code and (not colour or (
                # a transparency that changed wrote a graphics state; a spot colour names a resource
                ext == _transparency(canvas) and not any(isinstance(a, CMYKColor) for a in args))))
            calls.append((name, args, kwargs, start, len(code), start > 0 and code[start - 1] is not before, as_code))
            return result

        object.__setattr__(self, name, call)  # the next use finds it without __getattr__
        return call

    def __setattr__(self, name: str, value) -> None:
        code = self._canvas._code
        self.calls.append(("__setattr__", (name, value), {}, len(code), len(code), False, False))
        setattr(self._canvas, name, value)


class Again(NamedTuple):
    """A call made again on the canvas at replay (not a plain tuple: a tuple step is code)."""

    name: str
    args: tuple
    kwargs: dict


@dataclass(frozen=True)
class Replay:
    """A figure's recorded calls, and the same as steps: a tuple of code entries, or a call to make again."""

    calls: tuple[tuple[str, tuple, dict], ...]
    steps: tuple[Any, ...] | None  # None: replay call by call
    fingerprint: tuple

    def draw(self, canvas) -> None:
        if self.steps is not None and _fingerprint(canvas) == self.fingerprint:
            code = canvas._code
            for step in self.steps:
                if type(step) is tuple:
                    code.extend(step)
                    continue
                name, args, kwargs = step
                if name == "__setattr__":
                    setattr(canvas, *args)
                else:
                    getattr(canvas, name)(*args, **kwargs)
                code = canvas._code
            return
        for name, args, kwargs in self.calls:
            if name == "__setattr__":
                setattr(canvas, *args)
            elif name != SILENT:  # the recorded path object, already built, is passed to drawPath
                getattr(canvas, name)(*args, **kwargs)


def _saved_states_as_code(calls: list[_Call]) -> None:
    """A `q` ... `Q` pair stays code only when every call between is code; else both are made again."""
    again = [0]
    for c in calls:
        again.append(again[-1] + (not c.as_code and c.name not in (SAVE, RESTORE)))
    opened: list[int] = []
    for i, c in enumerate(calls):
        if c.name == SAVE:
            opened.append(i)
        elif c.name == RESTORE:
            if not opened:  # unbalanced: leave it to the canvas
                c.as_code = False
                continue
            j = opened.pop()
            if again[i] - again[j + 1]:
                calls[j].as_code = c.as_code = False
    for j in opened:
        calls[j].as_code = False


def compile_replay(recorder: Recorder, canvas) -> Replay:
    """The recorded drawing as a `Replay`: runs of code-only calls become the code entries they wrote."""
    calls = [_Call(*c) for c in recorder.calls]
    plain = tuple((c.name, c.args, c.kwargs) for c in calls)
    _saved_states_as_code(calls)
    code = canvas._code[recorder.first:]
    first = recorder.first
    steps: list[Any] = []
    run_from: int | None = None  # code index where the current run of code began
    for c in calls:
        if c.name == SILENT:
            continue
        if c.as_code:
            if c.rewrote and (run_from is None or c.start <= run_from):
                return Replay(plain, None, recorder.fingerprint)  # rewrote code that is not in its run
            run_from = c.start if run_from is None else run_from
            continue
        if c.rewrote:
            return Replay(plain, None, recorder.fingerprint)
        if run_from is not None:
            steps.append(tuple(code[run_from - first:c.start - first]))
            run_from = None
        steps.append(Again(c.name, c.args, c.kwargs))
    if run_from is not None:
        steps.append(tuple(code[run_from - first:]))
    return Replay(plain, tuple(s for s in steps if s != ()), recorder.fingerprint)
