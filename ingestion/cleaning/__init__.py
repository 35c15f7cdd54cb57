"""Canonical cleaning in Python: the tested reference for the SQL the loader runs.

Every function keeps the delivered value's meaning and never guesses. Each cleaner returns
the cleaned value and an issue code (None when clean). Issue codes are stable identifiers
that stewards see in quarantine reports and that linkage reads. The loader cleans with
ingestion/sql/cleaning.sql; tests/ingestion/test_sql_cleaning.py holds the two to agreement.
"""
