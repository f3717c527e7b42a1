"""Crosscheck: a terminal news reader for many reports of the same events."""

__version__ = "0.1.0"
