"""plan-gen benchmark: per-plan time of validation, rules, JSON and PDF; the PDF floor; batch; memory.

    python benchmarks/bench.py                 # 1,000 people, table on stdout
    python benchmarks/bench.py -n 200 --json bench.json
    python benchmarks/bench.py -n 1000 --baseline /tmp/old   # paired start-up and batch runs against another checkout

Needs the test extras (`pip install '.[test]'`: pypdf reads the PDFs for the floor). Every time is CPU
time of this process (`time.process_time`), not wall time, so other work on a shared machine counts
less; the batch runs report both the child processes' CPU time and wall time.

It times the start-up of the commonest commands (CPU, median of ten, after one uncounted run; bytecode
cached as after an install, see `planner_env`), generates N random valid
version 2 answers (seeded, so runs compare), then:
1. in one process, times each stage for every person and reports medians and 95th percentiles, and
   samples the resident memory every tenth of the run (caches are bounded, so it stays flat);
2. for every example, times `render_pdf` against the floor: the same pages' text and drawings on a bare
   reportlab canvas (`floor.py`), in the same run, and reports the ratio (median of ten each);
3. runs `plan-gen batch` on the N people as JSON Lines: PDF with --jobs 1 and with every CPU, and JSON
   with --jobs 1 (`--json-runs` times, each beside a fixed pure-Python calibration loop, since a shared
   virtual machine's speed varies by a third from run to run), and reports records a second.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from floor import draw_floor, page_ops

from planner.answers import answers_schema, check_answers, load_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.engine import engine_for
from planner.pdf.render import render_pdf
from planner.render_json import plan_json
from planner.vocabulary import EQUIPMENT, WORSE_WITH

TODAY = dt.date(2026, 11, 26)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RED_FLAGS = tuple(answers_schema()["properties"]["red_flags"]["required"])  # version 2: from the schema
now = time.process_time
COMPILE_EVERY_RUN = False  # --compile-every-run: children run with the environment's bytecode setting


def random_answers(rng: random.Random, index: int) -> dict:
    """One random, valid answers object; about 1 in 20 has a warning sign, as in a clinic."""
    flags = {f: False for f in RED_FLAGS}
    if rng.random() < 0.05:
        flags[rng.choice(RED_FLAGS)] = True
    return {
        "schema_version": 2,
        "id": f"p{index:06d}",
        "name": rng.choice(["Ana Souza", "Łukasz Nowak", "Ελένη Π.", "Иван Петров", "Sam O'Neil", "Zoë"]),
        "age": rng.randint(18, 90),
        "pain": {"level": rng.randint(0, 10), "duration_weeks": rng.randint(0, 100), "below_knee": rng.random() < 0.2,
                 "worse_with": rng.sample(WORSE_WITH, rng.randint(0, 3))},
        "red_flags": flags,
        "posture": {"sitting_hours": rng.randint(0, 12), "slouching": rng.choice(["rarely", "sometimes", "often"]),
                    "lifting": rng.choice(["rarely", "sometimes", "often"])},
        "equipment": rng.sample(EQUIPMENT, rng.randint(0, len(EQUIPMENT))),
        "floor_ok": rng.random() < 0.85,
        "activity_level": rng.choice(["low", "moderate", "high"]),
        "cleared_by_professional": rng.random() < 0.5,
        "course": {"first_episode": rng.random() < 0.3, "improving": rng.random() < 0.5,
                   "examined": rng.random() < 0.5},
        "plan": {"weeks": rng.choice([4, 6, 8]), "days_per_week": rng.randint(3, 6),
                 "minutes_per_session": rng.choice([15, 20, 30]), "start_date": "2027-01-04"},
    }


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.machine()


def ms(values: list[float]) -> dict:
    values = sorted(values)
    return {"median_ms": round(statistics.median(values) * 1000, 3),
            "p95_ms": round(values[max(0, -(-len(values) * 95 // 100) - 1)] * 1000, 3)}


def stage_times(people: list[dict]) -> tuple[dict, list[float]]:
    catalogue, rulebook = shipped_catalogue(), shipped_rulebook()
    engine = engine_for(rulebook)
    make_plan(check_answers(people[0], "warm-up"), TODAY)  # warm caches before timing
    times: dict[str, list[float]] = {"validate": [], "rules": [], "plan": [], "json": [], "pdf": [], "total": []}
    memory = []
    by_weeks: dict[int, list[float]] = {}
    for i, raw in enumerate(people):
        t0 = now()
        answers = check_answers(raw, "bench")
        t1 = now()
        engine.fired_rules(answers)
        t2 = now()
        plan = make_plan(answers, TODAY)  # rules again, plus decisions and the weekly layout
        t3 = now()
        plan_json(plan)
        t4 = now()
        render_pdf(plan, catalogue)
        t5 = now()
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0), strict=True):
            times[key].append(value)
        if plan.status == "plan":
            by_weeks.setdefault(plan.weeks_count, []).append(t5 - t0)
        if i % max(1, len(people) // 10) == 0:
            memory.append(round(rss_mib(), 1))
    stages = {k: ms(v) for k, v in times.items()}
    stages.update({f"total, {w}-week plans": ms(v) for w, v in sorted(by_weeks.items())})
    return stages, memory


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


PYCACHE = Path(tempfile.gettempdir()) / "plan-gen-bench-pycache"


def planner_env(checkout: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a `python -m planner` child: this checkout's planner, or `checkout`'s first.

    Bytecode is cached (in PYCACHE, not the checkout), as after `pip install`: with PYTHONDONTWRITEBYTECODE
    set, as some shells and CI runners set it, every run compiled plan-gen's ninety modules again, 0.08 s
    of CPU that no installed copy spends. `--compile-every-run` keeps the environment as it is."""
    env = {**os.environ, **extra}
    if not COMPILE_EVERY_RUN:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    if checkout is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(checkout), *filter(None, [env.get("PYTHONPATH")])])
    return env


