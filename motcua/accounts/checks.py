"""Start-up check: MOTCUA_2FA_ROLES names roles that exist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from motcua.accounts.models import Role


def _second_factor_roles(**kwargs: Any) -> list[checks.CheckMessage]:
    unknown = sorted(set(settings.MOTCUA_2FA_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"MOTCUA_2FA_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Known roles: {', '.join(Role.values)}",
            id="motcua.accounts.E001",
        )
    ]


def register() -> None:
    checks.register(_second_factor_roles, checks.Tags.security)
