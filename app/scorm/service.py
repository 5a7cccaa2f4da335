"""SCORM 1.2 packages of a module, for learning management systems Askwell cannot link to
(ESR's Oracle Learning Management among them).

A package is a frozen copy: one SCO holding the module as it is at one version, rendered
to static HTML with Askwell's own styles, and a small script of Askwell's own
(``runtime/askwell-scorm.js``) that talks to the LMS and scores the quiz in the browser.
Nothing in it calls Askwell, so it runs wherever the LMS serves it.

Scenarios from young people are never put in a package. A young person may withdraw their
scenario, or stop it being quoted, at any time, and it leaves the training at once; a copy
uploaded to another organisation's system could not be withdrawn. The package says where
they are read instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.content import ContentIndex, Module
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.templating import Templates
from app.models.users import Role
from app.scorm.manifest import (
    LAUNCH_FILE,
    SCHEMA_FILES,
    manifest_xml,
    package_identifier,
    package_title,
)
from app.scorm.schemas import ExportChoice, PackagePage, ScormPackage

ROOM = Path(__file__).parent
RUNTIME_DIR = ROOM / "runtime"
XSD_DIR = ROOM / "xsd"
STYLESHEET = Path("dist") / "askwell.css"
"""Askwell's compiled styles, under the static directory (``make assets`` builds them)."""
SUSPEND_DATA_LIMIT = 4096
"""SCORM 1.2's longest ``cmi.suspend_data``; the runtime keeps its record under it."""
EXPORTING_ROLES = (Role.admin, Role.trainer)
_STATIC_URL = re.compile(r"""url\((["']?)/static/dist/([\w./-]+)\1\)""")

PAGE_KEY_POINTS = "askwell-key-points"
PAGE_QUIZ = "askwell-quiz"


# --- Which module, at which version ---------------------------------------------------------


def exportable_module(content: ContentIndex, slug: str, version: int | None = None) -> Module:
    """The module a package would hold; only the version Askwell has now can be exported."""
    module = content.get(slug)
    if module is None or module.kind != "module":
        what = "an app knowledge card, not a module" if module else "not a module Askwell has"
        raise NotFound(
            f"“{slug[:100]}” is {what}: only training modules can be exported as SCORM packages."
        )
    if version is not None and version > module.version:
        raise InvalidInput(
            f"“{module.title}” has no version {version}: it is at version {module.version}.",
            field="version",
            code="not_current_version",
        )
    if version is not None and version != module.version:
        raise InvalidInput(
            f"“{module.title}” is at version {module.version}, so only version "
            f"{module.version} can be exported. A package of an earlier version is the one "
            "made at the time: Askwell keeps no copy of older versions to build it again.",
            field="version",
            code="not_current_version",
        )
    return module


def package_filename(module: Module) -> str:
    """Stamped with the version, so a package made after a change never takes the name of
    the one before."""
    return f"askwell-{module.slug}-v{module.version}-scorm12.zip"


def export_choice(content: ContentIndex, viewer: Viewer, slug: str) -> ExportChoice:
    """What the export page offers: the version a package would hold, and its name."""
    require_role(viewer, *EXPORTING_ROLES)
    module = exportable_module(content, slug)
    return ExportChoice(
        module=module,
        filename=package_filename(module),
        identifier=package_identifier(module),
    )


def package_for(
    session: Session,
    content: ContentIndex,
    templates: Templates,
    viewer: Viewer,
    slug: str,
    version: int | None = None,
) -> ScormPackage:
    """A package for an admin or trainer to download (the page's "Download")."""
    require_role(viewer, *EXPORTING_ROLES)
    package = build_package(content, templates, slug, version)
    record_export(session, viewer, package)
    return package


def record_export(session: Session, actor: Viewer | None, package: ScormPackage) -> None:
    """Kept in the audit log: a package carries the module out of Askwell, where a later
    version cannot reach it."""
    audit.record(
        session,
        actor,
        "module.export_scorm",
        "module",
        package.module.slug,
        f"version {package.module.version}",
    )


