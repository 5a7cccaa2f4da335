"""What the SCORM room hands out: a package, and what the export page says about one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.content import Module
from app.scenarios.service import PublishedScenario


@dataclass(frozen=True)
class PackagePage:
    """One page of the package's module, in the order a learner goes through them."""

    id: str
    title: str
    kind: str
    """``section``, ``scenarios``, ``key-points`` or ``quiz``."""


@dataclass(frozen=True)
class ExportChoice:
    """What the export page shows before anyone downloads: the version a package would hold,
    and how many scenarios from young people it would carry as they are published now."""

    module: Module
    scenarios: tuple[PublishedScenario, ...]
    filename: str
    identifier: str


@dataclass(frozen=True)
class ScormPackage:
    """A SCORM 1.2 package (a zip), ready to upload to a learning management system."""

    module: Module
    filename: str
    identifier: str
    made_on: date
    data: bytes
    scenario_count: int
    """Scenarios from young people frozen into it, as published when it was made."""
    files: tuple[str, ...]
    """Every file in the zip, as the manifest lists them."""
