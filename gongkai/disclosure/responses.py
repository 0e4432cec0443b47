"""回应关切: what a response answers, how long the first response took, and which were late.

The limits (settings.GONGKAI_CONCERN_RESPONSE_HOURS, GONGKAI_CONCERN_PRESS_CONFERENCE_HOURS) count
clock hours from the moment the concern surfaced, not working days: a 舆情 does not wait for
Monday. They follow the national guidance summarised in spec supervision.md §6 (UNCONFIRMED).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from gongkai.disclosure.models import ConcernLevel, ConcernResponse, Disclosure, Status
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError

CONCERN_FIELDS = ["description", "source_url", "surfaced_at", "level", "responded_at", "response_channel"]
DESCRIPTION_MAX = 2000
_LEVELS = frozenset(ConcernLevel.values)
# Links the portal shows as clickable: only web addresses, never javascript: or data: URLs.
_WEB_URL = URLValidator(schemes=["http", "https"])


def web_url(value: str, *, code: str, field: str, label: str) -> str:
    """``value`` stripped, or a ServiceError unless it is an http(s) address."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 500:
        raise ServiceError(code, f"“{label}”不能超过500个字符。", field=field)
    try:
        _WEB_URL(value)
    except ValidationError:
        raise ServiceError(code, f"“{label}”应为以 https:// 或 http:// 开头的网址。", field=field) from None
    return value


def limit_hours(level: str) -> int:
    return settings.GONGKAI_CONCERN_RESPONSE_HOURS[level]


def response_time(surfaced_at: dt.datetime, responded_at: dt.datetime | None) -> dt.timedelta | None:
    """Time from the concern surfacing to the first response; None while unanswered."""
    if responded_at is None:
        return None
    return responded_at - surfaced_at


def is_late(level: str, elapsed: dt.timedelta) -> bool:
    """Late only when over the limit: a response at exactly 5 hours is on time."""
    return elapsed > dt.timedelta(hours=limit_hours(level))


