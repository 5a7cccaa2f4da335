"""What the SCORM room hands out: a package, and what the export page says about one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.content import Module


@dataclass(frozen=True)
class PackagePage:
    """One page of the package's module, in the order a learner goes through them."""

    id: str
    title: str
    kind: str
    """``section``, ``key-points`` or ``quiz``."""


@dataclass(frozen=True)
class ExportChoice:
    """What the export page shows before anyone downloads: the version a package would hold."""

    module: Module
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
    files: tuple[str, ...]
    """Every file in the zip, as the manifest lists them."""
