"""What registering a learning platform takes."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator


class PlatformIn(BaseModel):
    """A platform's registration, as its admin screens show it."""

    name: str = Field(min_length=1, max_length=120)
    issuer: str = Field(min_length=1, max_length=500)
    client_id: str = Field(min_length=1, max_length=200)
    auth_login_url: str = Field(min_length=1, max_length=1000)
    auth_token_url: str = Field(min_length=1, max_length=1000)
    key_set_url: str = Field(min_length=1, max_length=1000)
    deployment_ids: list[str] = Field(min_length=1, max_length=50)

    @field_validator("auth_login_url", "auth_token_url", "key_set_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https://")
        return value

    @field_validator("deployment_ids")
    @classmethod
    def _deployments(cls, values: list[str]) -> list[str]:
        cleaned = [value.strip() for value in values if value.strip()]
        if not cleaned or any(len(value) > 200 for value in cleaned):
            raise ValueError("give at least one deployment id of up to 200 characters")
        return cleaned
