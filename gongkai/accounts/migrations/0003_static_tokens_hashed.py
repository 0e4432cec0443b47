"""Recovery codes issued before 0002 were django-otp static tokens, stored as typed. Each set
becomes a RecoveryCodeDevice holding the same codes as salted hashes, and the clear tokens are
deleted, so the codes people wrote down keep working and the database no longer holds them.
There is no way back: the reverse leaves the hashed sets as they are."""

from django.contrib.auth.hashers import make_password
from django.db import migrations
from django.utils.crypto import get_random_string


def hash_static_tokens(apps, schema_editor):
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for static in StaticDevice.objects.all().iterator():
        salt = get_random_string(22)
        device = RecoveryCodeDevice.objects.create(
            user_id=static.user_id, name=static.name, confirmed=static.confirmed, salt=salt,
            last_used_at=static.last_used_at,
        )
        tokens = static.token_set.values_list("token", flat=True)
        # Normalised as accounts.models.normalise_recovery_code does for what people type.
        RecoveryCode.objects.bulk_create([
            RecoveryCode(device=device, code_hash=make_password(token.strip().lower().replace("-", ""), salt=salt))
            for token in tokens
        ])
        static.delete()  # its tokens go with it (CASCADE)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_recovery_codes_hashed"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_static_tokens, migrations.RunPython.noop),
    ]
