"""Data package: the JSON Schemas plan-gen validates its inputs against."""
