"""Every change to an item goes through these functions: permission, validation, one transaction,
one audit row, and the search index kept in step in the same transaction."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import build as audit_row
from gongkai.audit.services import record
from gongkai.disclosure import attachments as attachment_checks
from gongkai.disclosure import index_numbers, interpretations, responses, search_sync, workflow
from gongkai.disclosure.catalogue import settings_for
from gongkai.disclosure.models import (
    Attachment,
    ConcernResponse,
    Disclosure,
    Item,
    ItemVersion,
    ReviewDecision,
    Status,
    Validity,
)
from gongkai.disclosure.sanitize import clean_body, refuse_active_content, scannable_text
from gongkai.disclosure.taxonomy import CONCERN_RESPONSE_GENRE
from gongkai.disclosure.validation import clean_item_data
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.pii import LABELS, scan
from gongkai.pii.masking import mask

AUDITED_FIELDS = [
    "index_number", "title", "summary", "document_number", "publisher", "written_on", "published_on", "topic", "genre",
    "keywords", "catalogue_node", "validity", "validity_changed_on", "disclosure", "exemption_reason", "reassess_on",
    "interprets", "interpretation_form", "video_url", "status", "review_level", "version",
]


def _picture(item: Item, attachments=None) -> dict:
    """What the audit row keeps of an item. ``attachments``: (original name, sha256) pairs when the
    caller already knows them (an import creates items without any), else they are read."""
    from gongkai.audit.services import snapshot

    picture = snapshot(item, AUDITED_FIELDS)
    # Bodies can be long; the audit row keeps a fingerprint, the versions keep the text.
    picture["body_sha256"] = hashlib.sha256(item.body.encode()).hexdigest()[:16]
    picture["public_body_sha256"] = hashlib.sha256(item.public_body.encode()).hexdigest()[:16]
    if attachments is None and item.pk:
        attachments = item.attachments.values_list("original_name", "sha256")
    if attachments is not None:
        picture["attachments"] = sorted(f"{name}:{sha[:12]}" for name, sha in attachments)
    if item.pk and item.genre.code == CONCERN_RESPONSE_GENRE:
        concern = ConcernResponse.objects.filter(item_id=item.pk).first()
        picture["concern"] = snapshot(concern, responses.CONCERN_FIELDS) if concern else None
    return picture


def _locked(item: Item) -> Item:
    """The item as it is now, locked for this transaction: callers may hold a stale copy."""
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


def _require_draft_rights(actor, item: Item):
    if not access.can(actor, Perm.DRAFT, item.agency):
        raise PermissionDeniedError("只有本机构的信息员可以起草和修改草稿。")


# --- drafting -------------------------------------------------------------------------------

def item_create(*, actor, agency, data: dict, files: list[tuple[str, bytes]] = (), concern: dict | None = None) -> Item:
    """Register information at its source (as a draft) with its disclosure attribute and metadata.
    ``concern``: what a 回应关切 answers (responses.CONCERN_FIELDS), required for that genre."""
    if not access.can(actor, Perm.DRAFT, agency):
        raise PermissionDeniedError("只有本机构的信息员可以登记信息。")
    settings_for(agency)
    cleaned = clean_item_data(agency, data)
    concern = _clean_concern(cleaned["genre"], concern, existing=None)
    checked = [attachment_checks.check(name, content) for name, content in files]
    interpretations.require_image(cleaned.get("interpretation_form", ""), [f.kind for f in checked])
    body = clean_body(cleaned.pop("body", ""))
    with transaction.atomic():
        item = new_item(actor=actor, agency=agency, cleaned=cleaned, body=body)
        item.save()
        _store_attachments(item, checked)
        if concern is not None:
            ConcernResponse.objects.create(item=item, **concern)
        creation_entry(item, actor).save(force_insert=True)  # sealed into the audit chain on save
    return item


def _clean_concern(genre, concern: dict | None, *, existing: ConcernResponse | None) -> dict | None:
    """The concern data to store: required for a 回应关切 (unless the item already has it), refused
    for any other genre, where a left-over concern is removed."""
    if genre.code != CONCERN_RESPONSE_GENRE:
        if concern:
            raise ServiceError("CONCERN_GENRE_MISMATCH", "只有体裁为“回应关切”的信息才能填写关切事项。", field="genre")
        return None
    if concern is None:
        if existing is None:
            raise ServiceError("CONCERN_REQUIRED", "回应关切须说明回应的关切事项及其出现时间。", field="concern_description")
        return {name: getattr(existing, name) for name in responses.CONCERN_FIELDS}
    return responses.clean_concern(concern)


# --- row builders ---------------------------------------------------------------------------------
# What an item's rows are, defined once: the services above and below save them one at a time, an
# import (item_import.py) builds the same rows for a batch and inserts them with bulk_create.

def new_item(*, actor, agency, cleaned: dict, body: str) -> Item:
    """An item as registered at its source (a draft), not yet saved; ``body`` already cleaned."""
    return Item(agency=agency, created_by=actor, body=body, public_body=body, **cleaned)


def mark_published(item: Item, *, index_number: str, now) -> None:
    """The last approval's changes: proactive items go public, the others are registered in the
    internal catalogue; the 索引号 is issued (or kept) and a new public version begins."""
    item.index_number = index_number
    item.status = Status.PUBLISHED if item.disclosure == Disclosure.PROACTIVE else Status.REGISTERED
    item.review_level = 0
    item.version += 1
    item.first_published_at = item.first_published_at or now
    item.last_published_at = now


def audit_picture(item: Item, *, attachments=None) -> dict:
    """What the audit row keeps of ``item`` (see _picture), for a caller building rows itself."""
    return _picture(item, attachments)


def new_version(item: Item, actor, *, note: str, picture: dict | None = None) -> ItemVersion:
    """The item's current public version, not yet saved; ``picture``: its audit picture if the
    caller has it already."""
    picture = _picture(item) if picture is None else picture
    return ItemVersion(
        item=item, number=item.version, title=item.title, public_body=item.public_body, created_by=actor, note=note,
        metadata={k: v for k, v in picture.items() if not k.endswith("sha256")},
    )


def creation_entry(item: Item, actor, *, note: str = "", picture: dict | None = None):
    """The audit row of an item's creation (saved item), not yet saved."""
    picture = _picture(item) if picture is None else picture
    return audit_row(actor=actor, action=Action.CREATE, obj=item, agency=item.agency, after=picture, note=note)


