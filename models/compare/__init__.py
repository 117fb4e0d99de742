"""Comparing models: the side-by-side table, the zoo chart (accuracy against compute, with the
lineage's edges as arrows) and a careful benchmark on this machine's hardware."""
