"""Start-up of installed copies, as a user runs them: paired CPU medians of plan-gen commands from virtualenvs.

Usage: python benchmarks/installed_startup.py RUNS VENV [VENV ...]
Each VENV holds a copy installed with `pip install PATH` (not editable: an editable install adds an import hook
that runs at every start, 0.016 s here). Each command runs in each virtualenv in turn, RUNS times after one
uncounted run, and the CPU time of the child (user + system) is reported as the median and 95th percentile.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "office_worker.json")
COMMANDS = {"python -c pass": ["python", "-c", "pass"], "--help": ["plan-gen", "--help"],
            "validate": ["plan-gen", "validate", EXAMPLE],
            "batch 1 PDF": ["plan-gen", "batch", EXAMPLE, "-q", "-o", "OUT"],
            "batch 1 PDF -j 4": ["plan-gen", "batch", EXAMPLE, "-q", "-j", "4", "-o", "OUT"]}
# The environment a user's shell has: no bytecode switches, no reportlab settings from this shell.
ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPATH", "RL_shapeChecking")}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(runs: int, venvs: list[str]) -> None:
    for label, args in COMMANDS.items():
        times: dict[str, list[float]] = {v: [] for v in venvs}
        for run in range(runs + 1):
            for venv in venvs:
                with tempfile.TemporaryDirectory() as folder:
                    command = [f"{venv}/bin/{args[0]}", *[a.replace("OUT", f"{folder}/out") for a in args[1:]]]
                    before = children_cpu()
                    subprocess.run(command, check=True, capture_output=True, cwd=folder, env=ENV)
                    if run:
                        times[venv].append(children_cpu() - before)
        cells = []
        for venv, t in times.items():
            p95 = sorted(t)[max(0, -(-len(t) * 95 // 100) - 1)]
            cells.append(f"{Path(venv).name} {statistics.median(t):.3f} s (p95 {p95:.3f})")
        print(f"{label:18} " + "   ".join(cells), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2:])
