"""Record linkage: person records, blocking, scoring, clusters with stable elder ids,
golden records, eligibility, the steward review queue and report. Entry point: run.link."""
