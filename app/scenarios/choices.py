"""The author's choices after sending: how they are credited, and whether they may be quoted.

Both can change at any time. Turning quoting off takes a published scenario out of every
module and out of search at once; it stays accepted, so it still informs the training.
"""

from __future__ import annotations

from sqlmodel import Session

from app.auth.schemas import Viewer
from app.content import ContentIndex
from app.core.errors import Conflict
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.contributions import Credit, Scenario, ScenarioStatus
from app.scenarios.errors import ScenarioInvalid
from app.scenarios.form import credit_errors
from app.scenarios.personal_details import KIND_LABELS, credit_name_findings
from app.scenarios.published import remove_from_search
from app.scenarios.records import own
from app.scenarios.workflow import AUTHOR, move

S = ScenarioStatus

CREDIT_NAME_LOOKS_PERSONAL = (
    "Your scenario is already accepted, so a new name is shown to practitioners straight "
    "away. This one looks like it has personal details in it ({details}): choose another "
    "name, or choose not to be credited"
)


def change_choices(
    session: Session,
    content: ContentIndex,
    viewer: Viewer,
    scenario_id: int,
    credit: str,
    credit_name: str,
    quote: bool,
) -> Scenario:
    """The author changes how they are credited, or whether they may be quoted, at any time.

    Turning quoting off takes a published scenario out of every module and out of search
    in this same transaction; it stays accepted, so it still informs the training, and a
    trainer may publish it again only if the author turns quoting back on.
    """
    scenario = own(session, viewer, scenario_id, lock=True)
    if scenario.status == S.withdrawn.value:
        raise Conflict("You have withdrawn this scenario, so there is nothing left to change.")
    credit_name = clean_multiline(credit_name) if credit != Credit.none.value else ""
    problems = credit_errors(credit, credit_name)
    if not problems and scenario.status in (S.accepted.value, S.published.value):
        # A reviewer has already checked this scenario, and its credit goes out at once
        # without another review: only a name with nothing that looks personal is taken.
        findings = credit_name_findings(content, credit, credit_name)
        if findings and credit_name != scenario.credit_name:
            details = ", ".join(dict.fromkeys(KIND_LABELS[f.kind].lower() for f in findings))
            problems = {"credit_name": CREDIT_NAME_LOOKS_PERSONAL.format(details=details)}
    if problems:
        raise ScenarioInvalid(problems)
    scenario.credit = credit
    scenario.credit_name = credit_name
    scenario.consent_to_quote = quote
    scenario.updated_at = utcnow()
    if not quote and scenario.status == S.published.value:
        move(
            session,
            scenario,
            S.accepted,
            actor=viewer,
            as_role=AUTHOR,
            note="The young person turned quoting off, so it is no longer shown to practitioners.",
        )
        scenario.published_at = None
        remove_from_search(session, scenario)
    session.add(scenario)
    session.flush()
    return scenario
