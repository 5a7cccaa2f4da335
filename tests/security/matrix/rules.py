"""Who may use each route Askwell serves, declared once per (method, path template).

A rule names the roles allowed on any object, the roles allowed only on their own object
(their scenario, their certificate, a cohort they manage), and whether someone signed out
may use it. The matrix test tries every route as every identity on its own object and on
someone else's, and fails when a served route has no rule here: a new route must be
declared before it ships.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("practitioner", "codesigner", "trainer", "admin")


@dataclass(frozen=True)
class Rule:
    name: str
    anonymous: bool = False
    any_object: frozenset[str] = frozenset()
    own_object: frozenset[str] = frozenset()

    def allows(self, identity: str, variant: str) -> bool:
        if identity == "anonymous":
            return self.anonymous
        return identity in self.any_object or (identity in self.own_object and variant == "own")


PUBLIC = Rule("public", anonymous=True, any_object=frozenset(ROLES))
SIGNED_IN = Rule("signed_in", any_object=frozenset(ROLES))


def role(*names: str) -> Rule:
    return Rule(f"role({', '.join(names)})", any_object=frozenset(names))


def owner(*names: str) -> Rule:
    """Only the account the object belongs to."""
    return Rule(f"owner({', '.join(names)})", own_object=frozenset(names))


def owner_or(owner_role: str, *others: str) -> Rule:
    """The object's owner, and anyone holding one of ``others`` on any object."""
    return Rule(
        f"owner_or({owner_role}: {', '.join(others)})",
        any_object=frozenset(others),
        own_object=frozenset({owner_role}),
    )


# A trainer who manages the cohort (or the practitioner's cohort); admins see every cohort.
MANAGING_TRAINER = Rule(
    "managing_trainer", any_object=frozenset({"admin"}), own_object=frozenset({"trainer"})
)
# Reviewing is any trainer's; which trainer holds the claim is a state (409), not a right.
TRAINER = role("trainer")
ADMIN = role("admin")
PRACTITIONER = role("practitioner")
CODESIGNER = role("codesigner")
TRAINER_OR_ADMIN = role("trainer", "admin")
# Lists of the viewer's own things (certificates, contributions, welcome): open to anyone
# signed in, and empty for an account that has none, so nobody else's are ever shown.
OWN_LIST = Rule("signed_in (own things only)", any_object=frozenset(ROLES))

