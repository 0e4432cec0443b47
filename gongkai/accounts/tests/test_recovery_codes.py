"""Recovery codes are kept as salted hashes: usable once, unreadable from the database, and the
clear static tokens of before are converted by migration accounts.0003."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from gongkai.accounts import twofactor
from gongkai.accounts.models import RecoveryCode, RecoveryCodeDevice, normalise_recovery_code
from gongkai.accounts.tests.test_signin import enrol, sign_in

hashing_migration = importlib.import_module("gongkai.accounts.migrations.0003_static_tokens_hashed")


def _issue(user) -> list[str]:
    return twofactor._issue_recovery_codes(user)


def test_each_code_works_once_and_a_wrong_one_is_refused(world):
    codes = _issue(world.admin_a)
    device = RecoveryCodeDevice.objects.get(user=world.admin_a)
    assert device.verify_token(codes[3].upper()) is True
    device.throttle_reset()
    assert device.verify_token(codes[3]) is False
    device.throttle_reset()
    assert device.verify_token("abcde-fghij") is False
    device.throttle_reset()
    assert device.verify_token(normalise_recovery_code(codes[4])) is True
    assert twofactor.recovery_codes_left(world.admin_a) == 8


def test_wrong_codes_are_throttled_like_other_devices(world):
    codes = _issue(world.admin_a)
    device = RecoveryCodeDevice.objects.get(user=world.admin_a)
    assert device.verify_token("zzzzz-zzzzz") is False
    # django-otp's throttling: right after a failure even a right code must wait.
    assert device.verify_token(codes[0]) is False
    assert twofactor.recovery_codes_left(world.admin_a) == 10


def test_the_codes_cannot_be_read_from_the_database(world):
    codes = [normalise_recovery_code(code) for code in _issue(world.admin_a)]
    assert len(codes) == 10 and all(len(code) == 10 for code in codes) and len(set(codes)) == 10
    quote = connection.ops.quote_name
    dumped = []
    for model in (RecoveryCode, RecoveryCodeDevice, StaticToken):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)}")
            dumped += [str(value) for row in cursor.fetchall() for value in row]
    text = "\n".join(dumped).lower()
    assert not any(code in text for code in codes)
    stored = RecoveryCode.objects.filter(device__user=world.admin_a).values_list("code_hash", flat=True)
    assert len(stored) == 10 and all(value.count("$") >= 2 for value in stored)  # Django's hasher format


def test_codes_hashed_under_an_earlier_hasher_still_work(world, settings):
    codes = _issue(world.admin_a)  # under the test settings' hasher (MD5)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    device = RecoveryCodeDevice.objects.get(user=world.admin_a)
    assert device.verify_token(codes[0]) is True
    device.throttle_reset()
    assert device.verify_token(codes[0]) is False


def test_the_migration_converts_clear_static_tokens_and_they_still_sign_in(world, client):
    sign_in(client, "admin_a")
    enrol(client, world.admin_a)
    RecoveryCodeDevice.objects.filter(user=world.admin_a).delete()
    # Recovery codes as the former code stored them: django-otp static tokens, in clear.
    static = StaticDevice.objects.create(user=world.admin_a, name="恢复码", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=t) for t in ("ab2cd3ef", "gh4ij5kl")])

    hashing_migration.hash_static_tokens(apps, connection.schema_editor())

    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    device = RecoveryCodeDevice.objects.get(user=world.admin_a)
    hashes = list(device.codes.values_list("code_hash", flat=True))
    assert len(hashes) == 2 and not any("ab2cd3ef" in h or "gh4ij5kl" in h for h in hashes)
    client.post(reverse("staff:logout"))
    sign_in(client, "admin_a")
    response = client.post(reverse("accounts:verify"), {"token": "AB2C D3EF"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert twofactor.recovery_codes_left(world.admin_a) == 1


@pytest.mark.parametrize("typed", ["abcde-fghij", " ABCDE FGHIJ ", "abcdefghij"])
def test_case_spaces_and_the_dash_do_not_matter(typed):
    assert normalise_recovery_code(typed) == "abcdefghij"
