"""Safeguarding records: raised wherever a young person types words about risk now, kept
apart from what they wrote, followed up by trainers, and purged after the retention period.

A scenario is the young person's: withdrawing it or deleting the account erases it. A
concern about their safety is the organisation's record, so it survives both, holding only
what a safeguarding lead needs: the sentences that matched, where and when they were typed,
and the account's name, email and age band at that moment. Every view of a record, and its
follow-up, is written to the audit log. Other rooms raise records through
:func:`note_words` and learn whether to show support first from what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, func
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.auth.schemas import Viewer
from app.auth.service import require_role
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.text import clean_multiline
from app.models.base import utcnow
from app.models.contributions import Scenario, ScenarioStatus
from app.models.safeguarding import SafeguardingRecord, TypedIn
from app.models.users import Role, User
from app.safeguarding.risk_words import CATEGORY_LABELS, SUPPORT_SERVICES, RiskCheck, check_risk
from app.safeguarding.schemas import (
    TYPED_IN_LABELS,
    RecordOut,
    RecordSummaryOut,
    SentenceOut,
    SupportOut,
)

__all__ = [
    "SUPPORT_SERVICES",
    "RiskCheck",
    "SupportOut",
    "TypedIn",
    "check_risk",
    "note_words",
    "support_services",
]

MAXIMUM_NOTE_LENGTH = 5000
HIDDEN_FROM_TRAINERS = frozenset({ScenarioStatus.draft.value, ScenarioStatus.withdrawn.value})
SHOWN = ("open", "resolved", "all")


def support_services() -> list[SupportOut]:
    """Samaritans, Shout, Childline and 999, with links a phone can call or text."""
    return [SupportOut(name=name, how=how, href=href) for name, how, href in SUPPORT_SERVICES]


# --- Raising a record where a young person types -------------------------------------------


def _reasons(existing: str, check: RiskCheck) -> str:
    labels = [label for label in existing.split("; ") if label]
    for category in check.categories:
        label = CATEGORY_LABELS[category]
        if label not in labels:
            labels.append(label)
    return "; ".join(labels)[:200]


def note_words(
    session: Session,
    *,
    author_id: int,
    typed_in: TypedIn,
    texts: Iterable[str],
    scenario_id: int | None = None,
    module_slug: str | None = None,
    ask_id: str | None = None,
) -> RiskCheck:
    """Look for words about risk now in what a young person just typed, and keep a record.

    A scenario (or one rating comment) has at most one open record: new sentences are
    added to it, and a sentence already recorded for it raises nothing new, so saving a
    draft again never sends trainers a second alert. The returned check says whether the
    page that follows must show support first.
    """
    check = check_risk(*texts)
    if not check.at_risk:
        return check
    if scenario_id is not None:
        same_subject = SafeguardingRecord.scenario_id == scenario_id
    else:
        same_subject = (
            (SafeguardingRecord.account_id == author_id)
            & (SafeguardingRecord.module_slug == module_slug)
            & (SafeguardingRecord.ask_id == ask_id)
        )
    records = session.exec(
        select(SafeguardingRecord)
        .where(same_subject)
        .order_by(col(SafeguardingRecord.raised_at), col(SafeguardingRecord.id))
    ).all()
    known = {entry["text"] for record in records for entry in record.sentences}
    new = [sentence for sentence in check.sentences if sentence not in known]
    if not new:
        return check
    now = utcnow()
    entries = [{"text": text, "typed_in": typed_in.value, "at": now.isoformat()} for text in new]
    record = next((record for record in records if record.resolved_at is None), None)
    if record is None:
        author = session.get(User, author_id)
        if author is None:
            raise NotFound()
        record = SafeguardingRecord(
            scenario_id=scenario_id,
            module_slug=module_slug,
            ask_id=ask_id,
            account_id=author_id,
            name=author.display_name,
            email=author.email,
            age_band=author.age_band,
            raised_at=now,
        )
    record.sentences = [*record.sentences, *entries]
    record.reasons = _reasons(record.reasons, check)
    record.updated_at = now
    session.add(record)
    session.flush()
    return check


def note_withdrawal(session: Session, scenario_id: int) -> None:
    """The scenario is erased; its records say so, and keep everything else."""
    records = session.exec(
        select(SafeguardingRecord).where(SafeguardingRecord.scenario_id == scenario_id)
    ).all()
    for record in records:
        record.withdrawn_at = record.withdrawn_at or utcnow()
        session.add(record)


def note_account_deletion(session: Session, account_id: int) -> None:
    """The account and all it wrote are going; its records say so, and stay."""
    records = session.exec(
        select(SafeguardingRecord).where(SafeguardingRecord.account_id == account_id)
    ).all()
    now = utcnow()
    for record in records:
        record.account_deleted_at = now
        session.add(record)


# --- What other rooms ask -------------------------------------------------------------------


def open_record_clause(scenario_id_column: object) -> ColumnElement[bool]:
    """A SQL condition: the scenario in that column has an open safeguarding record."""
    return exists().where(
        SafeguardingRecord.scenario_id == scenario_id_column,
        col(SafeguardingRecord.resolved_at).is_(None),
    )


def records_for_scenario(session: Session, scenario_id: int) -> list[SafeguardingRecord]:
    return list(
        session.exec(
            select(SafeguardingRecord)
            .where(SafeguardingRecord.scenario_id == scenario_id)
            .order_by(col(SafeguardingRecord.raised_at), col(SafeguardingRecord.id))
        ).all()
    )


def open_count(session: Session, viewer: Viewer) -> int:
    """Open records, whatever has happened to the scenario or the account since."""
    require_role(viewer, Role.trainer)
    return session.exec(
        select(func.count())
        .select_from(SafeguardingRecord)
        .where(col(SafeguardingRecord.resolved_at).is_(None))
    ).one()


def export_statement(contact_email: str | None = None) -> dict[str, str]:
    """What a young person's own export says about safeguarding records, which it cannot hold."""
    whom = contact_email or "the organisation that gave you your Askwell account"
    return {
        "what": (
            "If something you typed suggested you might be at risk, Askwell kept a separate "
            "safeguarding record: the sentences that were noticed, when, and your name, email "
            "address and age band at the time, with what the organisation did to follow it up. "
            "It is the organisation's record, so it stays even if you withdraw a scenario or "
            "delete your account, until it is followed up and then for the organisation's "
            "retention period."
        ),
        "how_to_ask": (
            f"Your copy of your data does not include it. To see it, ask {whom} for it "
            "(a subject access request)."
        ),
    }