RULES: dict[tuple[str, str], Rule] = {
    # Signing in and out, public pages, links that carry their own secret.
    ("GET", "/"): PUBLIC,
    ("GET", "/accessibility"): PUBLIC,
    ("GET", "/privacy"): PUBLIC,
    ("GET", "/support"): CODESIGNER,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/sign-in"): PUBLIC,
    ("POST", "/sign-in"): PUBLIC,
    # Signing out with no session just lands on the sign-in page.
    ("POST", "/sign-out"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/account-deleted"): PUBLIC,
    ("GET", "/invitations/{token}"): PUBLIC,
    ("POST", "/invitations/{token}"): PUBLIC,
    ("GET", "/password-reset/{token}"): PUBLIC,
    ("POST", "/password-reset/{token}"): PUBLIC,
    ("GET", "/verify/{code}"): PUBLIC,
    ("GET", "/api/v1/verify/{code}"): PUBLIC,
    ("GET", "/whats-new.atom"): PUBLIC,
    # One's own account.
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account"): SIGNED_IN,
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("PUT", "/api/v1/me"): SIGNED_IN,
    ("PUT", "/api/v1/me/password"): SIGNED_IN,
    ("DELETE", "/api/v1/me"): CODESIGNER,
    ("GET", "/api/v1/me/data"): CODESIGNER,
    ("GET", "/my-data"): CODESIGNER,
    ("GET", "/my-data/askwell-data"): CODESIGNER,
    ("GET", "/my-data/askwell-data.json"): CODESIGNER,
    ("GET", "/my-data/askwell-data.pdf"): CODESIGNER,
    ("GET", "/my-data/delete"): CODESIGNER,
    ("POST", "/my-data/delete"): CODESIGNER,
    ("GET", "/welcome"): OWN_LIST,
    # Which cohorts can see one's progress, and the requests waiting for an answer: lists of
    # the viewer's own (empty for anyone who is not a practitioner). Answering a request or
    # leaving a cohort is the practitioner's own; on a cohort that never asked them, or that
    # they are not in, it is "not found".
    ("GET", "/account/cohorts"): OWN_LIST,
    ("GET", "/api/v1/me/cohorts"): OWN_LIST,
    ("GET", "/api/v1/me/cohort-requests"): OWN_LIST,
    ("POST", "/account/cohorts/{cohort_id}/leave"): owner("practitioner"),
    ("POST", "/api/v1/me/cohorts/{cohort_id}/leave"): owner("practitioner"),
    ("POST", "/cohort-requests/{cohort_id}/accept"): owner("practitioner"),
    ("POST", "/cohort-requests/{cohort_id}/decline"): owner("practitioner"),
    ("POST", "/api/v1/me/cohort-requests/{cohort_id}/accept"): owner("practitioner"),
    ("POST", "/api/v1/me/cohort-requests/{cohort_id}/decline"): owner("practitioner"),
    # The training: reading is for everyone signed in, learning is a practitioner's.
    ("GET", "/modules"): SIGNED_IN,
    ("GET", "/modules/{slug}"): SIGNED_IN,
    ("GET", "/modules/{slug}/all"): SIGNED_IN,
    ("GET", "/modules/{slug}/in-two-minutes"): SIGNED_IN,
    ("GET", "/api/v1/modules/{slug}/in-two-minutes"): SIGNED_IN,
    ("GET", "/modules/{slug}/sections/{section_id}"): SIGNED_IN,
    ("GET", "/api/v1/modules"): SIGNED_IN,
    ("GET", "/api/v1/modules/{slug}"): SIGNED_IN,
    ("GET", "/search"): SIGNED_IN,
    ("GET", "/api/v1/search"): SIGNED_IN,
    ("GET", "/whats-new"): PUBLIC,
    ("GET", "/api/v1/whats-new"): SIGNED_IN,
    ("POST", "/modules/{slug}/sections/{section_id}/complete"): PRACTITIONER,
    ("POST", "/api/v1/modules/{slug}/sections/{section_id}/complete"): PRACTITIONER,
    # Anyone signed in may read a quiz and what changed; only a practitioner's answers count.
    ("GET", "/modules/{slug}/quiz"): SIGNED_IN,
    ("POST", "/modules/{slug}/quiz"): PRACTITIONER,
    ("POST", "/api/v1/modules/{slug}/attempts"): PRACTITIONER,
    ("GET", "/modules/{slug}/quiz/attempts/{attempt_id}"): owner("practitioner"),
    ("GET", "/modules/{slug}/completed"): SIGNED_IN,
    # SCORM packages: a frozen copy for another learning system, made by those who run one.
    ("GET", "/modules/{slug}/export"): TRAINER_OR_ADMIN,
    ("GET", "/modules/{slug}/export/scorm.zip"): TRAINER_OR_ADMIN,
    ("GET", "/modules/{slug}/key-points"): SIGNED_IN,
    ("GET", "/modules/{slug}/changes"): SIGNED_IN,
    ("POST", "/modules/{slug}/changes/read"): PRACTITIONER,
    ("GET", "/api/v1/modules/{slug}/changes"): SIGNED_IN,
    ("POST", "/api/v1/modules/{slug}/changes/read"): PRACTITIONER,
    ("GET", "/modules/{slug}/refresh"): PRACTITIONER,
    ("POST", "/modules/{slug}/refresh"): PRACTITIONER,
    ("GET", "/modules/{slug}/refresh/checks/{check_id}"): owner("practitioner"),
    ("GET", "/api/v1/modules/{slug}/refresh"): PRACTITIONER,
    ("POST", "/api/v1/modules/{slug}/refresh"): PRACTITIONER,
    ("GET", "/modules/{slug}/reflect"): PRACTITIONER,
    ("POST", "/modules/{slug}/reflect"): PRACTITIONER,
    ("GET", "/api/v1/me/reflections/{slug}"): PRACTITIONER,
    ("PUT", "/api/v1/me/reflections/{slug}"): PRACTITIONER,
    ("GET", "/api/v1/me/progress"): PRACTITIONER,
    ("GET", "/api/v1/me/record"): PRACTITIONER,
    ("GET", "/record"): PRACTITIONER,
    ("GET", "/record.json"): PRACTITIONER,
    ("GET", "/record.pdf"): PRACTITIONER,
    ("GET", "/certificates"): OWN_LIST,
    ("GET", "/certificates/{completion_id}.pdf"): owner("practitioner"),
    ("GET", "/refresh"): PRACTITIONER,
    ("POST", "/refresh/sessions"): PRACTITIONER,
    ("GET", "/refresh/sessions/{session_id}"): owner("practitioner"),
    ("POST", "/refresh/sessions/{session_id}/answers"): owner("practitioner"),
    ("GET", "/refresh/sessions/{session_id}/answers/{answer_id}"): owner("practitioner"),
    ("POST", "/refresh/sessions/{session_id}/finish"): owner("practitioner"),
    ("GET", "/api/v1/me/refresher"): PRACTITIONER,
    ("POST", "/api/v1/me/refresher/sessions"): PRACTITIONER,
    ("GET", "/api/v1/me/refresher/sessions/{session_id}"): owner("practitioner"),
    ("POST", "/api/v1/me/refresher/sessions/{session_id}/answers"): owner("practitioner"),
    ("POST", "/api/v1/me/refresher/sessions/{session_id}/finish"): owner("practitioner"),
    # Co-design: a young person's own scenarios; ratings of examples.
    ("POST", "/modules/{slug}/asks/{ask_id}/rating"): CODESIGNER,
    ("PUT", "/api/v1/modules/{slug}/asks/{ask_id}/rating"): CODESIGNER,
    ("GET", "/scenarios/mine"): OWN_LIST,
    ("GET", "/scenarios/new"): CODESIGNER,
    ("POST", "/scenarios/new"): CODESIGNER,
    ("GET", "/api/v1/scenarios/mine"): OWN_LIST,
    ("POST", "/api/v1/scenarios"): CODESIGNER,
    # A trainer opening a young person's page is sent to the review page and its rules.
    ("GET", "/scenarios/{scenario_id}"): owner_or("codesigner", "trainer"),
    ("GET", "/scenarios/{scenario_id}/check"): owner("codesigner"),
    ("POST", "/scenarios/{scenario_id}/check"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/choices"): owner("codesigner"),
    ("POST", "/scenarios/{scenario_id}/choices"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/delete"): owner("codesigner"),
    ("POST", "/scenarios/{scenario_id}/delete"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/edit"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/questions/{slug}"): owner("codesigner"),
    ("POST", "/scenarios/{scenario_id}/questions/{slug}"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/sent"): owner("codesigner"),
    ("GET", "/scenarios/{scenario_id}/withdraw"): owner("codesigner"),
    ("POST", "/scenarios/{scenario_id}/withdraw"): owner("codesigner"),
    ("GET", "/api/v1/scenarios/{scenario_id}"): owner_or("codesigner", "trainer"),
    ("PUT", "/api/v1/scenarios/{scenario_id}"): owner("codesigner"),
    ("DELETE", "/api/v1/scenarios/{scenario_id}"): owner("codesigner"),
    ("PUT", "/api/v1/scenarios/{scenario_id}/choices"): owner("codesigner"),
    ("POST", "/api/v1/scenarios/{scenario_id}/withdraw"): owner("codesigner"),
    # Review and safeguarding: any trainer.
    ("GET", "/review/scenarios"): TRAINER,
    ("GET", "/review/scenarios/{scenario_id}"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/claim"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/decision"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/flag"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/publish"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/release"): TRAINER,
    ("POST", "/review/scenarios/{scenario_id}/unpublish"): TRAINER,
    ("GET", "/review/asks"): TRAINER,
    ("GET", "/api/v1/review/scenarios"): TRAINER,
    ("GET", "/api/v1/review/scenarios/{scenario_id}"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/claim"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/decision"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/flag/resolve"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/publish"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/release"): TRAINER,
    ("POST", "/api/v1/review/scenarios/{scenario_id}/unpublish"): TRAINER,
    ("GET", "/api/v1/review/asks"): TRAINER,
    ("GET", "/safeguarding"): TRAINER,
    ("GET", "/safeguarding/{record_id}"): TRAINER,
    ("POST", "/safeguarding/{record_id}/resolve"): TRAINER,
    ("GET", "/api/v1/safeguarding"): TRAINER,
    ("GET", "/api/v1/safeguarding/{record_id}"): TRAINER,
    ("POST", "/api/v1/safeguarding/{record_id}/resolve"): TRAINER,
    # Cohorts: the trainers who manage one; admins see every cohort.
    ("GET", "/cohorts"): TRAINER_OR_ADMIN,
    ("POST", "/cohorts"): TRAINER_OR_ADMIN,
    ("GET", "/api/v1/cohorts"): TRAINER_OR_ADMIN,
    ("POST", "/api/v1/cohorts"): TRAINER_OR_ADMIN,
    ("GET", "/cohorts/{cohort_id}"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/name"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/trainers"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/members"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/members/bulk"): MANAGING_TRAINER,
    # Adding a practitioner by email only asks them; the trainer may take the request back.
    ("POST", "/cohorts/{cohort_id}/requests/{user_id}/withdraw"): MANAGING_TRAINER,
    ("GET", "/cohorts/{cohort_id}/members/{user_id}/remove"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/members/{user_id}/remove"): MANAGING_TRAINER,
    # Links made a moment ago show only in the browser that made them (tests/security/
    # test_shown_links.py); anyone else managing the cohort sees the cohort page.
    ("GET", "/cohorts/{cohort_id}/people-added/{batch}"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/assignments"): MANAGING_TRAINER,
    ("GET", "/cohorts/{cohort_id}/assignments/{assignment_id}/remove"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/assignments/{assignment_id}/remove"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/invitations"): MANAGING_TRAINER,
    ("GET", "/cohorts/{cohort_id}/invitations/new/{batch}"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/invitations/{invitation_id}/renew"): MANAGING_TRAINER,
    ("POST", "/cohorts/{cohort_id}/invitations/{invitation_id}/revoke"): MANAGING_TRAINER,
    ("PUT", "/api/v1/cohorts/{cohort_id}"): MANAGING_TRAINER,
    ("POST", "/api/v1/cohorts/{cohort_id}/members"): MANAGING_TRAINER,
    ("POST", "/api/v1/cohorts/{cohort_id}/members/bulk"): MANAGING_TRAINER,
    ("POST", "/api/v1/cohorts/{cohort_id}/invitations"): MANAGING_TRAINER,
    ("POST", "/api/v1/cohorts/{cohort_id}/assignments"): MANAGING_TRAINER,
    # Reports: trainers (their own cohorts only, filtered in the query) and admins.
    ("GET", "/reports/completion"): TRAINER_OR_ADMIN,
    ("GET", "/reports/completion.csv"): TRAINER_OR_ADMIN,
    ("GET", "/reports/completion/chart.svg"): TRAINER_OR_ADMIN,
    ("GET", "/reports/modules"): TRAINER_OR_ADMIN,
    ("GET", "/reports/modules/{slug}"): TRAINER_OR_ADMIN,
    ("GET", "/reports/modules/{slug}/questions"): TRAINER_OR_ADMIN,
    ("GET", "/reports/questions"): TRAINER_OR_ADMIN,
    ("GET", "/reports/practitioners/{user_id}"): MANAGING_TRAINER,
    ("GET", "/api/v1/reports/completion"): TRAINER_OR_ADMIN,
    ("GET", "/api/v1/reports/completion/people"): TRAINER_OR_ADMIN,
    ("GET", "/api/v1/reports/modules/{slug}"): TRAINER_OR_ADMIN,
    ("GET", "/api/v1/reports/modules/{slug}/questions"): TRAINER_OR_ADMIN,
    # Administration.
    ("GET", "/admin/users"): ADMIN,
    ("GET", "/admin/users/{user_id}"): ADMIN,
    ("POST", "/admin/users/{user_id}"): ADMIN,
    ("POST", "/admin/users/{user_id}/password-reset"): ADMIN,
    ("GET", "/admin/users/{user_id}/password-reset/{batch}"): ADMIN,
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/api/v1/admin/users"): ADMIN,
    ("GET", "/api/v1/admin/users/{user_id}"): ADMIN,
    ("PUT", "/api/v1/admin/users/{user_id}"): ADMIN,
    ("POST", "/api/v1/admin/users/{user_id}/password-reset"): ADMIN,
    ("GET", "/api/v1/audit"): ADMIN,
    # Learning-event deliveries: what is waiting or failing, and sending it again.
    ("GET", "/admin/events"): ADMIN,
    ("POST", "/admin/events/deliveries/{delivery_id}/retry"): ADMIN,
    ("POST", "/admin/events/retry"): ADMIN,
    ("GET", "/api/v1/admin/event-deliveries"): ADMIN,
    ("POST", "/api/v1/admin/event-deliveries/{delivery_id}/retry"): ADMIN,
    # LTI: a learning platform's browser, signed in or not; the launch carries its own proof.
    ("GET", "/lti/jwks"): PUBLIC,
    ("GET", "/lti/login"): PUBLIC,
    ("POST", "/lti/login"): PUBLIC,
    ("POST", "/lti/launch"): PUBLIC,
    # Choosing modules for a course: the instructor the deep-linking launch signed in
    # (anyone else's or an old choice is a 409: expired or made already).
    ("GET", "/lti/deep-link/{link_id}"): TRAINER,
    ("POST", "/lti/deep-link/{link_id}"): TRAINER,
}