def _store_attachments(item: Item, checked) -> None:
    for f in checked:
        attachment = Attachment(item=item, original_name=f.name, kind=f.kind, size=len(f.content), sha256=f.sha256,
                                text=f.text)
        attachment.file.save(f.name, ContentFile(f.content), save=False)
        attachment.save()


def item_update(*, actor, item: Item, data: dict, files: list[tuple[str, bytes]] = (), remove_attachments=(),
                concern: dict | None = None) -> Item:
    """Edit a draft (信息员), or correct a published item (更正; a new public version).

    A correction goes public at once, so it needs the 复审/保密审查 right (第17条), not merely
    the right to manage published items.
    """
    checked = [attachment_checks.check(name, content) for name, content in files]
    with transaction.atomic():
        item = _locked(item)
        published = item.status in (Status.PUBLISHED, Status.REGISTERED)
        if published:
            if not access.can(actor, Perm.REVIEW_SECOND, item.agency):
                raise PermissionDeniedError("已发布信息的更正须由复审（保密审查）人员办理。")
            if "disclosure" in data and data["disclosure"] != item.disclosure:
                raise ServiceError("ITEM_DISCLOSURE_LOCKED", "已发布信息的公开属性不能直接修改，请先撤回再重新编辑。",
                                   field="disclosure")
        elif item.status == Status.DRAFT:
            _require_draft_rights(actor, item)
        elif item.status == Status.WITHDRAWN:
            raise ServiceError("ITEM_WITHDRAWN", "信息已撤回，请先“重新编辑”转为草稿。")
        else:
            raise ServiceError("ITEM_IN_REVIEW", "信息正在审核中，请等待审核结果或由审核人退回后再修改。")
        cleaned = clean_item_data(item.agency, data, item=item)
        existing = ConcernResponse.objects.filter(item=item).first()
        concern = _clean_concern(cleaned.get("genre", item.genre), concern, existing=existing)
        kept = item.attachments.exclude(pk__in=list(remove_attachments)).values_list("kind", flat=True)
        interpretations.require_image(cleaned.get("interpretation_form", item.interpretation_form),
                                      [*kept, *(f.kind for f in checked)])
        before = _picture(item)
        if "body" in cleaned:
            body = clean_body(cleaned.pop("body"))
            if body != item.body:
                item.body = body
                item.public_body = body  # edited text must be de-identified again before publication
        for field, value in cleaned.items():
            setattr(item, field, value)
        if remove_attachments:
            item.attachments.filter(pk__in=list(remove_attachments)).delete()
        _store_attachments(item, checked)
        if concern is not None:
            ConcernResponse.objects.update_or_create(item=item, defaults=concern)
        elif existing is not None:
            existing.delete()  # no longer a 回应关切; the audit row keeps what it answered
        if published:
            _require_pii_resolved(item, correction=True)
            item.version += 1
            item.last_published_at = timezone.now()
            _save_version(item, actor, note="更正")
        item.save()
        record(actor=actor, action=Action.ITEM_UPDATE, obj=item, agency=item.agency, before=before, after=_picture(item))
        if published:
            search_sync.sync(item)
    return item


