"""The one shape of a staff button: run a service, report the outcome as a message, go back.

A refused permission becomes 403; any other ServiceError is shown in Chinese on the page the
person came from, and nothing was changed (services write in one transaction).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from gongkai.errors import PermissionDeniedError, ServiceError


def run_and_return(request, action, success: str, to: str, **url_kwargs):
    try:
        action()
    except PermissionDeniedError as error:
        raise PermissionDenied(error.message) from error
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(to, **url_kwargs)
