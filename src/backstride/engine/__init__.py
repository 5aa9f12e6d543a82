"""The pure engine: evidence, inference, triage, interview. No I/O lives here."""
