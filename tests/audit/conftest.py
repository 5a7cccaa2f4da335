from tests.contributions.conftest import signed_in  # noqa: F401 - shared fixture
