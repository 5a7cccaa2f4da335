"""What the cohorts API takes and returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class CohortIn(BaseModel):
    name: str = Field(max_length=500)


class CohortOut(BaseModel):
    id: int
    name: str


class CohortListItem(CohortOut):
    members: int
    assignments: int


class MemberIn(BaseModel):
    email: str = Field(max_length=254)


class MemberOut(BaseModel):
    user_id: int
    email: str
    display_name: str = Field(
        description="Empty until they accept: a trainer learns nothing of them before that"
    )
    status: str = Field(
        default="added",
        description="added (by an admin) or asked (waiting for them to accept on Askwell)",
    )


class CohortForPractitionerOut(BaseModel):
    """A cohort as its practitioner sees it: who would see, or sees, their progress."""

    cohort_id: int
    name: str
    trainers: list[str]
    since: datetime


class PeopleIn(BaseModel):
    """Many addresses at once, as pasted: one a line, or separated by commas or semicolons."""

    emails: str = Field(max_length=200_000)
    invite_the_rest: bool = True


class InvitationIn(BaseModel):
    email: str = Field(max_length=254)


class InvitationOut(BaseModel):
    id: int
    email: str
    url: str = Field(description="The single-use link; shown only now, stored only as a hash")
    expires_at: datetime


class PeopleAddedOut(BaseModel):
    added: list[str]
    asked: list[str] = Field(
        default_factory=list,
        description="Practitioners asked to join: they appear once they accept",
    )
    already_members: list[str]
    invited: list[InvitationOut]
    already_invited: list[str]
    cannot_add: list[str] = Field(
        description="Addresses that could not be added or invited, whatever the reason, sorted"
    )
    not_practitioners: list[str] = Field(
        description="Deprecated: always empty; read cannot_add", deprecated=True
    )
    without_account: list[str] = Field(
        description="Deprecated: the same as cannot_add; read cannot_add", deprecated=True
    )
    not_addresses: list[str]


class AssignmentIn(BaseModel):
    module_slug: str = Field(max_length=100)
    due_date: date
    recur_days: int | None = Field(default=None, description="Refresh every this many days")


class AssignmentOut(BaseModel):
    id: int
    cohort_id: int
    module_slug: str
    due_date: date
    recur_days: int | None
