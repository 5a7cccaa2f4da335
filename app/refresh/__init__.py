"""Keeping current: what changed, due for refresh, and the spaced "Refresh in 5 minutes"."""
