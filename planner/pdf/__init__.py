"""The printed plan: reportlab renderers for the plan PDF and the referral PDF.

reportlab checks every attribute set on a drawing's shapes against a table of types: a help while a
drawing is written, which its settings (`shapeChecking`) let a program turn off. Building a figure took
three times as long with it (1 ms against 0.3 ms, 36 figures drawn three times, one process). It is off
for plan-gen's drawings: reportlab reads `RL_shapeChecking` from the environment when it loads its
settings, which no module here has done yet (importing them here would load reportlab, and PIL, into a
JSON-only run); where something loaded them already (a clinic's logo check), the setting itself is
changed. `RL_shapeChecking=1` turns the checks on again; tests/test_speed_guards.py draws every figure
and a check-in chart that way, to the same bytes.
"""

import os
import sys

if "RL_shapeChecking" not in os.environ:
    os.environ["RL_shapeChecking"] = "0"  # noqa: SIM112 - reportlab's own name for it
    if (_settings := sys.modules.get("reportlab.rl_config")) is not None:
        _settings.shapeChecking = 0  # the shapes then skip their checks as each attribute is set
