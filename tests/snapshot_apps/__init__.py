"""Deterministic libraries and app factories shared by the app tests and snapshots."""
