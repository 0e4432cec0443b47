"""政府信息公开指南 (条例第12条): generated from the agency's own data, plus the agency's own text."""

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.disclosure.catalogue import catalogue_tree, settings_for
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.orgs import access
from gongkai.orgs.roles import Perm


def guide_context(agency) -> dict:
    """Everything 第12条 requires: 信息分类、编排体系、获取方式, and the office's name and contacts."""
    from gongkai.disclosure.queries import public_counts_by_node

    settings = settings_for(agency)
    return {
        "office": agency.office, "tree": catalogue_tree(agency, public_counts_by_node(agency)),
        "extra_text": settings.guide_text, "updated_at": settings.guide_updated_at,
    }


def guide_update(*, actor, agency, text: str) -> None:
    access.require(actor, Perm.EDIT_AGENCY, agency)
    text = (text or "").strip()
    refuse_active_content(text, field="text", label="指南补充说明")
    settings = settings_for(agency)
    with transaction.atomic():
        before = {"guide_text": settings.guide_text}
        settings.guide_text = text
        settings.guide_updated_at = timezone.now()
        settings.save()
        record(actor=actor, action=Action.GUIDE_UPDATE, obj=agency, agency=agency, before=before, after={"guide_text": text},
               note="修改政府信息公开指南")


def review_levels_update(*, actor, agency, levels: int) -> None:
    access.require(actor, Perm.EDIT_AGENCY, agency)
    from gongkai.errors import ServiceError

    if levels not in (1, 2, 3):
        raise ServiceError("REVIEW_LEVELS_INVALID", "审核级数应为1至3。", field="review_levels")
    from gongkai.disclosure.models import Item, Status

    if Item.objects.filter(agency=agency, status=Status.IN_REVIEW, review_level__gt=levels).exists():
        raise ServiceError("REVIEW_LEVELS_IN_USE", f"还有信息处于第{levels + 1}级以上的审核环节，请处理完毕后再减少审核级数。",
                           field="review_levels")
    settings = settings_for(agency)
    with transaction.atomic():
        before = {"review_levels": settings.review_levels}
        settings.review_levels = levels
        settings.save()
        record(actor=actor, action=Action.REVIEW_LEVELS_UPDATE, obj=agency, agency=agency, before=before, after={"review_levels": levels},
               note="修改审核级数")
