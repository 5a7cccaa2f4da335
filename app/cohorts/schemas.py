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
    display_name: str


class InvitationIn(BaseModel):
    email: str = Field(max_length=254)


class InvitationOut(BaseModel):
    id: int
    email: str
    url: str = Field(description="The single-use link; shown only now, stored only as a hash")
    expires_at: datetime


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
