from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "账号安全"

    def ready(self):
        # Sign-in, sign-out and lockout are reported by django.contrib.auth and django-axes as
        # signals; events.py writes them into the audit trail.
        from gongkai.accounts import events  # noqa: F401
