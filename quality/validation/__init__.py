"""Validation of the raw layer with Great Expectations: suites as code, results in `quality`."""
