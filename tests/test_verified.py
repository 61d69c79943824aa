"""The stamp of checked shipped data (planner/verified.py): it is current, it lets only the exact stamped
bytes skip the schema check, and a stale stamp or an edited file is checked in full."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from planner import catalogue as catalogue_module
from planner import resources, verified
from planner import rules as rules_module
from planner.catalogue import load_catalogue, shipped_catalogue
from planner.errors import DataError
from planner.rules import load_rulebook


def test_the_shipped_stamp_is_current():
    """fresh_stamp checks every shipped file against its schema in full; the committed stamp must equal it.
    After editing a rule, catalogue file or schema: `make stamp`."""
    shipped = json.loads((REPO / "planner" / "data" / verified.STAMP).read_text(encoding="utf-8"))
    assert shipped == verified.fresh_stamp()


def test_the_stamp_names_every_shipped_rule_and_catalogue_file():
    stamp = verified.fresh_stamp()
    on_disk = {f"rules/{p.name}" for p in (REPO / "rules").glob("*.json")}
    on_disk |= {str(p.relative_to(REPO)) for p in (REPO / "catalogue").rglob("*.json")}
    assert set(stamp["files"]) == on_disk
    assert set(stamp["schemas"]) == {f["schema"] for f in stamp["files"].values()}


@pytest.fixture
def schema_checks(monkeypatch):
    """Every file the loaders send to the schema check, by name."""
    seen: list[str] = []

    def counting(original):
        def check(instance, schema, source):
            seen.append(source)
            return original(instance, schema, source)
        return check

    for module in (catalogue_module, rules_module):
        monkeypatch.setattr(module, "schema_problems", counting(module.schema_problems))
    return seen


def test_stamped_shipped_data_skips_the_schema_check(schema_checks):
    load_rulebook(load_catalogue())
    assert schema_checks == []


def test_without_a_stamp_every_shipped_file_is_checked(schema_checks, monkeypatch):
    monkeypatch.setattr(verified, "_stamp", lambda: {})
    load_rulebook(load_catalogue())
    assert len(schema_checks) == len(verified.fresh_stamp()["files"])


def test_a_clinics_folder_is_checked_in_full_even_with_the_shipped_bytes(schema_checks, tmp_path):
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    shutil.copytree(REPO / "rules", tmp_path / "rules")
    load_rulebook(load_catalogue(tmp_path / "catalogue"), tmp_path / "rules")
    assert len(schema_checks) == len(verified.fresh_stamp()["files"])


@pytest.fixture
def edited_shipped(monkeypatch, tmp_path):
    """A copy of the shipped rules and catalogue that the loaders take for the shipped data (root None),
    as a clinician's edit in a checkout would be."""
    for kind in ("rules", "catalogue"):
        shutil.copytree(REPO / kind, tmp_path / kind)
    original = resources.data_root
    roots = {resources.RULES: tmp_path / "rules", resources.CATALOGUE: tmp_path / "catalogue"}
    monkeypatch.setattr(resources, "data_root", lambda package: roots.get(package) or original(package))
    return tmp_path


def _edit(path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_an_edited_shipped_exercise_is_checked_against_its_schema(edited_shipped):
    _edit(edited_shipped / "catalogue" / "exercises" / "plank.json", lambda d: d.update(colour="red"))
    with pytest.raises(DataError) as caught:
        load_catalogue()
    assert [(p.source, p.location) for p in caught.value.problems] == [("catalogue/exercises/plank.json", "colour")]


def test_an_edited_shipped_rule_file_is_checked_against_its_schema(edited_shipped):
    _edit(edited_shipped / "rules" / "10_triage.json", lambda d: d["rules"][0].update(because=""))
    with pytest.raises(DataError) as caught:
        load_rulebook(shipped_catalogue())
    (problem,) = caught.value.problems
    assert problem.source == "rules/10_triage.json" and problem.location.endswith("because")


def test_an_edited_shipped_settings_file_is_checked_against_its_schema(edited_shipped):
    _edit(edited_shipped / "rules" / "settings.json", lambda d: d["timing"].update(setup_seconds=-1))
    with pytest.raises(DataError) as caught:
        load_rulebook(shipped_catalogue())
    assert ("rules/settings.json", "timing.setup_seconds") in {(p.source, p.location) for p in caught.value.problems}


def test_a_changed_schema_checks_the_unchanged_shipped_files_again(monkeypatch):
    """The stamp holds the schema's digest too: a stricter schema is applied to the same bytes."""
    original = resources.schema

    def stricter(name):
        schema = original(name)
        if name == "catalogue":
            schema["$defs"]["exercise"]["properties"]["name"]["maxLength"] = 3
        return schema

    monkeypatch.setattr(resources, "schema", stricter)
    with pytest.raises(DataError) as caught:
        load_catalogue()
    assert {p.location for p in caught.value.problems} == {"name"}


def test_the_stamp_is_only_written_for_data_that_passes(edited_shipped):
    _edit(edited_shipped / "catalogue" / "cautions.json", lambda d: d.update(extra=1))
    with pytest.raises(DataError):
        verified.fresh_stamp()


def test_make_stamp_check_says_current():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "update_stamp.py"), "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "current" in result.stdout
