"""Pages anyone can read before signing in: privacy information and the accessibility statement."""
