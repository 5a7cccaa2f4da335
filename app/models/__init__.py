"""Every table of Askwell; importing this package registers them all with SQLModel."""

from app.models.audit import AuditEvent
from app.models.auth import LoginAttempt, UserSession
from app.models.cohorts import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortTrainer,
)
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import QuizAnswer, QuizAttempt
from app.models.users import Role, User, UserRole

__all__ = [
    "Assignment",
    "AuditEvent",
    "Cohort",
    "CohortInvitation",
    "CohortMember",
    "CohortTrainer",
    "Completion",
    "LoginAttempt",
    "ModuleProgress",
    "QuizAnswer",
    "QuizAttempt",
    "Role",
    "SectionProgress",
    "User",
    "UserRole",
    "UserSession",
]
