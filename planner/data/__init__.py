"""Data packages: pyproject maps the top-level rules/ and catalogue/ folders here.

Installed, they are planner.data.rules and planner.data.catalogue.
"""
