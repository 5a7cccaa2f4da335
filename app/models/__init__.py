"""Every table of Askwell; importing this package registers them all with SQLModel."""

from app.models.audit import AuditEvent
from app.models.auth import LoginAttempt, UserSession
from app.models.contributions import (
    SafeguardingFlag,
    Scenario,
    ScenarioTopic,
    ScenarioTransition,
)
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import QuizAnswer, QuizAttempt
from app.models.ratings import AskRating
from app.models.users import Role, User, UserRole

__all__ = [
    "AskRating",
    "AuditEvent",
    "Completion",
    "LoginAttempt",
    "ModuleProgress",
    "QuizAnswer",
    "QuizAttempt",
    "Role",
    "SafeguardingFlag",
    "Scenario",
    "ScenarioTopic",
    "ScenarioTransition",
    "SectionProgress",
    "User",
    "UserRole",
    "UserSession",
]
