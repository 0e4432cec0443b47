"""Test settings: production settings with a fast password hasher (hashing dominates test time)."""

from gongkai.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
