"""Every module Askwell ships, exported: each manifest valid against the ADL schemas."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI

from app.core.config import PROJECT_ROOT
from tests.conftest import make_settings
from tests.scorm.conftest import packages, read_xml, scorm_12_schema


@pytest.fixture
def shipped(start_app: Callable, database_url: str) -> FastAPI:
    return start_app(make_settings(database_url, modules_dir=PROJECT_ROOT / "modules"))


def test_every_shipped_module_has_a_manifest_valid_against_scorm_12(shipped):
    schema = scorm_12_schema()
    checked = []
    for slug, files in packages(shipped):
        manifest = read_xml(files["imsmanifest.xml"])
        assert schema.validate(manifest), (slug, schema.error_log)
        checked.append(slug)
    assert len(checked) == len(shipped.state.content.all("module")) >= 10
