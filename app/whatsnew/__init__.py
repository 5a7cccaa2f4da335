"""What's new: recent content changes, their Atom feed, and app cards due for review."""
