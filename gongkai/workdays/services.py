"""Entering and withdrawing holiday notices. Validation happens before anything is written."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.workdays import calendar_lock
from gongkai.workdays.models import DayKind, HolidayNotice, NoticeRange

# Holiday stretches in State Council notices run to about nine days; anything over a month is
# almost certainly a typo (wrong month or year), so it is refused rather than stored.
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class RangeInput:
    kind: str
    start: dt.date
    end: dt.date
    label: str = ""


def _describe(r: RangeInput) -> str:
    return f"{r.label or DayKind(r.kind).label} {r.start.isoformat()}至{r.end.isoformat()}"


def validate_ranges(year: int, ranges: list[RangeInput], *, exclude_notice: HolidayNotice | None = None) -> None:
    if not 2000 <= year <= 2100:
        raise ServiceError("NOTICE_YEAR_INVALID", f"年度“{year}”不在2000至2100之间。", field="year")
    if not ranges:
        raise ServiceError("NOTICE_EMPTY", "通知至少应包含一个放假或调休日期段。", field="ranges")
    for index, r in enumerate(ranges, start=1):
        if r.kind not in DayKind.values:
            raise ServiceError("RANGE_KIND_INVALID", f"第{index}段：类型应为“放假”或“调休上班”。", field="ranges")
        if r.start > r.end:
            raise ServiceError(
                "RANGE_INVERTED",
                f"第{index}段（{_describe(r)}）：起始日晚于结束日，请检查日期。",
                field="ranges",
            )
        if (r.end - r.start).days + 1 > MAX_RANGE_DAYS:
            raise ServiceError(
                "RANGE_TOO_LONG", f"第{index}段（{_describe(r)}）超过{MAX_RANGE_DAYS}天，请检查日期。", field="ranges"
            )
        if year not in (r.start.year, r.end.year):
            raise ServiceError(
                "RANGE_OUTSIDE_YEAR", f"第{index}段（{_describe(r)}）不在{year}年内。", field="ranges"
            )
    ordered = sorted(enumerate(ranges, start=1), key=lambda pair: pair[1].start)
    for (i, a), (j, b) in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end:
            first, second = sorted((i, j))
            raise ServiceError(
                "RANGE_OVERLAP",
                f"第{first}段与第{second}段日期重叠（{_describe(a)}；{_describe(b)}）。",
                field="ranges",
            )
    existing = NoticeRange.objects.select_related("notice")
    if exclude_notice is not None:
        existing = existing.exclude(notice=exclude_notice)
    for r in ranges:
        clash = existing.filter(start__lte=r.end, end__gte=r.start).first()
        if clash:
            raise ServiceError(
                "RANGE_OVERLAP_EXISTING",
                f"{_describe(r)} 与已录入的《{clash.notice.title}》中的 {clash} 重叠；如需更正，请先撤销原通知再重新录入。",
                field="ranges",
            )


def _ranges_after(notice: HolidayNotice) -> list[dict]:
    return [
        {"kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(), "label": r.label}
        for r in notice.ranges.order_by("start")
    ]


def notice_create(
    *, actor, year: int, title: str, ranges: list[RangeInput], document_number: str = "", issued_on=None
) -> HolidayNotice:
    access.require(actor, Perm.MANAGE_CALENDAR)
    title = (title or "").strip()
    if not title:
        raise ServiceError("NOTICE_TITLE_REQUIRED", "请填写通知标题。", field="title")
    with transaction.atomic():
        calendar_lock.lock_for_change()
        validate_ranges(year, ranges)
        notice = HolidayNotice.objects.create(
            year=year, title=title, document_number=document_number.strip(), issued_on=issued_on, created_by=actor
        )
        NoticeRange.objects.bulk_create(
            NoticeRange(notice=notice, kind=r.kind, start=r.start, end=r.end, label=r.label.strip()) for r in ranges
        )
        record(
            actor=actor, action=Action.CREATE, obj=notice,
            after={"year": year, "title": title, "document_number": notice.document_number, "ranges": _ranges_after(notice)},
        )
        _calendar_changed()
    return notice


def _calendar_changed() -> None:
    """Let other apps react in the same transaction (settings.GONGKAI_CALENDAR_CHANGED)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for path in settings.GONGKAI_CALENDAR_CHANGED:
        import_string(path)()


def notice_delete(*, actor, notice: HolidayNotice) -> None:
    access.require(actor, Perm.MANAGE_CALENDAR)
    with transaction.atomic():
        calendar_lock.lock_for_change()
        record(
            actor=actor, action=Action.DELETE, obj=notice,
            before={"year": notice.year, "title": notice.title, "ranges": _ranges_after(notice)},
        )
        notice.delete()
        _calendar_changed()


def parse_ranges(rows: list[dict]) -> list[RangeInput]:
    """Ranges from JSON/form rows: {"kind", "start", "end", "label"} with ISO dates."""
    parsed = []
    for index, row in enumerate(rows, start=1):
        try:
            start = dt.date.fromisoformat(str(row.get("start", "")).strip())
            end = dt.date.fromisoformat(str(row.get("end", "")).strip())
        except ValueError as exc:
            raise ServiceError("RANGE_DATE_INVALID", f"第{index}段：日期应写作 YYYY-MM-DD。", field="ranges") from exc
        parsed.append(RangeInput(kind=str(row.get("kind", "")).strip(), start=start, end=end, label=str(row.get("label", ""))))
    return parsed