# --- Trainers' side -------------------------------------------------------------------------


def _about(record: SafeguardingRecord) -> str:
    if record.module_slug:
        return f"A comment on a “how to ask” example in {record.module_slug}"
    return "A scenario"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _since(record: SafeguardingRecord, scenario: Scenario | None) -> str:
    said: list[str] = []
    if record.withdrawn_at:
        said.append(f"Withdrawn by the young person on {_day(record.withdrawn_at)}")
    if record.account_deleted_at:
        said.append(f"Account deleted on {_day(record.account_deleted_at)}")
    if not said and scenario is not None and scenario.status == ScenarioStatus.draft.value:
        said.append("Still an unsent draft")
    if not said and record.module_slug:
        said.append("The comment is still saved with the rating")
    if not said and scenario is None:
        said.append("The young person has since deleted it")
    if not said:
        said.append("The scenario is still with the trainers")
    return "; ".join(said) + "."


def _scenario(session: Session, record: SafeguardingRecord) -> Scenario | None:
    return session.get(Scenario, record.scenario_id) if record.scenario_id else None


def _summary_fields(record: SafeguardingRecord, scenario: Scenario | None) -> dict[str, object]:
    return {
        "id": record.id or 0,
        "about": _about(record),
        "scenario_id": record.scenario_id,
        "module_slug": record.module_slug,
        "ask_id": record.ask_id,
        "age_band": record.age_band,
        "reasons": record.reasons,
        "raised_at": record.raised_at,
        "updated_at": record.updated_at,
        "withdrawn_at": record.withdrawn_at,
        "account_deleted_at": record.account_deleted_at,
        "resolved_at": record.resolved_at,
        "what_happened_since": _since(record, scenario),
    }


def list_records(session: Session, viewer: Viewer, show: str = "open") -> list[RecordSummaryOut]:
    """Open records first, oldest first (they have waited longest); then resolved, newest."""
    require_role(viewer, Role.trainer)
    if show not in SHOWN:
        raise InvalidInput("Choose open, resolved or all.")
    statement = select(SafeguardingRecord)
    if show == "open":
        statement = statement.where(col(SafeguardingRecord.resolved_at).is_(None))
    elif show == "resolved":
        statement = statement.where(col(SafeguardingRecord.resolved_at).is_not(None))
    records = session.exec(
        statement.order_by(
            col(SafeguardingRecord.resolved_at).is_not(None),
            col(SafeguardingRecord.resolved_at).desc(),
            col(SafeguardingRecord.raised_at),
            col(SafeguardingRecord.id),
        )
    ).all()
    ids = {record.scenario_id for record in records if record.scenario_id}
    scenarios = (
        {s.id: s for s in session.exec(select(Scenario).where(col(Scenario.id).in_(ids))).all()}
        if ids
        else {}
    )
    return [
        RecordSummaryOut(**_summary_fields(record, scenarios.get(record.scenario_id or 0)))  # type: ignore[arg-type]
        for record in records
    ]