def format_elapsed(elapsed: dt.timedelta) -> str:
    minutes = int(elapsed.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = ([f"{days}天"] if days else []) + ([f"{hours}小时"] if hours or days else []) + [f"{minutes}分钟"]
    return "".join(parts)


@dataclass(frozen=True)
class Timing:
    """How a concern was answered, for the staff and public pages."""

    level_label: str
    limit_hours: int
    elapsed: dt.timedelta | None  # None while unanswered
    late: bool  # over the limit (answered late, or unanswered past the limit)
    press_conference_due: dt.datetime | None  # major events only
    press_conference_at: dt.datetime | None
    press_conference_late: bool

    @property
    def elapsed_text(self) -> str:
        return format_elapsed(self.elapsed) if self.elapsed is not None else ""


def timing(concern: ConcernResponse, *, now: dt.datetime | None = None) -> Timing:
    now = now or timezone.now()
    first = concern.first_response_at
    elapsed = response_time(concern.surfaced_at, first)
    late = is_late(concern.level, elapsed if elapsed is not None else now - concern.surfaced_at)
    due = held = None
    press_late = False
    if concern.level == ConcernLevel.MAJOR:
        due = concern.surfaced_at + dt.timedelta(hours=settings.GONGKAI_CONCERN_PRESS_CONFERENCE_HOURS)
        held = first_press_conference_at(concern)
        press_late = held > due if held is not None else now > due
    return Timing(ConcernLevel(concern.level).label, limit_hours(concern.level), elapsed, late, due, held, press_late)


def first_press_conference_at(concern: ConcernResponse) -> dt.datetime | None:
    """The first press conference linked to the response and held after the concern surfaced."""
    held = concern.item.press_conferences.filter(held_at__gte=concern.surfaced_at).order_by("held_at").first()
    return held.held_at if held else None


def clean_concern(data: dict) -> dict:
    """Validated concern data (keys of CONCERN_FIELDS); ServiceError naming the faulty field."""
    description = (data.get("description") or "").strip()
    refuse_active_content(description, field="concern_description", label="关切事项")
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError("CONCERN_DESCRIPTION_TOO_LONG", f"“关切事项”不能超过{DESCRIPTION_MAX}字。",
                           field="concern_description")
    source_url = web_url(data.get("source_url"), code="CONCERN_URL_INVALID", field="concern_source_url",
                         label="关切来源链接")
    if not description and not source_url:
        raise ServiceError("CONCERN_SUBJECT_REQUIRED", "请说明回应的关切事项，或填写关切来源的链接。",
                           field="concern_description")
    surfaced_at = data.get("surfaced_at")
    if not isinstance(surfaced_at, dt.datetime):
        raise ServiceError("CONCERN_SURFACED_REQUIRED", "请填写关切出现的时间（年-月-日 时:分）。", field="concern_surfaced_at")
    now = timezone.now()
    if timezone.is_naive(surfaced_at):
        surfaced_at = timezone.make_aware(surfaced_at)
    if surfaced_at > now:
        raise ServiceError("CONCERN_SURFACED_IN_FUTURE", "关切出现时间不能晚于现在。", field="concern_surfaced_at")
    level = data.get("level") or ConcernLevel.GENERAL
    if level not in _LEVELS:
        raise ServiceError("CONCERN_LEVEL_INVALID", "关切级别应为重大突发事件或一般关切。", field="concern_level")
    responded_at = data.get("responded_at")
    if responded_at is not None:
        if not isinstance(responded_at, dt.datetime):
            raise ServiceError("CONCERN_RESPONDED_INVALID", "首次回应时间应为有效的日期和时间。", field="concern_responded_at")
        if timezone.is_naive(responded_at):
            responded_at = timezone.make_aware(responded_at)
        if responded_at < surfaced_at:
            raise ServiceError("CONCERN_RESPONDED_BEFORE_SURFACED", "首次回应时间不能早于关切出现时间。",
                               field="concern_responded_at")
        if responded_at > now:
            raise ServiceError("CONCERN_RESPONDED_IN_FUTURE", "首次回应时间不能晚于现在。", field="concern_responded_at")
    channel = (data.get("response_channel") or "").strip()
    refuse_active_content(channel, field="concern_response_channel", label="首次回应渠道")
    if len(channel) > 100:
        raise ServiceError("CONCERN_CHANNEL_TOO_LONG", "“首次回应渠道”不能超过100字。", field="concern_response_channel")
    return {"description": description, "source_url": source_url, "surfaced_at": surfaced_at, "level": level,
            "responded_at": responded_at, "response_channel": channel}


@dataclass(frozen=True)
class LateResponse:
    concern: ConcernResponse
    detail: str
    occurred_on: dt.date | None


def concern_responses_late(agency_ids, start: dt.date, end: dt.date) -> list[LateResponse]:
    """Proactive 回应关切 whose concern surfaced in [start, end] and that, as things stood at the end
    of ``end`` (or now, if earlier), were answered over their level's limit or are still unanswered
    past it; for a major event also a press conference not held within its limit. A response not
    public (a draft, one in review or withdrawn) has not answered anyone, unless the information
    came out first through another channel (``responded_at``)."""
    tz = timezone.get_current_timezone()
    window_start = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    as_of = min(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz), timezone.now())
    concerns = (ConcernResponse.objects.filter(item__agency_id__in=agency_ids, item__disclosure=Disclosure.PROACTIVE,
                                               surfaced_at__gte=window_start, surfaced_at__lt=as_of)
                .select_related("item").prefetch_related("item__press_conferences").order_by("surfaced_at", "pk"))
    press_hours = settings.GONGKAI_CONCERN_PRESS_CONFERENCE_HOURS
    found = []
    for concern in concerns:
        item = concern.item
        published = item.first_published_at if item.status == Status.PUBLISHED else None
        first = concern.responded_at or published
        if first is not None and first >= as_of:
            first = None  # answered only after the moment looked at
        hours = limit_hours(concern.level)
        label = ConcernLevel(concern.level).label
        reasons, occurred = [], None
        if first is not None and is_late(concern.level, first - concern.surfaced_at):
            reasons.append(f"{label}在关切出现{format_elapsed(first - concern.surfaced_at)}后才首次回应（应在{hours}小时内）")
            occurred = timezone.localtime(first).date()
        elif first is None and is_late(concern.level, as_of - concern.surfaced_at):
            reasons.append(f"{label}出现已超过{hours}小时仍未回应")
        if concern.level == ConcernLevel.MAJOR:
            due = concern.surfaced_at + dt.timedelta(hours=press_hours)
            held = min((c.held_at for c in item.press_conferences.all() if concern.surfaced_at <= c.held_at < as_of),
                       default=None)
            if (held or as_of) > due:
                reasons.append(f"未在{press_hours}小时内召开新闻发布会")
                occurred = occurred or (timezone.localtime(held).date() if held else None)
        if reasons:
            found.append(LateResponse(concern, "；".join(reasons), occurred))
    return found
