"""Fonts shipped with plan-gen: DejaVu Sans (Latin, Greek, Cyrillic), under its own licence (LICENSE-DejaVu.txt)."""
