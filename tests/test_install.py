"""A plain (non-editable) install finds its schemas, rules and catalogue from any folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Built from a clean copy: pip builds in the source tree, and a stale build/ there hid missing package data."""
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "plan-gen"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", ".hypothesis", "__pycache__", ".pytest_cache", "out"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("plan_gen-*.whl")
    return built


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "planner/schemas/answers.schema.json" in names
    assert "planner/schemas/catalogue.schema.json" in names
    assert "planner/data/catalogue/catalogue.json" in names
    assert "planner/data/catalogue/exercises/plank.json" in names
    exercises = {n for n in names if n.startswith("planner/data/catalogue/exercises/")}
    assert len(exercises) == len(list((REPO / "catalogue" / "exercises").glob("*.json")))
    cases = {n for n in names if n.startswith("planner/data/rules/cases/") and "/answers/" not in n}
    assert len(cases) == len(list((REPO / "rules" / "cases").glob("*.json")))
    assert "planner/data/rules/cases/answers/minimal.json" in names
    assert "planner/data/verified.json" in names  # the stamp of checked shipped data (planner/verified.py)


def test_installed_package_runs_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import planner; "
        "assert planner.__file__.startswith(sys.argv[1]), planner.__file__; "
        "from planner.catalogue import load_catalogue; from planner.answers import answers_schema; "
        "print(len(load_catalogue().exercises), answers_schema()['title'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", code, str(target)], cwd=elsewhere, capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr
    count = len(list((REPO / "catalogue" / "exercises").glob("*.json")))
    assert result.stdout.strip() == f"{count} plan-gen answers"
    # The shipped rules' safety cases came with the install and hold there (plan-gen rules test, no CASES).
    test = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                           "sys.argv[1:] = ['rules', 'test']; from planner.cli import main; main()", str(target)],
                          cwd=elsewhere, capture_output=True, text=True, env=env)
    cases = len(list((REPO / "rules" / "cases").glob("*.json")))
    assert test.returncode == 0, test.stdout + test.stderr
    assert str(target) in test.stdout and f"{cases} cases: {cases} held, 0 failed." in test.stdout
    # The stamp came too and is used: the shipped data loads without its schema check (which here would fail).
    skip = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                           "import planner.catalogue as c, planner.rules as r; "
                           "c.schema_problems = r.schema_problems = None; "
                           "print(len(r.load_rulebook(c.load_catalogue()).rules) > 0)", str(target)],
                          cwd=elsewhere, capture_output=True, text=True, env=env)
    assert skip.returncode == 0 and skip.stdout.strip() == "True", skip.stderr
