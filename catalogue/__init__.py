"""Data package: the exercise catalogue under catalogue/ ships inside plan-gen as `planner.data.catalogue`."""
