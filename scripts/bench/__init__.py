"""The benchmark, module by module (scripts/benchmark.py runs it): docs/performance.md."""