# --- review ---------------------------------------------------------------------------------

def item_submit(*, actor, item: Item) -> Item:
    _require_draft_rights(actor, item)
    with transaction.atomic():
        item = _locked(item)
        if item.status != Status.DRAFT:
            raise ServiceError("ITEM_NOT_DRAFT", "只有草稿可以提交审核。")
        clean_item_data(item.agency, {}, item=item)  # an imported or half-edited draft must be complete
        _clean_concern(item.genre, None, existing=ConcernResponse.objects.filter(item=item).first())
        interpretations.require_image(item.interpretation_form, item.attachments.values_list("kind", flat=True))
        before = _picture(item)
        item.status, item.review_level, item.return_comment = Status.IN_REVIEW, 1, ""
        item.save()
        ReviewDecision.objects.create(item=item, level=0, outcome=ReviewDecision.Outcome.SUBMITTED, actor=actor)
        record(actor=actor, action=Action.SUBMIT, obj=item, agency=item.agency, before=before, after=_picture(item))
    return item


def _require_reviewer(actor, item: Item) -> int:
    if item.status != Status.IN_REVIEW:
        raise ServiceError("ITEM_NOT_IN_REVIEW", "该信息不在审核中。")
    levels = settings_for(item.agency).review_levels
    perm = workflow.perm_for(levels, item.review_level)
    if not access.can(actor, perm, item.agency):
        raise PermissionDeniedError(f"当前为“{workflow.label_for(levels, item.review_level)}”环节，您没有该环节的审核权限。")
    return levels


def pii_findings(item: Item) -> list[dict]:
    """What the scanner sees in the public text, with where it was found."""
    found = []
    fields = (("标题", item.title), ("内容概述", item.summary), ("文号", item.document_number), ("发布机构", item.publisher),
              ("关键词", item.keywords), ("正文", scannable_text(item.public_body)))
    for where, text in fields:
        found += [{"where": where, "finding": f, "maskable": where == "正文"} for f in scan(text)]
    for attachment in item.attachments.all():
        found += [{"where": f"附件“{attachment.original_name}”", "finding": f, "maskable": False} for f in scan(attachment.text)]
    return found


