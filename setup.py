"""Only here to build from a clean slate; everything else is in pyproject.toml.

setuptools copies package files into build/lib and never removes what is no longer in the tree, so a
rule or catalogue file deleted or renamed since the last `pip install .` would still be installed and
still fire. Clearing the package's build folder first makes the installed rules exactly the tree's.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class CleanBuildPy(build_py):
    def run(self):
        shutil.rmtree(Path(self.build_lib) / "planner", ignore_errors=True)
        super().run()


if __name__ == "__main__":  # setuptools runs this file as __main__; a test imports CleanBuildPy
    setup(cmdclass={"build_py": CleanBuildPy})
