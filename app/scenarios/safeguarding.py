"""Where a young person's words meet the safeguarding room: words about risk now raise (or
add to) a record wherever they type, and support is shown to them first.

The risk words, the records and the support services are the safeguarding room's; this
module only decides which of a scenario's words are read, and when.
"""

from __future__ import annotations

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.models.contributions import Scenario
from app.safeguarding import service as safeguarding
from app.safeguarding.service import SupportOut, TypedIn
from app.scenarios.form import clean_form
from app.scenarios.records import own
from app.scenarios.schemas import ScenarioForm

RISK_FIELDS = ("title", "what_happened", "what_was_said", "how_it_felt", "what_would_help")


def support_services() -> list[SupportOut]:
    return safeguarding.support_services()


def note_words(
    session: Session, viewer: Viewer, scenario: Scenario, form: ScenarioForm, typed_in: TypedIn
) -> bool:
    """Wherever a young person types, words about risk now raise (or add to) a record."""
    assert scenario.id is not None
    check = safeguarding.note_words(
        session,
        author_id=viewer.id,
        typed_in=typed_in,
        texts=[getattr(form, name) for name in RISK_FIELDS],
        scenario_id=scenario.id,
    )
    return check.at_risk


def risk_in(form: ScenarioForm) -> bool:
    """Whether answers that could not be saved (a problem to fix) still need support shown."""
    form = clean_form(form)
    return safeguarding.check_risk(*(getattr(form, name) for name in RISK_FIELDS)).at_risk


def needs_support(session: Session, viewer: Viewer, scenario_id: int) -> list[SupportOut]:
    """Support to show first on the author's page of a scenario whose words suggest risk now."""
    scenario = own(session, viewer, scenario_id)
    texts = [getattr(scenario, name) for name in RISK_FIELDS]
    return support_services() if safeguarding.check_risk(*texts).at_risk else []