# --- Building the package -------------------------------------------------------------------


def package_pages(module: Module) -> tuple[PackagePage, ...]:
    """The pages a learner steps through: each section, then what the module adds."""
    pages = [PackagePage(section.id, section.title, "section") for section in module.sections]
    if module.key_points:
        pages.append(PackagePage(PAGE_KEY_POINTS, "Key points", "key-points"))
    if module.quiz is not None:
        pages.append(PackagePage(PAGE_QUIZ, "Check your understanding (quiz)", "quiz"))
    return tuple(pages)


def runtime_data(module: Module, pages: tuple[PackagePage, ...]) -> dict[str, object]:
    """What the runtime script reads from the page: the pages, the sections that must be
    read, and the quiz's right answers and pass mark, so it scores without a server."""
    quiz = module.quiz
    return {
        "identifier": package_identifier(module),
        "version": module.version,
        "pages": [{"id": page.id, "kind": page.kind, "title": page.title} for page in pages],
        "sections": [section.id for section in module.sections],
        "suspendDataLimit": SUSPEND_DATA_LIMIT,
        "quiz": None
        if quiz is None
        else {
            "passMark": module.pass_mark,
            "questions": [
                {
                    "id": question.id,
                    "type": question.type,
                    "correct": sorted(question.correct_ids),
                }
                for question in quiz.questions
            ],
        },
    }


def build_package(
    content: ContentIndex,
    templates: Templates,
    slug: str,
    version: int | None = None,
    *,
    made_on: date | None = None,
) -> ScormPackage:
    """The zip: manifest, the SCO's page, Askwell's styles, the runtime and the schemas."""
    module = exportable_module(content, slug, version)
    made_on = made_on or datetime.now(UTC).date()
    stylesheet = templates.assets.directory / STYLESHEET
    if not stylesheet.is_file():
        raise Conflict(
            "Askwell's styles have not been built on this server (`make assets` builds them), "
            "so no package can be made."
        )
    pages = package_pages(module)
    html = templates.render_string(
        "scorm/package/index.html",
        {
            "module": module,
            "pages": pages,
            "content_sources": content.sources,
            "runtime_data": runtime_data(module, pages),
            "made_on": made_on,
            "package_title": package_title(module),
        },
    )
    css, images = _packaged_styles(stylesheet)
    files: dict[str, bytes] = {
        LAUNCH_FILE: html.encode("utf-8"),
        "askwell.css": css,
        **images,
        "askwell-sco.css": (RUNTIME_DIR / "askwell-sco.css").read_bytes(),
        "askwell-scorm.js": (RUNTIME_DIR / "askwell-scorm.js").read_bytes(),
    }
    for name in SCHEMA_FILES:
        files[name] = (XSD_DIR / name).read_bytes()
    names = ("imsmanifest.xml", *files)
    manifest = manifest_xml(module, names)
    return ScormPackage(
        module=module,
        filename=package_filename(module),
        identifier=package_identifier(module),
        made_on=made_on,
        data=_zip({"imsmanifest.xml": manifest, **files}, made_on),
        files=names,
    )


def _packaged_styles(stylesheet: Path) -> tuple[bytes, dict[str, bytes]]:
    """Askwell's styles with the icons they use: the server's ``/static/dist/`` addresses
    become paths inside the package, which never reaches back to the server."""
    css = stylesheet.read_text(encoding="utf-8")
    dist = stylesheet.parent.resolve()
    images: dict[str, bytes] = {}
    for name in sorted({found.group(2) for found in _STATIC_URL.finditer(css)}):
        path = (dist / name).resolve()
        if path.is_relative_to(dist) and path.is_file():
            images[name] = path.read_bytes()
    packaged = _STATIC_URL.sub(lambda found: f'url("{found.group(2)}")', css)
    return packaged.encode("utf-8"), images


def _zip(files: dict[str, bytes], made_on: date) -> bytes:
    """The manifest first, at the root, as SCORM asks; every entry dated the day it was made."""
    buffer = io.BytesIO()
    stamp = (made_on.year, made_on.month, made_on.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
