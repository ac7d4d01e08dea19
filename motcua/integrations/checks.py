"""Deploy check: the keys shared with VNeID, the payment gateway, the post, the SMS gateway, Zalo, the
population database and the national portal are not the demo's.

The defaults let the demo and the tests reach the local simulators; a production site that kept them would
accept callbacks signed by anyone who has read this repository.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

DEMO_SECRETS = {
    "MOTCUA_VNEID_CLIENT_SECRET": "motcua-demo-secret",
    "MOTCUA_PAYMENT_SECRET": "motcua-demo-payment-key",
    "MOTCUA_POST_SECRET": "motcua-demo-post-key",
    "MOTCUA_SMS_SECRET": "motcua-demo-sms-key",
    "MOTCUA_ZALO_ACCESS_TOKEN": "motcua-demo-zalo-token",
    "MOTCUA_POPULATION_SECRET": "motcua-demo-population-key",
    "MOTCUA_PORTAL_SECRET": "motcua-demo-portal-key",
}


def _demo_secrets(**kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{name} still has the demo value.",
            hint=f"Set {name} to the key agreed with the operator (at least 32 random characters).",
            id="motcua.integrations.E001",
        )
        for name, demo in DEMO_SECRETS.items()
        if getattr(settings, name) == demo
    ]


def register() -> None:
    checks.register(_demo_secrets, checks.Tags.security, deploy=True)
