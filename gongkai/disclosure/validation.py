"""Checks on item metadata, shared by forms, imports and services (one place for the rules)."""

import datetime as dt

from django.db.models import Q

from gongkai.disclosure import interpretations
from gongkai.disclosure.models import (
    CatalogueNode,
    Disclosure,
    ExemptionReason,
    Genre,
    Item,
    TopicCategory,
    Validity,
)
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError

TEXT_FIELDS = {
    "title": "标题", "summary": "内容概述", "document_number": "文号", "publisher": "发布机构", "keywords": "关键词",
    "body": "正文",
}
# Django builds TextChoices.values anew on every access (a list comprehension over the members):
# at three checks per row that was a sixth of an import's row checks. The choices never change.
DISCLOSURES = frozenset(Disclosure.values)
EXEMPTION_REASONS = frozenset(ExemptionReason.values)
VALIDITIES = frozenset(Validity.values)
TEXT_LIMITS = {field: Item._meta.get_field(field).max_length for field in TEXT_FIELDS}
REQUIRED = {"title": "标题", "written_on": "成文日期", "topic": "主题分类", "genre": "体裁", "catalogue_node": "目录分类",
            "disclosure": "公开属性"}


def clean_item_data(agency, data: dict, *, item: Item | None = None, unique_in_database: bool = True) -> dict:
    """Validated, normalised metadata; raises ServiceError naming the first faulty field.

    ``unique_in_database=False`` leaves out the one check that reads the database (文号 already
    used in the agency), for an import that checks a whole batch of rows in one query instead.
    """
    data = dict(data)
    for field, label in TEXT_FIELDS.items():
        if field in data:
            data[field] = (data[field] or "").strip()
            refuse_active_content(data[field], field=field, label=label)
    merged = {**_current(item), **data}
    for field, label in REQUIRED.items():
        if merged.get(field) in (None, ""):
            raise ServiceError("ITEM_FIELD_REQUIRED", f"请填写“{label}”。", field=field)
    for field, label in TEXT_FIELDS.items():
        limit = TEXT_LIMITS[field]
        if limit and len(merged.get(field) or "") > limit:
            raise ServiceError("ITEM_FIELD_TOO_LONG", f"“{label}”不能超过{limit}字。", field=field)
    if not isinstance(merged["written_on"], dt.date):
        raise ServiceError("ITEM_DATE_INVALID", "成文日期应为有效日期。", field="written_on")
    if merged["written_on"] > dt.date.today() + dt.timedelta(days=1):
        raise ServiceError("ITEM_WRITTEN_IN_FUTURE", "成文日期不能晚于今天。", field="written_on")
    published_on = merged.get("published_on")
    if published_on is not None:
        # Set only when importing information published before it came onto the platform.
        if not isinstance(published_on, dt.date) or published_on < merged["written_on"]:
            raise ServiceError("ITEM_PUBLISHED_BEFORE_WRITTEN", "发布日期不能早于成文日期。", field="published_on")
        if published_on > dt.date.today():
            raise ServiceError("ITEM_PUBLISHED_IN_FUTURE", "发布日期不能晚于今天。", field="published_on")
    if not isinstance(merged["topic"], TopicCategory):
        raise ServiceError("ITEM_TOPIC_INVALID", "请选择有效的主题分类。", field="topic")
    if not isinstance(merged["genre"], Genre):
        raise ServiceError("ITEM_GENRE_INVALID", "请选择有效的体裁。", field="genre")
    node = merged["catalogue_node"]
    if not isinstance(node, CatalogueNode) or node.agency_id != agency.pk:
        raise ServiceError("ITEM_CATALOGUE_INVALID", "目录分类不属于本机构。", field="catalogue_node")
    if merged["disclosure"] not in DISCLOSURES:
        raise ServiceError("ITEM_DISCLOSURE_INVALID", "公开属性应为主动公开、依申请公开或不予公开。", field="disclosure")
    if merged["disclosure"] != Disclosure.PROACTIVE:
        # 条例第14–16条: anything not proactively disclosed carries its legal reason, and
        # 第18条 requires withheld information to be reassessed, hence the review date.
        if merged.get("exemption_reason") not in EXEMPTION_REASONS:
            raise ServiceError("ITEM_EXEMPTION_REQUIRED", "非主动公开的信息须选择不公开理由（第十四至十六条）。",
                               field="exemption_reason")
        if not merged.get("reassess_on"):
            raise ServiceError("ITEM_REASSESS_REQUIRED", "非主动公开的信息须填写复审日期（第十八条）。", field="reassess_on")
    else:
        data["exemption_reason"] = ""
        data["reassess_on"] = None
    if merged.get("validity", Validity.VALID) not in VALIDITIES:
        raise ServiceError("ITEM_VALIDITY_INVALID", "有效性应为有效、失效或废止。", field="validity")
    number = merged.get("document_number") or ""
    if number and unique_in_database:
        # Spelled like the partial unique index (agency, 文号 where 文号 is not empty), as the import
        # spells it: SQLite uses a partial index only when the query repeats its condition, and
        # otherwise reads every item of the agency through the agency index on each save.
        clash = Item.objects.filter(~Q(document_number=""), agency=agency, document_number=number)
        if item is not None:
            clash = clash.exclude(pk=item.pk)
        if clash.exists():
            raise ServiceError("ITEM_DOCUMENT_NUMBER_DUPLICATE", f"本机构已有文号为“{number}”的信息。", field="document_number")
    interprets = merged.get("interprets")
    changed = item is None or "interprets" in data and getattr(data.get("interprets"), "pk", None) != item.interprets_id
    if interprets is not None and changed and (not interprets.is_public or (item is not None and interprets.pk == item.pk)):
        raise ServiceError("ITEM_INTERPRETS_INVALID", "政策解读只能关联已主动公开发布的政策文件。", field="interprets")
    interpretations.clean_form(data, merged)
    if not merged.get("publisher"):
        data["publisher"] = agency.name
    return data


def _current(item: Item | None) -> dict:
    if item is None:
        return {}
    return {
        "title": item.title, "written_on": item.written_on, "topic": item.topic, "genre": item.genre,
        "catalogue_node": item.catalogue_node, "disclosure": item.disclosure, "exemption_reason": item.exemption_reason,
        "reassess_on": item.reassess_on, "validity": item.validity, "document_number": item.document_number,
        "interprets": item.interprets, "publisher": item.publisher, "published_on": item.published_on,
        "interpretation_form": item.interpretation_form, "video_url": item.video_url,
    }
