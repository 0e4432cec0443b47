"""For tests: sign a person in with their second factor already passed in this session.

Most view tests are about something else than signing in; they use this instead of the real
password-and-code flow (which accounts/tests/ drive end to end). The device is enrolled through
the same TOTP model the enrolment page confirms, and the session is marked verified through
django-otp's public ``login()``, as the verify page does.
"""

import base64
import hashlib
import json
import os
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


class SoftwareKey:
    """A security key in software for tests that drive the WebAuthn endpoints without a browser:
    it answers the server's options as a FIDO2 authenticator would (ES256 key, "none"
    attestation, user present and verified), so django-otp-webauthn's real verification runs on
    its answers. The browser journey (tests/browser/test_security_key_sign_in.py) uses
    Chromium's own virtual authenticator instead."""

    def __init__(self, origin: str = "http://localhost"):
        from cryptography.hazmat.primitives.asymmetric import ec

        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0

    @staticmethod
    def _b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def _authenticator_data(self, rp_id: str, *, attested: bytes = b"") -> bytes:
        self.sign_count += 1
        flags = 0x01 | 0x04 | (0x40 if attested else 0)  # user present, user verified, attested data
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + self.sign_count.to_bytes(4, "big") + attested

    def register(self, options: dict) -> dict:
        """The browser's answer to registration options (navigator.credentials.create)."""
        import cbor2

        numbers = self.private_key.public_key().public_numbers()
        cose_key = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id + cose_key
        auth_data = self._authenticator_data(options["rp"]["id"], attested=attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": self._b64(self.credential_id), "rawId": self._b64(self.credential_id), "type": "public-key",
            "response": {"clientDataJSON": self._b64(self._client_data("webauthn.create", options["challenge"])),
                         "attestationObject": self._b64(attestation), "transports": ["usb"]},
            "clientExtensionResults": {"credProps": {"rk": False}}, "authenticatorAttachment": "cross-platform",
        }

    def sign_in(self, options: dict, *, tamper: bool = False) -> dict:
        """The browser's answer to authentication options (navigator.credentials.get); with
        ``tamper`` the signature covers other data, as a forged answer would."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._authenticator_data(options["rpId"])
        signed = auth_data + hashlib.sha256(client_data + (b"x" if tamper else b"")).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": self._b64(self.credential_id), "rawId": self._b64(self.credential_id), "type": "public-key",
            "response": {"clientDataJSON": self._b64(client_data), "authenticatorData": self._b64(auth_data),
                         "signature": self._b64(signature)},
            "clientExtensionResults": {}, "authenticatorAttachment": "cross-platform",
        }
