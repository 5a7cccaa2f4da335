"""Building packages from the fixture modules, and reading them back as an LMS would."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from lxml import etree

from app.core.config import PROJECT_ROOT
from app.scorm.manifest import ADLCP, IMSCP, IMSMD
from app.scorm.service import build_package

# The scenarios room's people and their browsers, to publish a scenario into a module.
from tests.scenarios.conftest import (  # noqa: F401
    codesigner,
    reviewer,
    signed_in,
    trainer,
    young,
)

XSD_DIR = PROJECT_ROOT / "app" / "scorm" / "xsd"
NAMESPACES = {"cp": IMSCP, "adlcp": ADLCP, "imsmd": IMSMD}


def scorm_12_schema() -> etree.XMLSchema:
    """The ADL SCORM 1.2 schemas kept in the repository, all three namespaces at once (a
    manifest mixes them, and IMS CP checks the others strictly)."""
    imports = "".join(
        f'<xsd:import namespace="{namespace}" schemaLocation="{(XSD_DIR / name).as_uri()}"/>'
        for namespace, name in (
            (IMSCP, "imscp_rootv1p1p2.xsd"),
            (IMSMD, "imsmd_rootv1p2p1.xsd"),
            (ADLCP, "adlcp_rootv1p2.xsd"),
        )
    )
    driver = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    parser.resolvers.add(_AsLibxml2CanCompile())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=XSD_DIR.as_uri()))


class _AsLibxml2CanCompile(etree.Resolver):
    """Two schemas as published break rules libxml2 enforces; the files are kept and
    shipped unchanged, and the validator reads them with one narrow change each:

    - ``ims_xml.xsd`` binds the ``xml`` namespace as its default namespace, which the XML
      Namespaces recommendation forbids: read without that declaration (nothing in it
      refers to an unprefixed name, so it declares the same two attributes);
    - ``imsmd_rootv1p2p1.xsd`` lets any element of any namespace follow its own optional
      elements (``grp.any``, ``##any``), which breaks XML Schema's unique particle
      attribution: read with ``##other``, so every meta-data element Askwell writes is
      still checked against its declaration.
    """

    CHANGES = {
        "ims_xml.xsd": (' xmlns="http://www.w3.org/XML/1998/namespace"', ""),
        "imsmd_rootv1p2p1.xsd": ('namespace="##any"', 'namespace="##other"'),
    }

    def resolve(self, url: str, _pubid: str | None, context: object) -> object:
        name = url.rsplit("/", 1)[-1]
        if name not in self.CHANGES:
            return None
        text = (XSD_DIR / name).read_text(encoding="utf-8")
        old, new = self.CHANGES[name]
        assert text.count(old) == 1, f"{name} is not the file this change was written for"
        return self.resolve_string(text.replace(old, new), context)


def read_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def unzip(data: bytes, into: Path | None = None) -> dict[str, bytes]:
    """Every file in a package by name; written out under ``into`` when given."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    if into is not None:
        for name, content in files.items():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(content)
    return files


def packages(app: FastAPI) -> Iterator[tuple[str, dict[str, bytes]]]:
    """The package of every module ``app`` has, unzipped, by slug."""
    for module in app.state.content.all("module"):
        package = build_package(app.state.content, app.state.templates, module.slug)
        yield module.slug, unzip(package.data)
