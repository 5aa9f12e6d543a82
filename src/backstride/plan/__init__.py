"""The plan: a phased rehab and return-to-run programme built from an assessment."""
