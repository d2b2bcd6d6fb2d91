"""Exports for the meeting report: raw answers (admins), codebook and aggregates (analysts)."""
