"""Deploy check: the keys shared with VNeID, the payment gateway, the post, the SMS gateway, Zalo, the
population database and the national portal are not the demo's, and signed results neither trust nor use
the demo CA.

The defaults let the demo and the tests reach the local simulators; a production site that kept them would
accept callbacks signed by anyone who has read this repository.
"""

from __future__ import annotations

from pathlib import Path
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
    "MOTCUA_ESIGN_PASSPHRASE": "motcua-demo-esign",
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


def _demo_signature(**kwargs: Any) -> list[checks.CheckMessage]:
    """Results signed by the demo CA (whose key sits on this machine, made by ``demo_ca``) prove nothing;
    a production site trusts its providers' roots and signs with the agency's own certificate."""
    from motcua.integrations.esign.ca import is_demo_root

    demo_roots = [name for name in settings.MOTCUA_ESIGN_TRUST_ROOTS if _is_demo_file(name, is_demo_root)]
    if not demo_roots:
        return []
    return [
        checks.Error(
            f"MOTCUA_ESIGN_TRUST_ROOTS trusts the demo CA ({', '.join(demo_roots)}).",
            hint="List the PEM roots of the licensed signature providers instead.",
            id="motcua.integrations.E002",
        )
    ]


def _is_demo_file(name: str, is_demo_root: Any) -> bool:
    try:
        return bool(is_demo_root(Path(name).read_bytes()))
    except (OSError, ValueError):
        return False  # a missing or unreadable root is reported when a signature is checked


def register() -> None:
    checks.register(_demo_secrets, checks.Tags.security, deploy=True)
    checks.register(_demo_signature, checks.Tags.security, deploy=True)