def _public_fingerprint(item: Item) -> str:
    parts = [item.title, item.summary, item.document_number, item.publisher, item.keywords, item.public_body]
    parts += sorted(item.attachments.values_list("sha256", flat=True))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _require_pii_resolved(item: Item, *, correction: bool = False) -> None:
    findings = pii_findings(item)
    if findings and item.pii_cleared_fingerprint != _public_fingerprint(item):
        kinds = "、".join(sorted({f["finding"].label for f in findings}))
        what_to_do = ("请撤回该信息，重新编辑后提交审核。" if correction
                      else "请先去标识化处理，或核实后确认不属于个人信息。")
        raise ServiceError("PII_UNRESOLVED", f"公开内容中检出{len(findings)}处疑似个人信息（{kinds}），{what_to_do}")


def item_mask_pii(*, actor, item: Item, kinds: set[str] | None = None) -> Item:
    """One-click 去标识化 of the public body; the original body stays as written, internally."""
    with transaction.atomic():
        item = _locked(item)
        _require_reviewer(actor, item)
        before = _picture(item)
        if kinds and not set(kinds) <= set(LABELS):
            raise ServiceError("PII_KIND_UNKNOWN", "未知的个人信息类型。")
        masked = mask(item.public_body, scan(item.public_body), kinds)
        if masked == item.public_body:
            raise ServiceError("PII_NOTHING_TO_MASK", "正文中没有可自动去标识化的内容。")
        item.public_body = masked
        item.save(update_fields=["public_body", "updated_at"])
        record(actor=actor, action=Action.ITEM_MASK_PII, obj=item, agency=item.agency, before=before, after=_picture(item),
               note="去标识化")
    return item


def item_clear_pii(*, actor, item: Item, note: str) -> Item:
    """The reviewer confirms the remaining findings are not personal information (recorded)."""
    note = (note or "").strip()
    if not note:
        raise ServiceError("PII_CLEAR_REASON_REQUIRED", "请说明核实情况（例如“为机关办公电话”）。", field="note")
    refuse_active_content(note, field="note", label="核实说明")
    with transaction.atomic():
        item = _locked(item)
        _require_reviewer(actor, item)
        item.pii_cleared_fingerprint = _public_fingerprint(item)
        item.save(update_fields=["pii_cleared_fingerprint", "updated_at"])
        record(actor=actor, action=Action.APPROVE, obj=item, agency=item.agency, note=f"个人信息核实：{note}"[:500],
               after={"pii_cleared": True})
    return item


def item_approve(*, actor, item: Item, comment: str = "", expected_level: int | None = None) -> Item:
    refuse_active_content(comment, field="comment", label="审核意见")
    with transaction.atomic():
        item = _locked(item)
        levels = _require_reviewer(actor, item)
        if expected_level is not None and expected_level != item.review_level:
            # A double click or a stale page must not approve the next level too.
            raise ServiceError("ITEM_LEVEL_MOVED", "该信息已进入下一审核环节，请刷新页面后再操作。")
        if actor is not None and item.decisions.filter(outcome=ReviewDecision.Outcome.APPROVED, actor=actor,
                                                       level__gte=1).exists():
            raise ServiceError("REVIEWER_ALREADY_APPROVED", "同一人不能审核同一信息的两个环节，请由其他审核人办理。")
        _require_pii_resolved(item)
        before = _picture(item)
        ReviewDecision.objects.create(item=item, level=item.review_level, outcome=ReviewDecision.Outcome.APPROVED,
                                      comment=comment, actor=actor)
        if item.review_level < levels:
            item.review_level += 1
            item.save()
            record(actor=actor, action=Action.APPROVE, obj=item, agency=item.agency, before=before, after=_picture(item),
                   note=comment)
            return item
        _finalise(item, actor)
        record(actor=actor, action=Action.PUBLISH, obj=item, agency=item.agency, before=before, after=_picture(item),
               note=comment)
        search_sync.sync(item)
    return item


def _finalise(item: Item, actor) -> None:
    """Last approval: proactive items go public; the others are registered in the internal catalogue."""
    item.published_on = item.published_on or timezone.localdate()
    index_number = item.index_number or index_numbers.allocate(item.agency, item.published_on.year)
    mark_published(item, index_number=index_number, now=timezone.now())
    item.save()
    _save_version(item, actor, note="发布" if item.version == 1 else "重新发布")


