"""run: executors that drive the stages (in-process streaming today; Ray later)."""
