"""Consent to SMS and Zalo: asked at the counter and online, recorded with its time, source and who
recorded it; no text message to anyone who did not agree; the messages in the language chosen."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.dossiers import actions
from motcua.dossiers.actions import Consent
from motcua.dossiers.models import ConsentSource, Dossier, Notification, NotificationChannel, NotificationConsent

from . import factories as f
from .conftest import Clock


def _received(w: f.World, consent: Consent | None = None, **applicant: str) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(**applicant),
        documents=f.full_checklist(w.procedure),
        consent=consent,
    )


def _channels(d: Dossier) -> set[tuple[str, str, str]]:
    return {(n.channel, n.recipient, n.payload["language"]) for n in Notification.objects.filter(dossier=d)}


def test_without_consent_only_the_email_goes(w: f.World, clock: Clock) -> None:
    d = _received(w)
    assert _channels(d) == {(NotificationChannel.EMAIL, "an.nguyen@example.org", "vi")}
    assert not NotificationConsent.objects.exists()


def test_consent_at_the_counter_is_recorded_and_followed(w: f.World, clock: Clock) -> None:
    d = _received(w, Consent(sms=True, zalo=True, language="en"))
    consent = NotificationConsent.objects.get(dossier=d)
    assert (consent.sms, consent.zalo, consent.language) == (True, True, "en")
    assert consent.source == ConsentSource.COUNTER and consent.recorded_by == w.receiver.user
    assert consent.recorded_at == f.at(2024, 7, 15, 9, 0)
    assert _channels(d) == {
        (NotificationChannel.EMAIL, "an.nguyen@example.org", "en"),
        (NotificationChannel.SMS, "0912345678", "en"),
        (NotificationChannel.ZALO, "0912345678", "en"),
    }


def test_consent_to_sms_only(w: f.World, clock: Clock) -> None:
    d = _received(w, Consent(sms=True))
    assert {c for c, _, _ in _channels(d)} == {NotificationChannel.EMAIL, NotificationChannel.SMS}


def test_consent_needs_a_phone_and_a_known_language(w: f.World, clock: Clock) -> None:
    with pytest.raises(ValidationError) as caught:
        _received(w, Consent(zalo=True, language="fr"), phone="")
    assert set(caught.value.message_dict) == {"phone", "language"}
    assert not Dossier.objects.exists() and not NotificationConsent.objects.exists()


def test_online_consent_is_the_citizens_and_the_newest_applies(w: f.World, clock: Clock) -> None:
    def draft(consent: Consent, dossier: Dossier | None = None) -> Dossier:
        return actions.save_draft(
            actor=w.citizen,
            procedure=w.procedure,
            receiving_agency=w.commune,
            applicant=f.applicant(),
            documents=f.full_checklist(w.procedure, files=dossier is None),
            dossier=dossier,
            consent=consent,
        )

    d = draft(Consent(sms=True))
    draft(Consent(sms=True), d)  # saved again unchanged: nothing new to record
    clock.set(f.at(2024, 7, 15, 10, 0))
    draft(Consent(zalo=True), d)  # changed her mind: Zalo instead of SMS
    rows = list(NotificationConsent.objects.filter(dossier=d).values_list("sms", "zalo", "source", "recorded_at"))
    assert rows == [
        (False, True, ConsentSource.ONLINE, f.at(2024, 7, 15, 10, 0)),
        (True, False, ConsentSource.ONLINE, f.at(2024, 7, 15, 9, 0)),
    ]
    assert NotificationConsent.objects.filter(dossier=d, recorded_by=w.citizen.user).count() == 2
    submitted = actions.submit_online(actor=w.citizen, dossier=d)
    assert {c for c, _, _ in _channels(submitted)} == {NotificationChannel.EMAIL, NotificationChannel.ZALO}
