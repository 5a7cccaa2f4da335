"""The risk words and support services now live in the safeguarding room; kept importable."""

from app.safeguarding.service import SUPPORT_SERVICES, RiskCheck, check_risk

__all__ = ["SUPPORT_SERVICES", "RiskCheck", "check_risk"]
