"""Benchmarks: `make bench` runs them and prints each figure beside the baseline measured in the same run."""
