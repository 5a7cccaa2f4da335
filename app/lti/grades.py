"""Grade passback (LTI Assignment and Grade Services), fed from the learning-event stream.

Each quiz attempt and each completion of a module that someone opened from a course link
is posted to that link's line item as a score, by the event deliverer: if the platform is
down, the delivery waits and is retried; it is never sent twice by two deliverers. An
event from someone who never launched that module from a platform has nothing to pass
back and is simply delivered. The platform's access token is kept in the database until
shortly before it expires, so every worker and machine shares it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from sqlmodel import Session, col, select

from app.core.db import Bind, session_scope
from app.events.destinations import SEND_TIMEOUT_SECONDS, DeliveryFailed
from app.events.schemas import LearningEventOut
from app.lti.adapter import DatabaseStorage, public_pem, signing_key
from app.models.events import EventKind
from app.models.lti import LtiGradeTarget, LtiPlatform, LtiToolKey

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
TOKEN_MARGIN = timedelta(seconds=60)


class _TimedSession(requests.Session):
    """Every request gives up in time for the deliverer's lease (``SEND_TIMEOUT_SECONDS``)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", SEND_TIMEOUT_SECONDS / 3)
        return super().request(*args, **kwargs)


class _Connector(ServiceConnector):
    """pylti1p3's service connector with its access tokens kept in the database."""

    def __init__(self, registration: Registration, bind: Bind, platform_id: int) -> None:
        super().__init__(registration, requests_session=_TimedSession())
        self._bind = bind
        self._platform_id = platform_id

    def _key(self, scope_key: str) -> str:
        digest = hashlib.sha256(scope_key.encode()).hexdigest()[:32]
        return f"access-token-{self._platform_id}-{digest}"

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        with session_scope(self._bind, write=False) as session:
            value = DatabaseStorage(session).get_value(self._key(scope_key))
        return str(value) if value else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        lifetime = int(expires_in) - int(TOKEN_MARGIN.total_seconds())
        if lifetime <= 0:
            return
        with session_scope(self._bind) as session:
            DatabaseStorage(session).set_value(self._key(scope_key), access_token, exp=lifetime)


class LtiGrades:
    """The event destination that posts scores to the platforms' gradebooks."""

    name = "lti-grades"
    kinds = frozenset({EventKind.quiz_attempted, EventKind.module_completed})

    def __init__(self, bind: Callable[[], Bind]) -> None:
        self._bind = bind

    def send(self, event: LearningEventOut) -> None:
        bind = self._bind()
        with session_scope(bind, write=False) as session:
            targets = _targets(session, event)
            key = signing_key(session) if targets else None
        if key is None:
            return  # not launched from a course: nothing to pass back
        for target, platform in targets:
            self._post(bind, key, target, platform, event)

    def _post(
        self,
        bind: Bind,
        key: LtiToolKey,
        target: LtiGradeTarget,
        platform: LtiPlatform,
        event: LearningEventOut,
    ) -> None:
        registration = (
            Registration()
            .set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_token_url(platform.auth_token_url)
            .set_tool_private_key(key.private_key_pem)
            .set_tool_public_key(public_pem(key.private_key_pem))
        )
        service = AssignmentsGradesService(
            _Connector(registration, bind, platform.id or 0),
            {"scope": target.scopes.split(), "lineitem": target.lineitem_url},
        )
        try:
            service.put_grade(grade_of(event, target.subject))
        except LtiServiceException as error:
            status = error.response.status_code
            if status == 409:
                return  # the platform already holds a newer score: nothing left to send
            # Refused as invalid (not an expired token, a limit or the platform's own fault):
            # retrying the same score cannot help.
            permanent = 400 <= status < 500 and status not in (401, 408, 429)
            raise DeliveryFailed(f"{platform.name}: {error}", permanent=permanent) from error
        except LtiException as error:
            raise DeliveryFailed(f"{platform.name}: {error}", permanent=True) from error
        except requests.RequestException as error:
            raise DeliveryFailed(f"{platform.name} did not answer: {error}") from error


def grade_of(event: LearningEventOut, subject: str) -> Grade:
    """A score out of 100: each attempt as submitted, a completion as completed."""
    grade = (
        Grade()
        .set_user_id(subject)
        .set_timestamp(event.occurred_at.isoformat())
        .set_score_maximum(100)
        .set_grading_progress("FullyGraded")
    )
    score = event.payload.get("score")
    if score is not None:
        grade.set_score_given(float(score))
    if event.kind == EventKind.module_completed.value:
        grade.set_activity_progress("Completed")
    else:
        grade.set_activity_progress("Submitted")
    return grade


def _targets(session: Session, event: LearningEventOut) -> list[tuple[LtiGradeTarget, LtiPlatform]]:
    rows = session.exec(
        select(LtiGradeTarget, LtiPlatform)
        .join(LtiPlatform, col(LtiPlatform.id) == col(LtiGradeTarget.platform_id))
        .where(
            col(LtiGradeTarget.user_id) == event.user_id,
            col(LtiGradeTarget.module_slug) == event.module_slug,
        )
        .order_by(col(LtiGradeTarget.id))
    ).all()
    return [(target, platform) for target, platform in rows if SCORE_SCOPE in target.scopes]
