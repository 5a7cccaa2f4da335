"""The scenarios room's public face: everything other rooms, the demo and the CLI may call.

Other rooms import this module only; the room's own pages and API call the modules that
own each concern (see ``app/scenarios/__init__.py``), which are the same functions.
"""

from __future__ import annotations

from app.scenarios.form import form_warnings
from app.scenarios.published import published_for_module
from app.scenarios.publishing import publish
from app.scenarios.records import AtAGlance, my_scenarios
from app.scenarios.records import at_a_glance as author_at_a_glance
from app.scenarios.review import ReviewAtAGlance, claim, decide
from app.scenarios.review import at_a_glance as review_at_a_glance
from app.scenarios.schemas import (
    STATUS_LABELS,
    Decision,
    DecisionIn,
    PublishedScenario,
    PublishedScenarioOut,
    ScenarioForm,
)
from app.scenarios.submission import Saved, save_scenario

__all__ = [
    "STATUS_LABELS",
    "AtAGlance",
    "Decision",
    "DecisionIn",
    "PublishedScenario",
    "PublishedScenarioOut",
    "ReviewAtAGlance",
    "Saved",
    "ScenarioForm",
    "author_at_a_glance",
    "claim",
    "decide",
    "form_warnings",
    "my_scenarios",
    "publish",
    "published_for_module",
    "review_at_a_glance",
    "save_scenario",
]
