"""Security events the views report (等保 8.1.4.3 安全审计; ASVS V7.2): refusals, personal data
read or downloaded, exports. Sign-in, sign-out, lockout and second-factor changes are recorded by
the accounts app (accounts/events.py), which hears them as signals.

Each row carries the request's id and the client's address (audit/context.py) and an outcome.
"""

from gongkai.audit.models import Action, Outcome
from gongkai.audit.services import record


def access_denied(request, reason: str) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is None:  # the public portal's refusals are not staff security events
        return
    record(actor=user, action=Action.ACCESS_DENIED, obj=user, outcome=Outcome.REFUSED,
           note=f"{request.method} {request.path}：{reason}"[:500])


def personal_data_read(*, actor, obj, agency, note: str, download: bool = False) -> None:
    record(actor=actor, action=Action.DOWNLOAD_PERSONAL if download else Action.VIEW_PERSONAL, obj=obj,
           agency=agency, note=note)


def exported(*, actor, obj, agency, note: str) -> None:
    record(actor=actor, action=Action.EXPORT, obj=obj, agency=agency, note=note)
