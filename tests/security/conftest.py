"""Co-designers and reviewers signed in as each: shared with tests/scenarios."""

from tests.scenarios.conftest import (  # noqa: F401 - fixtures these tests use
    codesigner,
    reviewer,
    signed_in,
    trainer,
    young,
)
