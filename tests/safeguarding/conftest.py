from tests.scenarios.conftest import (  # noqa: F401 - shared fixtures
    codesigner,
    reviewer,
    signed_in,
    trainer,
    young,
)
