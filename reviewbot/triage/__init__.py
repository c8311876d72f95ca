"""Human verdicts: the triage ledger, its facts and stats, short ids, and imports."""
