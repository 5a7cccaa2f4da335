"""Signing in and out, and a person's own account: their details, their password, and the
link that resets a forgotten one. The sessions, tokens and passwords themselves are
``app.auth``'s; these are its pages and API."""
