"""What the auth API takes and returns."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from app.models.users import Role


@dataclass(frozen=True)
class Viewer:
    """The signed-in person for one request, loaded once."""

    id: int
    email: str
    display_name: str
    roles: frozenset[Role]
    session_id: str

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class LoginRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    roles: list[Role]

    @classmethod
    def of(cls, viewer: Viewer) -> UserOut:
        return cls(
            id=viewer.id,
            email=viewer.email,
            display_name=viewer.display_name,
            roles=sorted(viewer.roles),
        )


class LoginResponse(BaseModel):
    user: UserOut
    csrf_token: str


class PasswordChange(BaseModel):
    """PUT /api/v1/me/password: other sessions of the account end when it works."""

    current_password: str = Field(max_length=2000)
    new_password: str = Field(max_length=2000)


class DetailsIn(BaseModel):
    """PUT /api/v1/me: the name shown to trainers and on certificates; a co-designer's age band."""

    display_name: str = Field(max_length=2000)
    age_band: str | None = Field(default=None, max_length=20)
