"""Benchmarks: `python -m bench <scenario>` (see README). They print figures; they are not tests."""
