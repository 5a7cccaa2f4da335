"""The home page: the dashboard that puts each room's part together for one person."""
