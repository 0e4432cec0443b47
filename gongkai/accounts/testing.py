"""For tests: sign a person in with their second factor already passed in this session.

Most view tests are about something else than signing in; they use this instead of the real
password-and-code flow (which accounts/tests/ drive end to end). The device is enrolled through
the same TOTP model the enrolment page confirms, and the session is marked verified through
django-otp's public ``login()``, as the verify page does.
"""

import time

from django.test import RequestFactory
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.twofactor import TOTP_NAME


def verified_login(client, user):
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()
    return client


def current_code(device, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (or ``steps_ahead`` periods later:
    a code is accepted once, so a second sign-in within one period uses the next one)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