# Every batch run's outputs stay until the benchmark ends. Deleting a run's 1,000 files before the next run
# made that run slower each time: for a while after a file is deleted, ext4 skips its inode when it makes a
# new file (`recently_deleted`), and with thousands to skip, creating one file took 0.4 to 1 ms of CPU here
# instead of 0.02; seven JSON runs in a row fell from 279 to 184 records a second with the code unchanged.
SCRATCH = Path(tempfile.mkdtemp(prefix="plan-gen-bench-"))
atexit.register(shutil.rmtree, SCRATCH, True)


def batch_rate(people: list[dict], jobs: int, fmt: str = "pdf", checkout: Path | None = None) -> dict:
    """Records a second of `plan-gen batch` (start-up included): by wall time, and by the CPU time of it
    and its workers (the forkserver reaps the workers, and is reaped by batch). Outputs go to a new folder
    under SCRATCH, kept until the benchmark ends (see SCRATCH)."""
    folder = tempfile.mkdtemp(dir=SCRATCH)
    source = Path(folder) / "people.jsonl"
    source.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in people) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "planner", "batch", str(source), "-o", str(Path(folder) / "out"),
               "--jobs", str(jobs), "--format", fmt, "--quiet"]
    wall, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, check=True, capture_output=True, cwd=folder,
                   env=planner_env(checkout, SOURCE_DATE_EPOCH="1795651200"))
    wall, cpu = time.perf_counter() - wall, children_cpu() - cpu
    if jobs > 1:  # the workers' CPU time does not reach this process's children's count
        return {"per_second_wall": round(len(people) / wall, 1)}
    return {"per_second_wall": round(len(people) / wall, 1), "cpu_seconds": round(cpu, 2),
            "per_cpu_second": round(len(people) / cpu, 1)}


