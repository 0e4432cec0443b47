"""What the supervision pages share: the office in the URL, checked, and a service call whose
refusal becomes a 403 and whose other errors are shown on the page."""

from django.core.exceptions import PermissionDenied

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import oversight
from gongkai.web.scope import agency_for


def office_for(request, code):
    """The agency in the URL, if the signed-in person supervises from it (oversight.may_oversee)."""
    office = agency_for(request, code)
    if not oversight.may_oversee(request.user, office):
        raise PermissionDenied(f"您不是“{office.name}”的监督机构。")
    return office


def call_service(fn, **kwargs):
    """(result, None), or (None, the ServiceError to show); a PermissionDeniedError becomes a 403."""
    try:
        return fn(**kwargs), None
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        return None, exc
