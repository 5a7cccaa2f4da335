"""How long Askwell takes to parse its content at start-up.

Run: .venv/bin/python -m bench.content_loading
It loads the real modules/ folder and a folder of 40 copies of a module, ten times
each, and prints the median. Nothing here is asserted: it is a measurement.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from app.content import load_content
from app.core.config import PROJECT_ROOT

RUNS = 10


def median_seconds(folder: Path) -> tuple[float, int]:
    timings = []
    count = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        count = len(load_content(folder).modules)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), count


def forty_modules(target: Path) -> Path:
    source = PROJECT_ROOT / "modules"
    shutil.copy(source / "sources.yml", target / "sources.yml")
    sample = (source / "how-to-ask.md").read_text(encoding="utf-8")
    for number in range(40):
        slug = f"bench-module-{number}"
        (target / f"{slug}.md").write_text(
            sample.replace("slug: how-to-ask", f"slug: {slug}"), encoding="utf-8"
        )
    return target


def main() -> None:
    real, count = median_seconds(PROJECT_ROOT / "modules")
    print(f"modules/ ({count} modules and cards): median {real * 1000:.0f} ms over {RUNS} loads")
    with tempfile.TemporaryDirectory() as folder:
        synthetic, count = median_seconds(forty_modules(Path(folder)))
    print(f"40 full-length modules: median {synthetic * 1000:.0f} ms over {RUNS} loads")


if __name__ == "__main__":
    main()
