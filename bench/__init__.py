"""Benchmarks of Askwell at the scale of a whole trust. Not run by the test suite."""
