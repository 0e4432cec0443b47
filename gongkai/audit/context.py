"""The request an audit row is written in: its id and the client's address.

A middleware (gongkai.accounts.middleware.RequestIdMiddleware) sets this for each request, so every
row ``audit.services.entry`` builds carries them without each service passing the request along.
Outside a request (the command line, cron, workers) both stay empty.
"""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    source_ip: str | None = None


OUTSIDE_A_REQUEST = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("gongkai_audit_request", default=None)


def current() -> RequestContext:
    return _current.get() or OUTSIDE_A_REQUEST


def bind(context: RequestContext) -> contextvars.Token:
    return _current.set(context)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)
