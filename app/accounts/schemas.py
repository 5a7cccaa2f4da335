"""Accounts as admins see and change them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.models.users import Role


class AccountOut(BaseModel):
    id: int
    email: str
    display_name: str
    roles: list[Role]
    is_active: bool
    created_at: datetime


class AccountList(BaseModel):
    accounts: list[AccountOut]
    page: int
    has_more: bool


class AccountUpdate(BaseModel):
    roles: list[Role] = Field(min_length=1, max_length=4)
    is_active: bool


class PasswordResetOut(BaseModel):
    url: str = Field(description="The single-use link; shown only now, stored only as a hash")
    expires_at: datetime
