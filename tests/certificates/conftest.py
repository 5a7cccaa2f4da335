"""Trainers, practitioners in cohorts, and clients signed in as each: shared with tests/cohorts."""

from tests.cohorts.conftest import (  # noqa: F401 - fixtures and helpers these tests use
    RIGHT_ANSWERS,
    SECTIONS,
    complete_module,
    create_cohort,
    form_token,
    signed_in,
    trainer,
    trainer_client,
)