def _save_version(item: Item, actor, *, note: str) -> None:
    new_version(item, actor, note=note).save(force_insert=True)


def item_return(*, actor, item: Item, comment: str) -> Item:
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("RETURN_COMMENT_REQUIRED", "退回时请填写退回意见，告诉起草人需要修改什么。", field="comment")
    refuse_active_content(comment, field="comment", label="退回意见")
    with transaction.atomic():
        item = _locked(item)
        _require_reviewer(actor, item)
        before = _picture(item)
        ReviewDecision.objects.create(item=item, level=item.review_level, outcome=ReviewDecision.Outcome.RETURNED,
                                      comment=comment, actor=actor)
        item.status, item.review_level, item.return_comment = Status.DRAFT, 0, comment
        item.save()
        record(actor=actor, action=Action.REJECT, obj=item, agency=item.agency, before=before, after=_picture(item),
               note=comment)
    return item


# --- after publication ----------------------------------------------------------------------

def item_withdraw(*, actor, item: Item, reason: str) -> Item:
    """撤回: off the portal and out of search, but the record, its 索引号 and the reason stay."""
    access.require(actor, Perm.MANAGE_PUBLISHED, item.agency)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("WITHDRAW_REASON_REQUIRED", "请填写撤回理由。", field="reason")
    refuse_active_content(reason, field="reason", label="撤回理由")
    with transaction.atomic():
        item = _locked(item)
        if item.status not in (Status.PUBLISHED, Status.REGISTERED):
            raise ServiceError("ITEM_NOT_PUBLISHED", "只有已发布的信息可以撤回。")
        before = _picture(item)
        item.status, item.withdrawn_reason = Status.WITHDRAWN, reason
        item.save()
        record(actor=actor, action=Action.WITHDRAW, obj=item, agency=item.agency, before=before, after=_picture(item),
               note=reason)
        search_sync.sync(item)
    return item


def item_reopen(*, actor, item: Item) -> Item:
    """A withdrawn item back to draft (keeping its 索引号), e.g. to correct it or to reassess a
    withheld item under 第18条; it goes through review again before it is public."""
    with transaction.atomic():
        item = _locked(item)
        if item.status != Status.WITHDRAWN:
            raise ServiceError("ITEM_NOT_WITHDRAWN", "只有已撤回的信息可以重新编辑。")
        _require_draft_rights(actor, item)
        before = _picture(item)
        # Re-publication gets its own 发布日期; the 索引号 stays with the information.
        item.status, item.pii_cleared_fingerprint, item.published_on = Status.DRAFT, "", None
        item.save()
        record(actor=actor, action=Action.ITEM_REOPEN, obj=item, agency=item.agency, before=before, after=_picture(item),
               note="撤回后重新编辑")
    return item


def item_set_validity(*, actor, item: Item, validity: str, on_date) -> Item:
    """失效 or 废止 (or back to 有效): the page keeps the document and marks it clearly (政府网站发展指引)."""
    access.require(actor, Perm.MANAGE_PUBLISHED, item.agency)
    if validity not in Validity.values:
        raise ServiceError("ITEM_VALIDITY_INVALID", "有效性应为有效、失效或废止。", field="validity")
    if validity != Validity.VALID and on_date is None:
        raise ServiceError("ITEM_VALIDITY_DATE_REQUIRED", "请填写失效或废止日期。", field="on_date")
    with transaction.atomic():
        item = _locked(item)
        if item.status not in (Status.PUBLISHED, Status.REGISTERED):
            raise ServiceError("ITEM_NOT_PUBLISHED", "只有已发布的信息可以变更有效性。")
        before = _picture(item)
        item.validity = validity
        item.validity_changed_on = on_date if validity != Validity.VALID else None
        item.version += 1
        item.save()
        _save_version(item, actor, note=Validity(validity).label)
        action = Action.REPEAL if validity == Validity.REPEALED else Action.ITEM_SET_VALIDITY
        record(actor=actor, action=action, obj=item, agency=item.agency, before=before, after=_picture(item))
        search_sync.sync(item)
    return item
