"""The package's ``imsmanifest.xml``: one organisation, one item, one SCO.

Built with ElementTree, which escapes every title and summary; the tests validate what it
writes against the ADL SCORM 1.2 schemas kept in ``app/scorm/xsd/``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from app.content import Module

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"

SCHEMA_FILES = (
    "imscp_rootv1p1p2.xsd",
    "imsmd_rootv1p2p1.xsd",
    "adlcp_rootv1p2.xsd",
    "ims_xml.xsd",
)
SCHEMA_LOCATION = " ".join(
    (
        f"{IMSCP} imscp_rootv1p1p2.xsd",
        f"{IMSMD} imsmd_rootv1p2p1.xsd",
        f"{ADLCP} adlcp_rootv1p2.xsd",
    )
)
LAUNCH_FILE = "index.html"
TITLE_LIMIT = 200
"""IMS CP 1.1.2's longest title."""
LANGUAGE = "en-GB"

ET.register_namespace("", IMSCP)
ET.register_namespace("adlcp", ADLCP)
ET.register_namespace("imsmd", IMSMD)
ET.register_namespace("xsi", XSI)


def package_identifier(module: Module) -> str:
    """Unique per module and version, and an XML ID (it starts with a letter)."""
    return f"askwell-{module.slug}-v{module.version}"


def package_title(module: Module) -> str:
    """The title an LMS lists the package under: the version is part of it, so two uploads
    of different versions are told apart at a glance."""
    suffix = f" (Askwell, version {module.version})"
    return module.title[: TITLE_LIMIT - len(suffix)] + suffix


def manifest_xml(module: Module, files: Sequence[str]) -> bytes:
    """The manifest for a package holding ``files``; the pass mark is the module's own."""
    identifier = package_identifier(module)
    manifest = ET.Element(
        f"{{{IMSCP}}}manifest",
        {
            "identifier": identifier,
            "version": str(module.version),
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        },
    )
    metadata = ET.SubElement(manifest, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    metadata.append(_lom(module))

    organizations = ET.SubElement(
        manifest, f"{{{IMSCP}}}organizations", {"default": f"{identifier}-organisation"}
    )
    organization = ET.SubElement(
        organizations, f"{{{IMSCP}}}organization", {"identifier": f"{identifier}-organisation"}
    )
    ET.SubElement(organization, f"{{{IMSCP}}}title").text = package_title(module)
    item = ET.SubElement(
        organization,
        f"{{{IMSCP}}}item",
        {
            "identifier": f"{identifier}-item",
            "identifierref": f"{identifier}-sco",
            "isvisible": "true",
        },
    )
    ET.SubElement(item, f"{{{IMSCP}}}title").text = package_title(module)
    if module.quiz is not None:
        ET.SubElement(item, f"{{{ADLCP}}}masteryscore").text = str(module.pass_mark)

    resources = ET.SubElement(manifest, f"{{{IMSCP}}}resources")
    resource = ET.SubElement(
        resources,
        f"{{{IMSCP}}}resource",
        {
            "identifier": f"{identifier}-sco",
            "type": "webcontent",
            f"{{{ADLCP}}}scormtype": "sco",
            "href": LAUNCH_FILE,
        },
    )
    for name in files:
        if name != "imsmanifest.xml":
            ET.SubElement(resource, f"{{{IMSCP}}}file", {"href": name})

    ET.indent(manifest)
    return ET.tostring(manifest, encoding="UTF-8", xml_declaration=True)


def _langstring(parent: ET.Element, tag: str, text: str) -> None:
    element = ET.SubElement(parent, f"{{{IMSMD}}}{tag}")
    ET.SubElement(element, f"{{{IMSMD}}}langstring", {f"{{{XML}}}lang": LANGUAGE}).text = text


def _lom(module: Module) -> ET.Element:
    """IMS meta-data: the module's title, summary and topics, and its version."""
    lom = ET.Element(f"{{{IMSMD}}}lom")
    general = ET.SubElement(lom, f"{{{IMSMD}}}general")
    _langstring(general, "title", module.title)
    ET.SubElement(general, f"{{{IMSMD}}}language").text = LANGUAGE
    _langstring(general, "description", module.summary)
    for topic in module.topics:
        _langstring(general, "keyword", topic)
    lifecycle = ET.SubElement(lom, f"{{{IMSMD}}}lifecycle")
    _langstring(lifecycle, "version", str(module.version))
    return lom
