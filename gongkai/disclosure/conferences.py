"""新闻发布会 records: create, edit and delete through these services, and the public's reads.

A record is public as soon as it is saved (the conference itself was public), so keeping it needs
the 复审/保密审查 right, as a correction of a published item does (条例第十七条: information is
reviewed before it is published). The transcript is an item of genre 新闻发布会 that goes through
the ordinary review; the portal links it, and the related policies and responses, only while public.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.models import Item, PressConference
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.responses import web_url
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.disclosure.taxonomy import PRESS_CONFERENCE_GENRE
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm

FIELDS = ["topic", "held_at", "place", "speakers", "summary", "video_url", "transcript"]
LIMITS = {"topic": ("发布会主题", 200), "place": ("地点", 200), "speakers": ("发布人", 1000), "summary": ("内容摘要", 5000)}
RELATED_MAX = 20


def _picture(conference: PressConference) -> dict:
    picture = snapshot(conference, FIELDS)
    picture["related_items"] = sorted(conference.related_items.values_list("pk", flat=True))
    return picture


def _clean(agency, data: dict) -> tuple[dict, list[Item]]:
    cleaned = {}
    for name, (label, limit) in LIMITS.items():
        value = (data.get(name) or "").strip()
        refuse_active_content(value, field=name, label=label)
        if len(value) > limit:
            raise ServiceError("CONFERENCE_FIELD_TOO_LONG", f"“{label}”不能超过{limit}字。", field=name)
        cleaned[name] = value
    if not cleaned["topic"]:
        raise ServiceError("CONFERENCE_TOPIC_REQUIRED", "请填写发布会主题。", field="topic")
    if not cleaned["speakers"]:
        raise ServiceError("CONFERENCE_SPEAKERS_REQUIRED", "请填写发布人（每行一位）。", field="speakers")
    held_at = data.get("held_at")
    if not isinstance(held_at, dt.datetime):
        raise ServiceError("CONFERENCE_HELD_AT_REQUIRED", "请填写召开时间（年-月-日 时:分）。", field="held_at")
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + dt.timedelta(days=366):
        raise ServiceError("CONFERENCE_HELD_AT_TOO_FAR", "召开时间不能晚于一年以后。", field="held_at")
    cleaned["held_at"] = held_at
    cleaned["video_url"] = web_url(data.get("video_url"), code="CONFERENCE_VIDEO_URL_INVALID", field="video_url",
                                   label="视频链接")
    transcript = data.get("transcript")
    if transcript is not None and (not isinstance(transcript, Item) or transcript.agency_id != agency.pk
                                   or transcript.genre.code != PRESS_CONFERENCE_GENRE):
        raise ServiceError("CONFERENCE_TRANSCRIPT_INVALID", "文字实录须为本机构体裁为“新闻发布会”的信息。", field="transcript")
    cleaned["transcript"] = transcript
    related = list(data.get("related_items") or [])
    if len(related) > RELATED_MAX:
        raise ServiceError("CONFERENCE_RELATED_TOO_MANY", f"相关政策与回应最多关联{RELATED_MAX}条。", field="related_items")
    # Another agency's published policy may be the subject of a briefing; a draft may not be linked.
    if any(not isinstance(i, Item) or not i.is_public for i in related):
        raise ServiceError("CONFERENCE_RELATED_INVALID", "只能关联已主动公开发布的政策文件或回应关切。", field="related_items")
    return cleaned, related


def conference_create(*, actor, agency, data: dict) -> PressConference:
    access.require(actor, Perm.REVIEW_SECOND, agency)
    cleaned, related = _clean(agency, data)
    with transaction.atomic():
        conference = PressConference.objects.create(agency=agency, created_by=actor, **cleaned)
        conference.related_items.set(related)
        record(actor=actor, action=Action.CREATE, obj=conference, agency=agency, after=_picture(conference))
    return conference


def conference_update(*, actor, conference: PressConference, data: dict) -> PressConference:
    access.require(actor, Perm.REVIEW_SECOND, conference.agency)
    cleaned, related = _clean(conference.agency, data)
    with transaction.atomic():
        conference = PressConference.objects.select_for_update().select_related("agency").get(pk=conference.pk)
        before = _picture(conference)
        for name, value in cleaned.items():
            setattr(conference, name, value)
        conference.save()
        conference.related_items.set(related)
        record(actor=actor, action=Action.CONFERENCE_UPDATE, obj=conference, agency=conference.agency, before=before,
               after=_picture(conference))
    return conference


def conference_delete(*, actor, conference: PressConference, reason: str) -> None:
    access.require(actor, Perm.REVIEW_SECOND, conference.agency)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("CONFERENCE_DELETE_REASON_REQUIRED", "请填写删除理由。", field="reason")
    refuse_active_content(reason, field="reason", label="删除理由")
    with transaction.atomic():
        conference = PressConference.objects.select_for_update().select_related("agency").get(pk=conference.pk)
        record(actor=actor, action=Action.DELETE, obj=conference, agency=conference.agency, before=_picture(conference),
               note=reason[:500])
        conference.delete()


# --- reads ----------------------------------------------------------------------------------

def conferences_of(agency):
    return PressConference.objects.filter(agency=agency).select_related("transcript")


def public_related(conference: PressConference):
    """The related items the public may open."""
    return public_items().filter(pk__in=conference.related_items.values("pk"))


def public_transcript(conference: PressConference) -> Item | None:
    return public_items().filter(pk=conference.transcript_id).first() if conference.transcript_id else None
