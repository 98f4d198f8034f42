"""Benchmarks: `make bench` (python -m bench). Timings of the stages on generated data."""
