"""Collab's test suite."""
