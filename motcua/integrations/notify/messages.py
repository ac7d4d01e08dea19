"""What the citizen reads: one template per kind of notification and language (``templates/notify/vi``
and ``en``), written for people. Prose is translated whole, so each language has its own file rather than
sentences scattered through a catalogue.

A template's first line is the e-mail subject, the rest the message; ``short`` is set for SMS and Zalo,
where the template leaves out what the status page shows. Dates are local time as ``dd/mm/yyyy HH:MM``.
The e-mail wraps the message with a greeting, the status page's link and a footer (``email.txt``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import timezone

from motcua.integrations.notify import sms

__all__ = ["KINDS", "LANGUAGES", "Message", "compose"]

LANGUAGES = ("vi", "en")
KINDS = (
    "submitted",
    "received",
    "rejected",
    "supplement_requested",
    "supplement_received",
    "stopped",
    "withdrawn",
    "refused",
    "apology",
    "result_ready",
    "returned",
    "feedback_received",
    "feedback_answered",
    "late_risk",
)
# Payload fields holding a moment (ISO text in the outbox row).
_MOMENTS = ("due_at", "submitted_at", "expires_at", "old_due", "new_due", "statutory_due")
# Plain text, not HTML: nothing is escaped.
_ENGINE = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=False)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str  # the short message (SMS, Zalo), without the link
    email: str  # the whole e-mail body, with the link

    def sms(self, link: str) -> str:
        """The SMS: the message and the link, folded to ASCII; the link always fits (the templates keep short
        texts short enough, and a test holds every kind to it), the text is cut before it if need be."""
        room = sms.MAX_LENGTH - len(link) - 1
        text = sms.fold(self.text)
        return f"{text if len(text) <= room else text[: room - 3] + '...'} {link}"


def _moment(value: Any) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _render(name: str, context: dict[str, Any]) -> str:
    return _ENGINE.get_template(name).render(Context(context)).strip()


def compose(kind: str, payload: Mapping[str, Any], *, link: str, language: str, name: str = "") -> Message:
    """The message of one outbox row; ``name`` is the addressee's for the e-mail's greeting."""
    language = language if language in LANGUAGES else LANGUAGES[0]
    context = {key: _moment(value) if key in _MOMENTS and value else value for key, value in payload.items()}
    template = f"notify/{language}/{kind if kind in KINDS else 'other'}.txt"
    subject, _, long = _render(template, {**context, "short": False}).partition("\n")
    short = _render(template, {**context, "short": True}).partition("\n")[2]
    email = _render(f"notify/{language}/email.txt", {"name": name, "message": long.strip(), "link": link})
    return Message(subject.strip(), " ".join(short.split()), email)
