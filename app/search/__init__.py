"""Search across modules, app cards and published scenarios by words."""
