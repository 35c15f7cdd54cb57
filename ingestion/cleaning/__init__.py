"""Canonical cleaning: every function keeps the delivered value's meaning and never guesses.

Each cleaner returns the cleaned value and an issue code (None when clean). Issue codes are
stable identifiers that stewards see in quarantine reports and that linkage reads.
"""
