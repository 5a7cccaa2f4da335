"""A verified certificate, as the public verification API returns it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from app.certificates.service import Certificate


class VerificationOut(BaseModel):
    genuine: bool
    holder_name: str
    module_title: str
    version: int
    completed_on: date
    minutes: int

    @classmethod
    def of(cls, certificate: Certificate) -> VerificationOut:
        return cls(
            genuine=True,
            holder_name=certificate.holder_name,
            module_title=certificate.module_title,
            version=certificate.version,
            completed_on=certificate.completed_at.date(),
            minutes=certificate.minutes,
        )
