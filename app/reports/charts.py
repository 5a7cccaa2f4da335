"""Server-side SVG charts (pygal), served as images with a data table beside each on the page.

pygal embeds a ``<style>`` element and a ``<script>``: the script is removed, and the SVG
is sent from its own URL with a Content-Security-Policy that allows only inline styles
inside that one image, so the page's own policy stays strict.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from app.reports.service import ChartPoint

if TYPE_CHECKING:
    from pygal.style import Style

CHART_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
_SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


@cache
def askwell_style() -> Style:
    """Loaded at the first chart, not at start-up: pygal costs each worker about 11 MiB,
    and most workers never draw a chart."""
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#212b32",
        foreground_strong="#212b32",
        foreground_subtle="#4c6272",
        colors=("#005eb8",),
        font_family="system-ui, -apple-system, 'Segoe UI', arial, sans-serif",
        label_font_size=14,
        major_label_font_size=14,
        value_font_size=14,
        title_font_size=16,
    )


def completion_chart(points: list[ChartPoint]) -> bytes:
    """Share of assigned modules completed by the end of each week."""
    import pygal

    chart = pygal.Line(
        js=[],
        style=askwell_style(),
        show_legend=False,
        width=720,
        height=320,
        explicit_size=False,
        range=(0, 100),
        include_x_axis=True,
        y_title="% completed",
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_every=3,
        truncate_label=-1,
        dots_size=4,
        no_prefix=True,
    )
    chart.x_labels = [f"{point.week_ending.day} {point.week_ending:%b}" for point in points]
    chart.add("Completed", [point.percent for point in points])
    return _SCRIPT.sub(b"", chart.render())