def calibration_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop, timed beside each batch run. On a shared virtual machine
    the same loop has taken from 0.34 to 0.49 s run to run, so a batch rate means little without it."""
    start, total = now(), 0
    for i in range(1_000_000):
        total += i * i % 7
    return round(now() - start, 3)


def json_rates(people: list[dict], runs: int) -> dict:
    """`runs` JSON batches with --jobs 1, each after the calibration loop: every run, and their medians."""
    rows = []
    for _ in range(runs):
        loop = calibration_seconds()
        rows.append({**batch_rate(people, 1, "json"), "calibration_s": loop})
    return {"runs": rows, "median_per_cpu_second": statistics.median(r["per_cpu_second"] for r in rows),
            "median_per_second_wall": statistics.median(r["per_second_wall"] for r in rows),
            "median_calibration_s": statistics.median(r["calibration_s"] for r in rows)}


def startup_times(runs: int = 10, checkouts: tuple[Path | None, ...] = (None,)) -> dict:
    """CPU seconds (median and 95th percentile of `runs`) of the commands a person starts most, as the shell
    runs them. With several checkouts, each run of a command goes to every checkout in turn (paired runs:
    load on a shared machine touches them alike); the result is then keyed by checkout."""
    example = str(EXAMPLES / "office_worker.json")
    commands = {"python -c pass": ["-c", "pass"], "--help": ["--help"], "validate one file": ["validate", example],
                "batch one file (PDF)": ["batch", example, "-q"], "batch one file, -j 4": ["batch", example, "-q",
                                                                                         "-j", "4"]}
    times: dict[Path | None, dict[str, list[float]]] = {c: {label: [] for label in commands} for c in checkouts}
    for label, args in commands.items():
        for run in range(runs + 1):  # run 0 is not counted: it fills the bytecode cache
            for checkout in checkouts:
                with tempfile.TemporaryDirectory() as folder:
                    command = [sys.executable, *(args if args[0] == "-c" else ["-m", "planner", *args])]
                    if args[0] == "batch":
                        command += ["-o", folder]
                    before = children_cpu()
                    subprocess.run(command, check=True, capture_output=True, cwd=folder, env=planner_env(checkout))
                    if run:
                        times[checkout][label].append(children_cpu() - before)
    out = {str(c or "this checkout"): {label: {"median_s": round(statistics.median(t), 3),
                                               "p95_s": round(sorted(t)[max(0, -(-len(t) * 95 // 100) - 1)], 3)}
                                       for label, t in by_label.items()} for c, by_label in times.items()}
    return out if len(checkouts) > 1 else out["this checkout"]


def floor_ratios(runs: int = 10) -> dict:
    """render_pdf against the bare-canvas floor for every example that makes a plan (median of `runs`)."""
    catalogue, out = shipped_catalogue(), {}
    for path in sorted(EXAMPLES.glob("*.json")):
        plan = make_plan(load_answers(path), TODAY)
        data, _ = render_pdf(plan, catalogue)
        pages = page_ops(data)  # read once, not timed
        draw_floor(pages)
        rendered, floor = [], []
        for _ in range(runs):  # paired: the machine's load touches both alike
            t0 = now()
            render_pdf(plan, catalogue)
            t1 = now()
            draw_floor(pages)
            floor.append(now() - t1)
            rendered.append(t1 - t0)
        out[path.stem] = {"pages": len(pages), "render_pdf": ms(rendered), "floor": ms(floor),
                          "ratio": round(statistics.median(rendered) / statistics.median(floor), 2)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000, help="how many people (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-people", type=int, help="how many of them the batch runs make (default all)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--json-runs", type=int, default=5, help="how many JSON batch runs (default 5; the median "
                        "is reported: this machine's speed varies by a third from run to run)")
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. `git archive` of an older commit) to "
                        "compare start-up and batch rates with, in paired runs; prints only that comparison")
    parser.add_argument("--compile-every-run", action="store_true", help="run the children with the "
                        "environment as it is (PYTHONDONTWRITEBYTECODE, if set, makes each compile plan-gen again)")
    args = parser.parse_args()
    global COMPILE_EVERY_RUN
    COMPILE_EVERY_RUN = args.compile_every_run
    rng = random.Random(args.seed)
    people = [random_answers(rng, i) for i in range(args.n)]
    if args.baseline:
        compare(args.baseline.resolve(), people[: args.batch_people or len(people)], args.json)
        return
    startup = startup_times()
    stages, memory = stage_times(people)
    floors = floor_ratios()
    cpus = os.cpu_count() or 1
    batch_people = people[: args.batch_people or len(people)]
    one = batch_rate(batch_people, 1)
    many = batch_rate(batch_people, cpus)
    as_json = json_rates(batch_people, args.json_runs)
    result = {
        "machine": {"python": platform.python_version(), "cpus": cpus, "processor": cpu_model(),
                    "system": platform.platform()},
        "startup_cpu_seconds": startup,
        "people": args.n,
        "batch_people": len(batch_people),
        "per_plan": stages,
        "floor": floors,
        "batch_pdf": {"jobs_1": one, f"jobs_{cpus}": many,
                      "speed_up_wall": round(many["per_second_wall"] / one["per_second_wall"], 2)},
        "batch_json_jobs_1": as_json,
        "rss_mib_samples": memory,
    }
    print(f"plan-gen benchmark: {args.n} people, Python {platform.python_version()}, {cpus} CPUs ({cpu_model()})")
    print("start-up, CPU seconds (median of 10): " + ", ".join(f"{k} {v['median_s']:.3f}" for k, v in startup.items()))
    print(f"{'stage (CPU time)':<24}{'median ms':>12}{'p95 ms':>10}")
    for stage, figures in stages.items():
        print(f"{stage:<24}{figures['median_ms']:>12.3f}{figures['p95_ms']:>10.3f}")
    print(f"{'example':<28}{'pages':>6}{'render_pdf ms':>15}{'p95':>8}{'floor ms':>10}{'p95':>8}{'ratio':>7}")
    for name, f in floors.items():
        print(f"{name:<28}{f['pages']:>6}{f['render_pdf']['median_ms']:>15.1f}{f['render_pdf']['p95_ms']:>8.1f}"
              f"{f['floor']['median_ms']:>10.1f}{f['floor']['p95_ms']:>8.1f}{f['ratio']:>7.2f}")
    print(f"batch of {len(batch_people)} people (PDF), records a second by wall time: "
          f"{one['per_second_wall']} with --jobs 1, "
          f"{many['per_second_wall']} with --jobs {cpus} ({result['batch_pdf']['speed_up_wall']}x); "
          f"CPU seconds with --jobs 1: {one['cpu_seconds']} (the workers' CPU time is not counted)")
    print(f"batch (JSON, --jobs 1), median of {args.json_runs} runs: {as_json['median_per_second_wall']} records a "
          f"second by wall time, {as_json['median_per_cpu_second']} per CPU second (each run: "
          + ", ".join(f"{r['per_cpu_second']}" for r in as_json["runs"])
          + f"; the calibration loop took {as_json['median_calibration_s']} s, median)")
    print(f"memory while planning (MiB, every tenth of the run): {memory}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


def compare(baseline: Path, people: list[dict], out: Path | None) -> None:
    """Start-up (paired, ten runs each) and batch rates (baseline, this, baseline, this) of two checkouts."""
    checkouts = (baseline, None)
    startup = startup_times(10, checkouts)
    rates: dict[str, dict[str, list]] = {str(c or "this checkout"): {} for c in checkouts}
    for _ in range(2):
        for checkout in checkouts:
            for label, jobs, fmt in (("json, --jobs 1", 1, "json"), ("pdf, --jobs 1", 1, "pdf")):
                rates[str(checkout or "this checkout")].setdefault(label, []).append(
                    batch_rate(people, jobs, fmt, checkout))
    print(f"paired runs, {len(people)} people, {os.cpu_count()} CPUs ({cpu_model()}), load {os.getloadavg()[0]:.2f}")
    for name in startup:
        print(f"{name}:")
        for label, t in startup[name].items():
            print(f"  {label:<24} CPU median {t['median_s']:.3f} s, p95 {t['p95_s']:.3f} s")
        for label, runs in rates[name].items():
            print(f"  batch {label:<18} " + "; ".join(
                f"{r['per_second_wall']}/s wall, {r.get('per_cpu_second', '-')}/CPU s" for r in runs))
    if out:
        out.write_text(json.dumps({"startup_cpu_seconds": startup, "batch": rates}, indent=2) + "\n")


if __name__ == "__main__":
    main()
