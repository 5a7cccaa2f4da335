"""Every table of Askwell; importing this package registers them all with SQLModel."""

from app.models.audit import AuditEvent
from app.models.auth import LoginAttempt, PasswordReset, ShownLink, UserSession
from app.models.cache import CacheGeneration
from app.models.cohorts import (
    Assignment,
    Cohort,
    CohortInvitation,
    CohortMember,
    CohortRequest,
    CohortTrainer,
)
from app.models.contributions import (
    Scenario,
    ScenarioModule,
    ScenarioTopic,
    ScenarioTransition,
)
from app.models.events import EventDelivery, EventDestination, LearningEvent
from app.models.lti import (
    LtiDeployment,
    LtiGradeTarget,
    LtiIdentity,
    LtiPlatform,
    LtiStoredValue,
    LtiToolKey,
)
from app.models.progress import Completion, ModuleProgress, SectionProgress
from app.models.quizzes import FirstQuizAttempt, QuestionTally, QuizAnswer, QuizAttempt
from app.models.ratings import AskRating
from app.models.reflections import Reflection
from app.models.refresh import (
    ChangeAcknowledgement,
    RefreshCheck,
    RefresherAnswer,
    RefresherCard,
    RefresherSession,
    SectionSnapshot,
)
from app.models.safeguarding import SafeguardingRecord
from app.models.search import SearchDocument
from app.models.users import Role, User, UserRole

__all__ = [
    "AskRating",
    "Assignment",
    "AuditEvent",
    "CacheGeneration",
    "ChangeAcknowledgement",
    "Cohort",
    "CohortInvitation",
    "CohortMember",
    "CohortRequest",
    "CohortTrainer",
    "Completion",
    "EventDelivery",
    "EventDestination",
    "LearningEvent",
    "LoginAttempt",
    "LtiDeployment",
    "LtiGradeTarget",
    "LtiIdentity",
    "LtiPlatform",
    "LtiStoredValue",
    "LtiToolKey",
    "PasswordReset",
    "FirstQuizAttempt",
    "ModuleProgress",
    "QuestionTally",
    "QuizAnswer",
    "QuizAttempt",
    "Reflection",
    "RefreshCheck",
    "RefresherAnswer",
    "RefresherCard",
    "RefresherSession",
    "Role",
    "SafeguardingRecord",
    "Scenario",
    "ScenarioModule",
    "ScenarioTopic",
    "ScenarioTransition",
    "SearchDocument",
    "SectionProgress",
    "SectionSnapshot",
    "ShownLink",
    "User",
    "UserRole",
    "UserSession",
]
