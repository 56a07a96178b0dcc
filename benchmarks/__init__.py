"""Benchmarks and the load test against the national dataset (see docs/performance.md)."""
