"""Benchmarks: `make bench` (python -m bench) measures whole `sroi` processes on generated homes;
`python -m bench.stages` times the stages inside one process. Not run by CI."""
