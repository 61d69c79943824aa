"""Data package: the rule files under rules/ ship inside plan-gen as `planner.data.rules`."""
