"""Which rules and catalogue make a plan: the shipped ones, or a clinic's own folders.

A clinic points plan-gen at its own copies with `--rules DIR` / `--catalogue DIR`,
or for every command at once with PLAN_GEN_RULES / PLAN_GEN_CATALOGUE; an option
wins over its variable. A `DataSource` holds only the two folder paths (strings),
so it crosses into batch worker processes unchanged and each process loads the
same folders, once. `plan-gen checkin` takes the same folders (the ones its plan
was made with: planner.checkin.made_with), and reads the rules folder's own
`checkin/` rules when it has that folder, else the shipped check-in rules.

Rules that make plans must refer every warning sign: a folder in which some
`red_flags.*` answer has no referral rule is refused (`planner.rules_check.refuse_unreferred`),
with the finding `plan-gen rules check` prints, before any plan or question.
Only `rules check` and `rules test` read such a folder (`reviewing`), to
report what is wrong with it. The shipped rules are stamped as passing
(planner/verified.py), so their start-up does not pay for the check.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from planner import resources
from planner.catalogue import Catalogue, load_catalogue, shipped_catalogue
from planner.errors import PlanGenError
from planner.jsonio import write_atomic
from planner.rules import Rulebook, load_rulebook

RULES_ENV = "PLAN_GEN_RULES"
CHECKIN_RULES = "checkin"  # a rules folder's check-in rules (planner.checkin.load_checkin_rules)
CATALOGUE_ENV = "PLAN_GEN_CATALOGUE"
SHIPPED = "shipped"
SHOWN_CLASHES = 5  # `export` names this many files that exist, then how many more


@dataclass(frozen=True)
class DataSource:
    rules: str | None = None  # a folder; None: the shipped rules
    catalogue: str | None = None  # a folder; None: the shipped catalogue
    reviewing: bool = False  # rules check / rules test: load rules that may not refer every warning sign

    def load_catalogue(self) -> Catalogue:
        return _catalogue(self.catalogue, _stamp(self.catalogue))

    def load_rulebook(self) -> Rulebook:
        """The rules; for making plans (not `reviewing`), refused when a warning sign has no referral rule."""
        load = _rulebook if self.reviewing else _plan_rulebook
        return load(self.rules, self.catalogue, _stamp(self.rules) + _stamp(self.catalogue))

    def pair(self) -> tuple[Rulebook, Catalogue]:
        """The rulebook and catalogue, in the order `make_plan` takes them."""
        return self.load_rulebook(), self.load_catalogue()

    def checkin_folder(self) -> Path | None:
        """The rules folder's own `checkin/` folder, when it has one; None: the shipped check-in rules apply.
        A `checkin/` folder there is always read, even an empty one (which is refused, not passed over)."""
        folder = None if self.rules is None else Path(self.rules) / CHECKIN_RULES
        return folder if folder is not None and folder.is_dir() else None

    def load_checkin_rules(self) -> Rulebook:
        """The check-in rules: the rules folder's `checkin/*.json` when it has them, else the shipped ones."""
        folder = self.checkin_folder()
        return _checkin_rules(None if folder is None else str(folder), _stamp(None if folder is None else str(folder)))


def choose(rules: str | None = None, catalogue: str | None = None, reviewing: bool = False,
           rules_given_as: str = "--rules") -> DataSource:
    """The folders to use: an option, else its environment variable, else the shipped data.

    A named folder that does not exist is a user error here, before any work, naming where it came from
    (`rules_given_as` "": the folder was an argument, as in `plan-gen rules check DIR`).
    """
    picked = []
    for option, value, env in (("--rules", rules, RULES_ENV), ("--catalogue", catalogue, CATALOGUE_ENV)):
        origin = rules_given_as if option == "--rules" else option
        if not value and os.environ.get(env):
            value, origin = os.environ[env], env
        if value and not Path(value).is_dir():
            raise PlanGenError(f"{origin} {value}".lstrip() + ": no such folder; name a folder made by "
                               f"plan-gen {option.lstrip('-')} export")
        picked.append(str(Path(value).resolve()) if value else None)
    return DataSource(*picked, reviewing=reviewing)


def _stamp(folder: str | None) -> tuple:
    """Each file's name, size and change time: a folder edited since it was loaded is loaded again."""
    if folder is None:
        return ()
    found = []
    for parent, _dirs, names in sorted(os.walk(folder)):
        for name in sorted(names):
            info = os.stat(os.path.join(parent, name))
            found.append((parent, name, info.st_size, info.st_mtime_ns))
    return tuple(found)


@lru_cache(maxsize=4)
def _catalogue(folder: str | None, _stamp: tuple) -> Catalogue:
    return shipped_catalogue() if folder is None else load_catalogue(Path(folder))


@lru_cache(maxsize=4)
def _rulebook(folder: str | None, catalogue: str | None, _stamp: tuple) -> Rulebook:
    if folder is None and catalogue is None:
        from planner.build import shipped_rulebook  # build imports the loaders; import it when called

        return shipped_rulebook()
    root = None if folder is None else Path(folder)
    return load_rulebook(DataSource(catalogue=catalogue).load_catalogue(), root)


@lru_cache(maxsize=4)
def _checkin_rules(folder: str | None, _stamp: tuple) -> Rulebook:
    from planner.checkin import load_checkin_rules, shipped_checkin_rules  # only check-ins read these

    return shipped_checkin_rules() if folder is None else load_checkin_rules(Path(folder))


@lru_cache(maxsize=4)
def _plan_rulebook(folder: str | None, catalogue: str | None, stamp: tuple) -> Rulebook:
    rulebook = _rulebook(folder, catalogue, stamp)
    if not rulebook.stamped:  # the shipped rules, unedited, passed this check when stamped
        from planner.rules_check import refuse_unreferred  # only for a clinic's folder: the shipped start-up skips it

        refuse_unreferred(rulebook, folder or "rules")
    return rulebook


def export(kind: str, target: Path) -> list[Path]:
    """Copy the shipped `rules` or `catalogue` files into `target`, as a clinic's starting point.

    Never over an existing file: every clash is named and nothing is written.
    """
    root = resources.data_root(resources.RULES if kind == "rules" else resources.CATALOGUE)
    files = list(_json_files(root, Path()))
    clashes = [str(target / rel) for rel, _ in files if (target / rel).exists()]
    if clashes:
        shown = "".join(f"\n  {name}" for name in clashes[:SHOWN_CLASHES])
        more = f"\n  and {len(clashes) - SHOWN_CLASHES} more" if len(clashes) > SHOWN_CLASHES else ""
        raise PlanGenError(f"{kind} export: files that exist already in {target} ({len(clashes)} of the "
                           f"{len(files)} to write) are never replaced, so nothing was written:{shown}{more}\n"
                           "Choose a new folder.")
    for rel, item in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target / rel, item.read_bytes())
    return [target / rel for rel, _ in files]


def _json_files(folder: Traversable, rel: Path):
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.is_dir() and not item.name.startswith("__"):
            yield from _json_files(item, rel / item.name)
        elif item.name.endswith(".json"):
            yield rel / item.name, item
