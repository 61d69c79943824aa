"""Allows `python -m planner`, the same as the `plan-gen` command."""

from planner.cli import main

main()
