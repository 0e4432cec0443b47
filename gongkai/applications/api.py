"""JSON API v1 for applicants' software: submit an application, read its status.

Errors are ``{"error": {"code", "message", "field"}}`` with stable English codes and Chinese
messages; invalid input never creates a record. The OpenAPI document is openapi.py.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.applications import clockkeeping, intake
from gongkai.applications.openapi import DOCUMENT
from gongkai.errors import ServiceError
from gongkai.web.ratelimit import allow

API_FIELDS = ("agency_code", "submission_key", *intake.APPLICANT_FIELDS)


def _error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "field": field}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _ok(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # no cookies are read: the API is authenticated by nothing but the tracking secret
@require_http_methods(["POST"])
def submit(request):
    if not allow(request, "apply", limit=settings.GONGKAI_APPLY_PER_HOUR, window_seconds=3600):
        return _error(429, "RATE_LIMITED", "提交过于频繁，请稍后再试。")
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "JSON_INVALID", "请求体应为 UTF-8 编码的 JSON 对象。")
    if not isinstance(payload, dict):
        return _error(400, "JSON_INVALID", "请求体应为 JSON 对象。")
    # Every field is text: a number, list or object is refused rather than turned into its repr.
    # Fields the API does not know are ignored, as they always were.
    for name in API_FIELDS:
        if (value := payload.get(name)) is not None and not isinstance(value, str):
            return _error(400, "FIELD_NOT_STRING", f"字段“{name}”应为字符串。", name)
    key = str(payload.get("submission_key", "") or "")
    agency = intake.accepting_agency(str(payload.get("agency_code", "")))
    if agency is None:
        # A resent submission (same key) gets the first answer again even if its agency has stopped
        # accepting since: the key names that submission, and the client needs nothing but its code.
        earlier = intake.earlier_submission(key)
        if earlier is None:
            return _error(404, "AGENCY_NOT_FOUND", "找不到该受理机关。", "agency_code")
        application, secret = earlier, None
    else:
        data = {k: str(payload.get(k, "") or "") for k in intake.APPLICANT_FIELDS}
        try:
            # A repeat (same key, or the same request within the hour) is answered with the first one.
            application, secret = intake.submit_online(agency=agency, data=data, submission_key=key)
        except ServiceError as error:
            return _error(400, error.code, error.message, error.field)
    # The key comes back so that a client sending many submissions at once can match each answer.
    body = {"tracking_code": application.tracking_code, "secret": secret, "submission_key": application.submission_key,
            "status": application.status,
            "received_on": application.received_on.isoformat(),
            "due_on": application.due_on.isoformat() if application.due_on else None,
            # False while the due date runs into a year whose holiday notice is not entered (an estimate).
            "calendar_confirmed": application.due_confirmed, "repeat": secret is None}
    return _ok(body, status=201 if secret else 200)


@csrf_exempt  # a GET that reads no cookies; without this an unknown method got CSRF's 403, not 405
@require_GET
def status(request, code):
    if not allow(request, "track", limit=settings.GONGKAI_TRACK_PER_HOUR, window_seconds=3600):
        return _error(429, "RATE_LIMITED", "查询过于频繁，请稍后再试。")
    # Header only: a secret in the query string ends up in proxy and server logs.
    secret = request.headers.get("X-Tracking-Secret", "")
    application = intake.find_by_code(code, secret)
    if application is None:
        return _error(404, "APPLICATION_NOT_FOUND", "查询码或查询密码不正确。")
    state = clockkeeping.state_of(application)
    return _ok({
        "tracking_code": application.tracking_code, "agency": {"code": application.agency.code, "name": application.agency.name},
        "status": application.status, "status_label": application.get_status_display(),
        "received_on": application.received_on.isoformat(), "due_on": state.due.isoformat() if state.due else None,
        "clock_state": state.state, "calendar_confirmed": state.calendar_confirmed, "clock_steps": state.steps,
        "reply_type": application.reply_type or None, "closed_on": application.closed_on.isoformat() if application.closed_on else None,
        "letters": [{"kind": letter.kind, "title": letter.title, "number": letter.number,
                     "issued_at": letter.issued_at.isoformat()}
                    for letter in application.letters.filter(issued_at__isnull=False).exclude(kind="third_party")],
    })


@require_GET
def openapi(request):
    return _ok(DOCUMENT)
