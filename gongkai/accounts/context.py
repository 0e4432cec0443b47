from django.conf import settings

from gongkai.orgs import access
from gongkai.orgs.roles import Perm


def security(request) -> dict:
    """What the workspace's platform menu may show, and the lockout period for its page."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "platform_may": {
            "view_audit": signed_in and access.can(user, Perm.VIEW_AUDIT),
            "manage_security": signed_in and access.can(user, Perm.MANAGE_SECURITY),
            "grant_roles": signed_in and access.can(user, Perm.GRANT_ROLES),
        },
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
