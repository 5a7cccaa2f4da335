"""Generations of what every worker may keep in memory, changed by the database itself.

A row's ``generation`` is replaced with a new random number, by triggers the migration
makes, whenever what it stands for changes: so every worker on every machine learns of a
change at its next read of one small row, and no code path can forget to say so.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

PUBLISHED_SCENARIOS = "published_scenarios"


class CacheGeneration(SQLModel, table=True):
    __tablename__ = "cache_generations"

    name: str = Field(primary_key=True, max_length=40)
    generation: int = Field(sa_column=Column(BigInteger, nullable=False))
