from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "账号安全"

    def ready(self):
        # Sign-in, sign-out and lockout are reported by django.contrib.auth and django-axes as
        # signals; events.py writes them into the audit trail.
        from gongkai.accounts import events  # noqa: F401
        from gongkai.orgs.signals import password_set

        # orgs stores passwords; whether the holder must replace one is this app's rule.
        password_set.connect(_note_password_set, dispatch_uid="gongkai.accounts.password_set")


def _note_password_set(sender, *, user, by, **kwargs):
    from gongkai.accounts.passwords import note_password_set

    note_password_set(user, by=by)
