"""SCORM 1.2 packages as an LMS receives them: the manifest against ADL's schemas, the module
frozen inside, and who may make one."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from html import unescape

import pytest
from lxml import etree
from sqlmodel import select

from app.content import ContentIndex
from app.core.errors import InvalidInput, NotFound
from app.models.audit import AuditEvent
from app.models.users import Role
from app.scorm.service import SUSPEND_DATA_LIMIT, build_package
from tests.conftest import api_login
from tests.scenarios.conftest import publish
from tests.scorm.conftest import NAMESPACES, read_xml, scorm_12_schema, unzip

SLUG = "asking-basics"


@pytest.fixture
def package(app):
    return build_package(app.state.content, app.state.templates, SLUG)


def test_the_manifest_is_valid_against_the_adl_scorm_12_schemas(package):
    manifest = read_xml(unzip(package.data)["imsmanifest.xml"])
    schema = scorm_12_schema()
    assert schema.validate(manifest), schema.error_log


def test_the_schemas_refuse_a_manifest_scorm_would_not_accept(package):
    """The validation has teeth: a resource of a SCORM type that does not exist, and a
    manifest with no identifier, are both refused."""
    schema = scorm_12_schema()
    manifest = read_xml(unzip(package.data)["imsmanifest.xml"])

    wrong_type = copy.deepcopy(manifest)
    resource = wrong_type.find("cp:resources/cp:resource", NAMESPACES)
    resource.set(f"{{{NAMESPACES['adlcp']}}}scormtype", "lesson")
    assert not schema.validate(wrong_type)

    no_identifier = copy.deepcopy(manifest)
    del no_identifier.attrib["identifier"]
    assert not schema.validate(no_identifier)


def test_the_manifest_declares_scorm_12_one_sco_the_version_and_the_pass_mark(app, package):
    module = app.state.content.get(SLUG)
    files = unzip(package.data)
    manifest = read_xml(files["imsmanifest.xml"])

    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NAMESPACES) == "ADL SCORM"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NAMESPACES) == "1.2"
    assert manifest.get("identifier") == f"askwell-{SLUG}-v{module.version}"
    title = manifest.findtext("cp:organizations/cp:organization/cp:title", namespaces=NAMESPACES)
    assert title == f"Asking basics (Askwell, version {module.version})"
    lifecycle_version = manifest.findtext(
        "cp:metadata/imsmd:lom/imsmd:lifecycle/imsmd:version/imsmd:langstring",
        namespaces=NAMESPACES,
    )
    assert lifecycle_version == str(module.version)
    items = manifest.findall(".//cp:item", NAMESPACES)
    assert len(items) == 1
    assert items[0].findtext("adlcp:masteryscore", namespaces=NAMESPACES) == "60"

    resources = manifest.findall("cp:resources/cp:resource", NAMESPACES)
    assert len(resources) == 1
    sco = resources[0]
    assert sco.get(f"{{{NAMESPACES['adlcp']}}}scormtype") == "sco"
    assert sco.get("href") == "index.html"
    assert items[0].get("identifierref") == sco.get("identifier")
    listed = {file.get("href") for file in sco.findall("cp:file", NAMESPACES)}
    assert listed == set(files) - {"imsmanifest.xml"}
    assert {"index.html", "askwell.css", "askwell-scorm.js", "adlcp_rootv1p2.xsd"} <= listed
    assert package.filename == f"askwell-{SLUG}-v{module.version}-scorm12.zip"
    assert next(iter(files)) == "imsmanifest.xml"


def _page_text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_package_holds_the_whole_module_as_static_html_with_askwells_styles(app, package):
    module = app.state.content.get(SLUG)
    files = unzip(package.data)
    html = files["index.html"].decode()
    text = _page_text(html)

    for section in module.sections:
        assert section.title in text
    for ask in module.asks:
        assert ask.do in text
    assert "Try saying" in text
    for block in module.key_points:
        for item in block.items:
            assert _page_text(item) in text
    for question in module.quiz.questions:
        assert question.prompt in text
        for option in question.options:
            assert option.text in text
            assert option.feedback in text
    # Askwell's own styles, with the icons they use packed beside them.
    css = files["askwell.css"].decode()
    built = (app.state.templates.assets.directory / "dist/askwell.css").read_text()
    assert len(css) > 0.99 * len(built)
    assert "/static/" not in css
    for icon in re.findall(r'url\("([^"]+)"\)', css):
        assert icon in files, icon
    assert 'href="askwell.css"' in html
    # Nothing in it leads back to Askwell: it runs wherever the LMS serves it.
    assert 'href="/' not in html and 'src="/' not in html
    data = json.loads(
        unescape(re.search(r'id="askwell-package-data">(.*?)</script>', html, re.S).group(1))
    )
    assert data["quiz"]["passMark"] == module.pass_mark == 60
    assert data["suspendDataLimit"] == SUSPEND_DATA_LIMIT == 4096
    assert data["quiz"]["questions"][0]["correct"] == sorted(module.quiz.questions[0].correct_ids)


def test_no_scenario_from_a_young_person_ever_leaves_in_a_package(app, young, reviewer):
    """A young person can withdraw their scenario at any time and it leaves the training at
    once; a copy uploaded to another system could not be withdrawn, so none is made."""
    publish(young, reviewer)
    module_page = young.get(f"/modules/{SLUG}")
    assert module_page.status_code == 200
    package = build_package(app.state.content, app.state.templates, SLUG)
    every_file = b"".join(unzip(package.data).values()).decode("utf-8", "replace")
    assert "My nurse asked to see my feed." not in every_file
    assert "Show me your feed" not in every_file
    assert "Shared by a young co-designer" not in every_file
    html = unzip(package.data)["index.html"].decode()
    assert "read in Askwell, where the young people who shared them can withdraw them" in html


def test_a_changed_module_makes_a_new_package_and_an_old_version_is_refused(app):
    content = app.state.content
    module = content.get(SLUG)
    before = build_package(content, app.state.templates, SLUG, module.version)

    changed = ContentIndex(
        modules={**content.modules, SLUG: replace(module, version=module.version + 1)},
        sources=content.sources,
    )
    after = build_package(changed, app.state.templates, SLUG)
    assert after.filename != before.filename
    assert after.identifier == f"askwell-{SLUG}-v{module.version + 1}"
    assert read_xml(unzip(after.data)["imsmanifest.xml"]).get("identifier") == after.identifier

    with pytest.raises(InvalidInput, match=f"only version {module.version + 1} can be"):
        build_package(changed, app.state.templates, SLUG, module.version)


def test_an_unknown_slug_or_an_app_card_is_refused_plainly(app):
    with pytest.raises(NotFound, match="not a module Askwell has"):
        build_package(app.state.content, app.state.templates, "no-such-module")
    card = next(iter(app.state.content.all("app")))
    with pytest.raises(NotFound, match="app knowledge card"):
        build_package(app.state.content, app.state.templates, card.slug)


# --- The export page and its download ------------------------------------------------------


def test_a_trainer_finds_the_export_on_the_module_and_downloads_the_package(
    client, make_user, app, rows
):
    api_login(client, make_user(Role.trainer))
    module_page = client.get(f"/modules/{SLUG}")
    assert f'href="/modules/{SLUG}/export"' in module_page.text

    page = client.get(f"/modules/{SLUG}/export")
    assert page.status_code == 200
    text = _page_text(page.text)
    assert "A package is a frozen copy" in text
    assert "does not update itself" in text
    version = app.state.content.get(SLUG).version
    assert f"askwell export scorm {SLUG} --version {version}" in text

    download = client.get(f"/modules/{SLUG}/export/scorm.zip?version={version}")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert (
        f'filename="askwell-{SLUG}-v{version}-scorm12.zip"'
        in download.headers["content-disposition"]
    )
    assert "imsmanifest.xml" in unzip(download.content)
    exports = rows(select(AuditEvent).where(AuditEvent.action == "module.export_scorm"))
    assert [(event.target_id, event.detail) for event in exports] == [(SLUG, f"version {version}")]


def test_an_admin_may_export_and_an_old_version_is_explained(client, make_user, app):
    api_login(client, make_user(Role.admin))
    version = app.state.content.get(SLUG).version
    assert client.get(f"/modules/{SLUG}/export/scorm.zip").status_code == 200
    old = client.get(f"/modules/{SLUG}/export/scorm.zip?version={version - 1}")
    assert old.status_code == 422
    assert f"only version {version} can be exported" in _page_text(old.text)


@pytest.mark.parametrize("role", [Role.practitioner, Role.codesigner])
def test_practitioners_and_codesigners_neither_see_nor_get_an_export(client, make_user, role):
    api_login(client, make_user(role))
    assert f"/modules/{SLUG}/export" not in client.get(f"/modules/{SLUG}").text
    assert client.get(f"/modules/{SLUG}/export").status_code == 403
    download = client.get(f"/modules/{SLUG}/export/scorm.zip")
    assert download.status_code == 403
    assert download.headers["content-type"] != "application/zip"


def test_the_schema_check_reads_every_file_it_names(package):
    """Each schema the manifest points at is in the package, so an LMS that validates
    finds them beside it."""
    files = unzip(package.data)
    manifest = read_xml(files["imsmanifest.xml"])
    location = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    for name in location[1::2]:
        assert name in files
        etree.fromstring(files[name])
