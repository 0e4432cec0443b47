"""The codes the public keeps to find their own records again: an application's or a message's
tracking code with its secret, a comment's receipt code. One alphabet and one keyed digest for all.
"""

import hmac
import secrets

from django.conf import settings

# No 0/O/1/I: codes are read out over the phone and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
SECRET_LENGTH = 8


def random_text(length: int) -> str:
    """``length`` characters of CODE_ALPHABET from one read of the system's random source (where
    secrets.choice makes one per character). Each byte picks a character by its remainder: 256 is
    a multiple of 32, so every character is equally likely."""
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in secrets.token_bytes(length))


if 256 % len(CODE_ALPHABET):
    raise RuntimeError("CODE_ALPHABET must have a length that divides 256, or random_text is biased")


def new_code() -> str:
    return random_text(CODE_LENGTH)


def new_secret() -> str:
    return random_text(SECRET_LENGTH)


def secret_digest(code: str, secret: str, *, scope: str = "") -> str:
    """What is stored instead of the secret. Keyed with the installation secret, so a leaked
    database alone reveals none; ``scope`` keeps one kind of record's digests apart from another's."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}{code}:{secret.upper()}".encode(), "sha256").hexdigest()


def secret_matches(stored_digest: str, code: str, secret: str, *, scope: str = "") -> bool:
    return hmac.compare_digest(stored_digest, secret_digest(code, secret or "", scope=scope))
