from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


class LockoutBackend(AxesStandaloneBackend):
    """django-axes's lockout check, marking the requests it refuses: their sign-in failure is a
    refusal during a lockout, not one more wrong password (accounts/events.py records which)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.gongkai_refused_while_locked = True
            raise
