"""What the scenarios room refuses, each naming the form field it is about.

Pages show every message beside ``error.field`` (or each of ``error.errors`` beside its
own field); the API answers with the message alone, as ``{"detail": …}``.
"""

from __future__ import annotations

from app.core.errors import InvalidInput
from app.scenarios.personal_details import KIND_LABELS, Finding


class ScenarioInvalid(InvalidInput):
    """Field-by-field problems with what a co-designer typed, so a form can show each beside
    its field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(f"{message}." for message in errors.values()), errors=errors)


class DecisionInvalid(InvalidInput):
    """Every problem with a decision at once, each under the field it is about, so the form
    can show them all together in its error summary."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), errors=errors)


class StillPersonal(InvalidInput):
    """The published text still holds details that look personal and were not confirmed."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        listed = "; ".join(f"{KIND_LABELS[f.kind].lower()} “{f.text}”" for f in findings)
        super().__init__(
            f"The published text or credit still has details that look personal: {listed}. "
            "Take them out, or confirm each one is not personal.",
            field="published_text",
            code="still_personal",
        )


class LeftoverPlaceholders(InvalidInput):
    """The published text still holds a label like [name] that nobody has looked at."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        listed = ", ".join(labels)
        super().__init__(
            f"The published text still has {listed} from the suggested text. Rewrite "
            f"{'it' if len(labels) == 1 else 'them'} so the story reads naturally, or confirm "
            "practitioners should read it as it is.",
            field="placeholders_confirmed",
            code="placeholders_left",
        )


class NoModulesChosen(InvalidInput):
    """A scenario cannot be published into no module, or into one that does not exist."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="modules", code="no_modules")
