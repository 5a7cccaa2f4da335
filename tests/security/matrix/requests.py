"""Bodies that would do something if the door were open: a refusal is only proven when the
request itself was good, so a 422 about a missing field cannot pass for one."""

from __future__ import annotations

from typing import Any

from app.reflections.service import prompt_key
from tests.security.matrix.conftest import ASKING, RIGHT_ANSWERS, scenario_body

INTRUDER = "intruder@askwell.test"
REFLECTION_KEY = prompt_key("What do you know about the games the young people you see play?")
FUTURE = "2030-01-31"

API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/auth/login"): {"email": INTRUDER, "password": "not-the-password"},
    ("PUT", "/api/v1/me"): {"display_name": "Renamed By Someone Else"},
    ("PUT", "/api/v1/me/password"): {
        "current_password": "wrong-password-entirely",
        "new_password": "a-new-password-long-enough",
    },
    ("POST", "/api/v1/cohorts"): {"name": "Taken over"},
    ("PUT", "/api/v1/cohorts/{cohort_id}"): {"name": "Taken over"},
    ("POST", "/api/v1/cohorts/{cohort_id}/members"): {"email": "priya@askwell.test"},
    ("POST", "/api/v1/cohorts/{cohort_id}/members/bulk"): {"emails": INTRUDER},
    ("POST", "/api/v1/cohorts/{cohort_id}/invitations"): {"email": INTRUDER},
    ("POST", "/api/v1/cohorts/{cohort_id}/assignments"): {
        "module_slug": ASKING,
        "due_date": FUTURE,
    },
    ("POST", "/api/v1/me/refresher/sessions/{session_id}/answers"): {
        "module_slug": ASKING,
        "question_id": "q1",
        "answer": ["b"],
    },
    ("POST", "/api/v1/modules/{slug}/attempts"): {"answers": RIGHT_ANSWERS},
    ("POST", "/api/v1/modules/{slug}/refresh"): {"answers": RIGHT_ANSWERS},
    ("PUT", "/api/v1/me/reflections/{slug}"): {"answers": {REFLECTION_KEY: "Written by another"}},
    ("PUT", "/api/v1/modules/{slug}/asks/{ask_id}/rating"): {"verdict": "no"},
    ("POST", "/api/v1/scenarios"): scenario_body(),
    ("PUT", "/api/v1/scenarios/{scenario_id}"): scenario_body(title="Rewritten by another"),
    ("PUT", "/api/v1/scenarios/{scenario_id}/choices"): {
        "credit": "pseudonym",
        "credit_name": "Someone Else",
        "consent_to_quote": False,
    },
    ("POST", "/api/v1/review/scenarios/{scenario_id}/decision"): {
        "decision": "reject",
        "note": "Decided by someone with no right to.",
    },
    ("POST", "/api/v1/review/scenarios/{scenario_id}/unpublish"): {"note": "Taken down."},
    ("POST", "/api/v1/review/scenarios/{scenario_id}/flag/resolve"): {"note": "Followed up."},
    ("POST", "/api/v1/safeguarding/{record_id}/resolve"): {"note": "Followed up."},
    ("PUT", "/api/v1/admin/users/{user_id}"): {"roles": ["admin"], "is_active": True},
}

FORM_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/cohorts"): {"name": "Taken over"},
    ("POST", "/cohorts/{cohort_id}/name"): {"cohort-name": "Taken over"},
    ("POST", "/cohorts/{cohort_id}/trainers"): {"trainer-email": "tess@askwell.test"},
    ("POST", "/cohorts/{cohort_id}/members"): {"member-email": "priya@askwell.test"},
    ("POST", "/cohorts/{cohort_id}/members/bulk"): {"member-emails": INTRUDER},
    ("POST", "/cohorts/{cohort_id}/invitations"): {"invite-email": INTRUDER},
    ("POST", "/safeguarding/{record_id}/resolve"): {"note": "Followed up."},
    ("POST", "/review/scenarios/{scenario_id}/decision"): {
        "decision": "reject",
        "note": "Decided by someone with no right to.",
    },
    ("POST", "/admin/users/{user_id}"): {"roles": ["admin"], "is_active": "true"},
    ("POST", "/account"): {"display_name": "Renamed By Someone Else"},
    ("POST", "/my-data/delete"): {"confirm": "yes"},
    ("POST", "/modules/{slug}/quiz"): {"q1": "b", "q2": ["a", "b"], "q3": "b"},
}


def valid_body(method: str, template: str) -> dict[str, Any]:
    """A body the route would act on, or an empty one for a route that needs none."""
    if template.startswith("/api/"):
        return API_BODIES.get((method, template), {})
    return FORM_BODIES.get((method, template), {})


# Let-through checks that send the good body too, since acting on it harms nothing later
# checks rely on: a new cohort, a rename, an assignment, an invitation to a stranger, a quiz
# attempt, a rating, a reflection, a new scenario.
HARMLESS = frozenset(
    {
        ("POST", "/api/v1/cohorts"),
        ("PUT", "/api/v1/cohorts/{cohort_id}"),
        ("POST", "/api/v1/cohorts/{cohort_id}/assignments"),
        ("POST", "/api/v1/cohorts/{cohort_id}/invitations"),
        ("POST", "/api/v1/modules/{slug}/attempts"),
        ("PUT", "/api/v1/me/reflections/{slug}"),
        ("PUT", "/api/v1/modules/{slug}/asks/{ask_id}/rating"),
        ("POST", "/api/v1/scenarios"),
        ("POST", "/cohorts"),
        ("POST", "/cohorts/{cohort_id}/name"),
    }
)
