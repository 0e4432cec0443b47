from django.conf import settings
from django.db import models


class AccountState(models.Model):
    """The password's age and whether its holder must replace it (等保 身份鉴别: 口令定期更换,
    初始口令和重置后的口令须由本人修改). One row per account, made when a password is first set."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_state",
                                primary_key=True)
    password_changed_at = models.DateTimeField("密码设置时间")
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "账号状态"
        verbose_name_plural = "账号状态"

    def __str__(self):
        return self.user.username
