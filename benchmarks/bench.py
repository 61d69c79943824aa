"""plan-gen benchmark: per-plan time of validation, rules, JSON and PDF; batch throughput; memory.

    python benchmarks/bench.py                 # 1,000 people, table on stdout
    python benchmarks/bench.py -n 200 --json bench.json

It generates N random valid answers (seeded, so runs compare), then:
1. in one process, times each stage for every person and reports medians and 95th percentiles;
2. runs `plan-gen batch` on them as JSON Lines with --jobs 1 and with every CPU, and reports plans a second;
3. samples this process's resident memory while it plans every person, to show it stays flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planner.answers import check_answers
from planner.build import make_plan, shipped_rulebook
from planner.catalogue import shipped_catalogue
from planner.engine import engine_for
from planner.pdf.render import render_pdf
from planner.render_json import plan_json
from planner.vocabulary import EQUIPMENT, RED_FLAGS, WORSE_WITH

TODAY = dt.date(2026, 11, 26)


def random_answers(rng: random.Random, index: int) -> dict:
    """One random, valid answers object; about 1 in 20 has a warning sign, as in a clinic."""
    flags = {f: False for f in RED_FLAGS}
    if rng.random() < 0.05:
        flags[rng.choice(RED_FLAGS)] = True
    return {
        "schema_version": 1,
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
            "p95_ms": round(values[int(len(values) * 0.95) - 1] * 1000, 3)}


def stage_times(people: list[dict]) -> tuple[dict, list[float]]:
    catalogue, rulebook = shipped_catalogue(), shipped_rulebook()
    engine = engine_for(rulebook)
    make_plan(check_answers(people[0], "warm-up"), TODAY)  # warm caches before timing
    times: dict[str, list[float]] = {"validate": [], "rules": [], "plan": [], "json": [], "pdf": [], "total": []}
    memory = []
    by_weeks: dict[int, list[float]] = {}
    for i, raw in enumerate(people):
        t0 = time.perf_counter()
        answers = check_answers(raw, "bench")
        t1 = time.perf_counter()
        engine.fired_rules(answers)
        t2 = time.perf_counter()
        plan = make_plan(answers, TODAY)  # rules again, plus decisions and the weekly layout
        t3 = time.perf_counter()
        plan_json(plan)
        t4 = time.perf_counter()
        render_pdf(plan, catalogue)
        t5 = time.perf_counter()
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0), strict=True):
            times[key].append(value)
        if plan.status == "plan":
            by_weeks.setdefault(plan.weeks_count, []).append(t5 - t0)
        if i % max(1, len(people) // 10) == 0:
            memory.append(round(rss_mib(), 1))
    stages = {k: ms(v) for k, v in times.items()}
    stages.update({f"total, {w}-week plans": ms(v) for w, v in sorted(by_weeks.items())})
    return stages, memory


def batch_rate(people: list[dict], jobs: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "people.jsonl"
        source.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in people) + "\n", encoding="utf-8")
        command = [sys.executable, "-m", "planner", "batch", str(source), "-o", str(Path(folder) / "out"),
                   "--jobs", str(jobs), "--quiet"]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1795651200"})
        return len(people) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000, help="how many people (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people = [random_answers(rng, i) for i in range(args.n)]
    stages, memory = stage_times(people)
    cpus = os.cpu_count() or 1
    one = batch_rate(people, 1)
    many = batch_rate(people, cpus)
    result = {
        "machine": {"python": platform.python_version(), "cpus": cpus, "processor": cpu_model(),
                    "system": platform.platform()},
        "people": args.n,
        "per_plan": stages,
        "batch_plans_per_second": {"jobs_1": round(one, 1), f"jobs_{cpus}": round(many, 1),
                                   "speed_up": round(many / one, 2)},
        "rss_mib_samples": memory,
    }
    print(f"plan-gen benchmark: {args.n} people, Python {platform.python_version()}, {cpus} CPUs ({cpu_model()})")
    print(f"{'stage':<24}{'median ms':>12}{'p95 ms':>10}")
    for stage, figures in stages.items():
        print(f"{stage:<24}{figures['median_ms']:>12.3f}{figures['p95_ms']:>10.3f}")
    print(f"batch (PDF): {one:.1f} plans/s with --jobs 1, {many:.1f} with --jobs {cpus} ({many / one:.2f}x)")
    print(f"memory while planning (MiB, every tenth of the run): {memory}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