def _describe(session: Session, record: SafeguardingRecord) -> RecordOut:
    scenario = _scenario(session, record)
    review_url = (
        f"/review/scenarios/{scenario.id}"
        if scenario is not None and scenario.status not in HIDDEN_FROM_TRAINERS
        else None
    )
    return RecordOut(
        **_summary_fields(record, scenario),  # type: ignore[arg-type]
        name=record.name,
        email=record.email,
        sentences=[
            SentenceOut(
                text=entry["text"],
                typed_in=TypedIn(entry["typed_in"]),
                typed_in_label=TYPED_IN_LABELS[TypedIn(entry["typed_in"])],
                at=datetime.fromisoformat(entry["at"]),
            )
            for entry in record.sentences
        ],
        review_url=review_url,
        resolved_by=record.resolved_by_name or None,
        resolution_note=record.resolution_note,
    )


def _get(session: Session, record_id: int, *, lock: bool = False) -> SafeguardingRecord:
    record = session.get(SafeguardingRecord, record_id, with_for_update=lock or None)
    if record is None:
        raise NotFound("We could not find that safeguarding record. It may have been purged.")
    return record


def read_record(session: Session, viewer: Viewer, record_id: int) -> RecordOut:
    """One record with the words and who wrote them; every opening is audited."""
    require_role(viewer, Role.trainer)
    record = _get(session, record_id)
    state = "open" if record.resolved_at is None else "resolved"
    audit.record(session, viewer, "safeguarding.view", "safeguarding_record", record.id, state)
    return _describe(session, record)


def _clean_note(note: str) -> str:
    cleaned = clean_multiline(note or "")
    if not cleaned:
        raise InvalidInput("Say what was done to follow it up, for the record.")
    if len(cleaned) > MAXIMUM_NOTE_LENGTH:
        raise InvalidInput(f"The note must be {MAXIMUM_NOTE_LENGTH:,} characters or fewer.")
    return cleaned


def _close(session: Session, viewer: Viewer, record: SafeguardingRecord, note: str) -> None:
    resolver = session.get(User, viewer.id)
    record.resolved_at = utcnow()
    record.resolved_by_id = viewer.id
    record.resolved_by_name = resolver.display_name if resolver else ""
    record.resolution_note = note
    session.add(record)
    audit.record(session, viewer, "safeguarding.resolve", "safeguarding_record", record.id)


def resolve(session: Session, viewer: Viewer, record_id: int, note: str) -> RecordOut:
    """Records the follow-up; from now the retention period runs."""
    require_role(viewer, Role.trainer)
    note = _clean_note(note)
    record = _get(session, record_id, lock=True)
    if record.resolved_at is not None:
        raise Conflict("This safeguarding record has already been followed up.")
    _close(session, viewer, record, note)
    session.flush()
    return _describe(session, record)


def resolve_for_scenario(session: Session, viewer: Viewer, scenario_id: int, note: str) -> int:
    """Follows up every open record of one scenario (the review page's form); how many."""
    require_role(viewer, Role.trainer)
    note = _clean_note(note)
    records = session.exec(
        select(SafeguardingRecord)
        .where(
            SafeguardingRecord.scenario_id == scenario_id,
            col(SafeguardingRecord.resolved_at).is_(None),
        )
        .with_for_update()
    ).all()
    if not records:
        raise Conflict("This scenario has no open safeguarding flag.")
    for record in records:
        _close(session, viewer, record, note)
    return len(records)


# --- Retention ------------------------------------------------------------------------------


def purge(session: Session, retention_days: int, now: datetime | None = None) -> int:
    """Deletes records followed up more than ``retention_days`` ago; open ones always stay."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    result = session.exec(
        delete(SafeguardingRecord).where(
            col(SafeguardingRecord.resolved_at).is_not(None),
            col(SafeguardingRecord.resolved_at) < cutoff,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
