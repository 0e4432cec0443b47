"""Request ids for the audit trail, and the gate every signed-in request passes.

The gate (等保 8.1.4.1 身份鉴别; ASVS V2, V3.3) lets a signed-in person reach only:
- the password page, while their password must be replaced (set by an administrator, or older
  than GONGKAI_PASSWORD_MAX_AGE_DAYS);
- the enrolment and verification pages, until this session has passed the second factor;
and it ends a session left idle for GONGKAI_IDLE_TIMEOUT_MINUTES (登录连接超时自动退出).
"""

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.accounts import passwords, twofactor
from gongkai.audit import context
from gongkai.web.client_address import client_ip

LAST_SEEN_KEY = "gongkai_last_seen"
# The password is checked once per session: a new password ends the person's other sessions
# (Django's session hash), so one set by an administrator is always met by a fresh sign-in.
PASSWORD_CHECKED_KEY = "gongkai_password_checked"
# The last-seen time is written back only when it is this stale, so that a person clicking through
# pages does not write their session on every request (writes queue behind each other on SQLite).
LAST_SEEN_RESOLUTION_SECONDS = 60


class RequestIdMiddleware:
    """Gives each request an id (also sent back as X-Request-ID) and binds it, with the client's
    address, to the audit rows written while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = context.bind(context.RequestContext(request_id=request.request_id,
                                                    source_ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = request.request_id
        return response


def _open_paths() -> tuple[str, ...]:
    # A security key is used on the verification page, so its ceremony is open like that page;
    # registering one is not: only a session that passed the second factor may add a key.
    return (reverse("staff:logout"), reverse("accounts:verify"), reverse("accounts:enrol"),
            reverse("otp_webauthn:credential-authentication-begin"),
            reverse("otp_webauthn:credential-authentication-complete"),
            reverse("otp_webauthn:js-i18n-catalog"))


class StaffGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if self._idle_too_long(request):
            request.gongkai_logout_reason = f"闲置超过{settings.GONGKAI_IDLE_TIMEOUT_MINUTES}分钟，自动退出"
            logout(request)
            messages.info(request, f"您已{settings.GONGKAI_IDLE_TIMEOUT_MINUTES}分钟没有操作，为保护账号已自动退出，请重新登录。")
            return redirect(f"{reverse('staff:login')}?next={request.path}")
        if not request.path.startswith("/staff/") or request.path in _open_paths():
            return self.get_response(request)
        if not user.is_verified():
            target = "accounts:verify" if twofactor.is_enrolled(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?next={request.path}")
        if not request.session.get(PASSWORD_CHECKED_KEY):
            reason = passwords.password_change_reason(user)
            if reason:
                if request.path != reverse("staff:password"):
                    messages.warning(request, reason)
                    return redirect("staff:password")
            else:
                request.session[PASSWORD_CHECKED_KEY] = True
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(request) -> bool:
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.GONGKAI_IDLE_TIMEOUT_MINUTES * 60:
            return True
        if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return False
