"""`python -m app.content check modules` works before the package is installed."""

from app.content.cli import content_app

content_app(prog_name="python -m app.content")
