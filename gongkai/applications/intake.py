"""Receiving applications: online submissions, staff registration of other channels, tracking
codes and secrets, assignment, transfer, notes, 督办 and the audited view of personal data."""

import datetime as dt
import hmac

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai import tracking_codes
from gongkai.applications import clockkeeping, mailing
from gongkai.applications.applicants import applicant_key
from gongkai.applications.models import Application, ApplicationFile, Channel, Note, Status
from gongkai.applications.validation import check_channel, clean_applicant
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.attachments import CheckedFile
from gongkai.disclosure.attachments import check as check_upload
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.tracking_codes import CODE_ALPHABET  # noqa: F401 (the alphabet of the codes this module issues)
from gongkai.tracking_codes import new_code as _new_code
from gongkai.tracking_codes import new_secret as _new_secret

APPLICANT_FIELDS = ["applicant_type", "applicant_name", "contact_person", "id_type", "id_number", "phone", "email",
                    "address", "postcode", "description", "provision_form"]
PUBLIC_SNAPSHOT = ["tracking_code", "channel", "applicant_type", "applicant_name", "id_type", "email", "description",
                   "provision_form", "received_on", "status", "handler", "due_on"]
APPLICANT_LABEL = "申请人（网上）"


# The same person sending the same request to the same agency within this window is one application.
DUPLICATE_WINDOW_MINUTES = 60


def _fingerprint(agency, cleaned: dict) -> str:
    text = " ".join(cleaned["description"].split())
    material = f"{agency.pk}|{cleaned['id_type']}|{cleaned['id_number'].upper()}|{text}"
    return hmac.new(settings.SECRET_KEY.encode(), material.encode(), "sha256").hexdigest()


def secret_matches(application: Application, secret: str) -> bool:
    return tracking_codes.secret_matches(application.secret_hash, application.tracking_code, secret)


def find_by_code(code: str, secret: str) -> Application | None:
    application = Application.objects.filter(tracking_code=(code or "").strip().upper()).first()
    if application is None or not secret_matches(application, secret):
        return None
    return application


def _create(agency, data, *, channel, received_on, key=None, transferred_from=None, **fields) -> tuple[Application, str]:
    """``fields``: more columns set in the same INSERT (fingerprint, the opening clock)."""
    secret = _new_secret()
    for _attempt in range(5):
        code = _new_code()
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    agency=agency, channel=channel, received_on=received_on, tracking_code=code,
                    secret_hash=tracking_codes.secret_digest(code, secret), submission_key=key, transferred_from=transferred_from,
                    applicant_key=applicant_key(data), **{f: data.get(f, "") for f in APPLICANT_FIELDS}, **fields,
                )
            return application, secret
        except IntegrityError:
            if key and Application.objects.filter(submission_key=key).exists():
                raise
    raise ServiceError("TRACKING_CODE_EXHAUSTED", "生成查询码失败，请重试。")


def check_upload_caps(count: int, total: int, *, field: str = "identity_files") -> None:
    """What one request from the public may send: GONGKAI_APPLY_MAX_FILES files, together no
    larger than GONGKAI_APPLY_MAX_TOTAL_BYTES (so that one anonymous request cannot fill the disk)."""
    if count > settings.GONGKAI_APPLY_MAX_FILES:
        raise ServiceError("ATTACHMENTS_TOO_MANY", f"一次最多上传 {settings.GONGKAI_APPLY_MAX_FILES} 个文件，"
                           f"您选择了 {count} 个。", field=field)
    limit = settings.GONGKAI_APPLY_MAX_TOTAL_BYTES
    if total > limit:
        raise ServiceError("ATTACHMENTS_TOO_LARGE", f"上传的文件合计 {total / 1048576:.1f} MB，超过 "
                           f"{limit / 1048576:.0f} MB 的上限，请压缩或减少文件后重新提交。", field=field)


def check_uploads(files, *, field: str = "identity_files", capped: bool = True) -> list[CheckedFile]:
    """Files sent with an application or a 补正, checked (and their text read) before the
    transaction that stores them, each one an allowed document (disclosure.attachments); from the
    public (``capped``) within check_upload_caps."""
    files = list(files)
    if capped:
        check_upload_caps(len(files), sum(len(content) for _name, content in files), field=field)
    checked = []
    for name, content in files:
        try:
            checked.append(check_upload(name, content))
        except ServiceError as error:
            raise ServiceError(error.code, error.message, field=field) from None
    return checked


def _store_files(application, files: list[CheckedFile], kind):
    """Store files checked by check_uploads, in the caller's transaction."""
    for checked in files:
        stored = ApplicationFile(application=application, kind=kind, original_name=checked.name, size=len(checked.content))
        stored.file.save(checked.name, ContentFile(checked.content), save=False)
        stored.save()


def _earlier(key: str | None, fingerprint: str | None = None) -> Application | None:
    """The application this submission repeats: same submission key, else the same request
    (fingerprint) within DUPLICATE_WINDOW_MINUTES; the key's own application wins."""
    match = Q(submission_key=key) if key else Q()
    if fingerprint:
        recent = timezone.now() - dt.timedelta(minutes=DUPLICATE_WINDOW_MINUTES)
        match |= Q(content_fingerprint=fingerprint, created_at__gte=recent)
    if not match:
        return None
    # Ids first: most submissions repeat nothing, and the whole row is read only for a repeat.
    found = list(Application.objects.filter(match).order_by("id").values_list("pk", "submission_key")[:2])
    if not found:
        return None
    return Application.objects.get(pk=next((pk for pk, k in found if key and k == key), found[0][0]))


def accepting_agency(code: str) -> Agency | None:
    """The active agency with this code, its disclosure office loaded (the receipt prints its contact data)."""
    try:
        return Agency.objects.select_related("office").get(code=(code or "").strip().upper(), is_active=True)
    except Agency.DoesNotExist:
        return None


def earlier_submission(submission_key: str | None) -> Application | None:
    """The application already stored under this submission key, if any."""
    key = (submission_key or "").strip()[:64]
    return _earlier(key) if key else None


def submit_online(*, agency, data: dict, files=(), submission_key: str | None = None) -> tuple[Application, str | None]:
    """A public submission. ``submission_key`` makes retries (refresh, two tabs) return the first one.

    Returns (application, secret); the secret is None when this was a repeat of an earlier
    submission, because only its hash is stored.

    One transaction writes the application with its receipt date and opening clock, the audit
    row, the identity papers, the numbered receipt (its PDF/DOCX are rendered by a task once it commits)
    and the e-mail in the outbox (sent by a task once it commits, mailing.py). Uploads are checked, and
    their text read, before it (disclosure.attachments), so no upload holds the write lock.
    """
    if not agency.is_active:
        raise ServiceError("AGENCY_NOT_ACCEPTING", "该机关不在本平台受理申请。")
    key = (submission_key or "").strip()[:64] or None
    try:
        cleaned = clean_applicant(data)
    except ServiceError:
        if key and (earlier := _earlier(key)) is not None:
            return earlier, None
        raise
    checked_files = check_uploads(files)
    fingerprint = _fingerprint(agency, cleaned)
    # A key sent before, or the same request within the window (two tabs, a resubmitted form with
    # a new key), is answered from what is stored, without a write transaction. Two requests with
    # the same key racing each other both find nothing here; the second then fails the unique
    # submission_key and is answered like a repeat (IntegrityError below). The same content under
    # two keys at the same instant stays two applications.
    if (earlier := _earlier(key, fingerprint)) is not None:
        return earlier, None
    for _attempt in range(5):
        try:
            return _write_submission(agency, cleaned, key, fingerprint, checked_files)
        except IntegrityError:
            if key and (earlier := _earlier(key)) is not None:
                return earlier, None  # the same key won a race in another process: answer like a repeat
            continue  # a tracking code drawn twice (1 in 2^50): the whole transaction again, with a new one
    raise ServiceError("TRACKING_CODE_EXHAUSTED", "生成查询码失败，请重试。")


def _write_submission(agency, cleaned, key, fingerprint, files) -> tuple[Application, str]:
    """The submission's one write transaction: application, audit row, identity papers, receipt, e-mail."""
    received_on = timezone.localdate()
    code, secret = _new_code(), _new_secret()
    with transaction.atomic():
        # The calendar is held steady until the commit (workdays.calendar_lock), so a holiday notice's
        # recompute of all open cases either sees this one or came before this count.
        clockkeeping.calendar_signature()
        clock, _signature = clockkeeping.opening_state(received_on, checked=False)
        application = Application.objects.create(
            agency=agency, channel=Channel.ONLINE, received_on=received_on, tracking_code=code,
            secret_hash=tracking_codes.secret_digest(code, secret), submission_key=key, content_fingerprint=fingerprint,
            due_on=clock.due, due_confirmed=clock.calendar_confirmed, clock_state=clock.state,
            applicant_key=applicant_key(cleaned), **{f: cleaned.get(f, "") for f in APPLICANT_FIELDS})
        record(actor=None, label=APPLICANT_LABEL, action=Action.CREATE, obj=application, agency=agency,
               after=snapshot(application, PUBLIC_SNAPSHOT))
        _store_files(application, files, ApplicationFile.Kind.IDENTITY)
        _issue_receipt(application)
        _send_code(application, secret)
    return application, secret


def _issue_receipt(application):
    from gongkai.applications import letters

    # Number and text now, in the caller's transaction; its files are rendered by a task (letters.issue).
    letters.issue(application, "receipt", actor=None)


def _send_code(application, secret) -> None:
    """The code and secret to the applicant, through the outbox, in the submission's transaction."""
    if not application.email:
        return
    mailing.queue_message(
        application.email,
        f"您的政府信息公开申请已收到（查询码 {application.tracking_code}）",
        (f"{application.applicant_name}：\n\n{application.agency.name}已于{application.received_on:%Y年%m月%d日}收到您的"
         f"政府信息公开申请。\n查询码：{application.tracking_code}\n查询密码：{secret}\n"
         "请妥善保存，凭查询码和密码可在平台查看办理进度和答复文书。"),
    )


# 《政府信息公开条例》（国务院令第492号）第三十八条: in force from 2008-05-01; no application predates it.
REGULATION_IN_FORCE = dt.date(2008, 5, 1)


def register(*, actor, agency, data: dict, channel: str, received_on, files=(),
             issue_receipt: bool = True) -> tuple[Application, str]:
    """Staff register an application that came by post, in person, by fax… (第31条 receipt dates)."""
    access.require(actor, Perm.HANDLE_APPLICATIONS, agency)
    check_channel(channel)
    if received_on is None or received_on > timezone.localdate():
        raise ServiceError("RECEIVED_ON_INVALID", "收到申请日期不能为空或晚于今天。", field="received_on")
    if received_on < REGULATION_IN_FORCE:
        raise ServiceError("RECEIVED_ON_INVALID", "收到申请日期不能早于2008年5月1日（《政府信息公开条例》施行之日）。",
                           field="received_on")
    cleaned = clean_applicant(data)
    checked = check_uploads(files, capped=False)  # staff scanning what came by post or in person
    with transaction.atomic():
        application, secret = _create(agency, cleaned, channel=channel, received_on=received_on)
        _store_files(application, checked, ApplicationFile.Kind.IDENTITY)
        application.handler = actor
        application.save(update_fields=["handler"])
        clockkeeping.recompute(application)
        record(actor=actor, action=Action.CREATE, obj=application, agency=agency, after=snapshot(application, PUBLIC_SNAPSHOT))
        if issue_receipt:
            _issue_receipt(application)
    return application, secret


def assign(*, actor, application, handler) -> Application:
    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    if handler is not None and not access.can(handler, Perm.HANDLE_APPLICATIONS, application.agency):
        raise ServiceError("HANDLER_NOT_ALLOWED", f"{handler.get_full_name() or handler.username} 不能办理本机关的申请。",
                           field="handler")
    with transaction.atomic():
        application = clockkeeping.locked(application)
        before = snapshot(application, ["handler"])
        application.handler = handler
        if application.status == Status.RECEIVED:
            application.status = Status.IN_PROGRESS
        application.save()
        record(actor=actor, action=Action.APPLICATION_ASSIGN, obj=application, agency=application.agency, before=before,
               after=snapshot(application, ["handler"]), note="分配承办人")
    return application


def add_note(*, actor, application, text: str) -> Note:
    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    text = (text or "").strip()
    if not text:
        raise ServiceError("NOTE_EMPTY", "请填写备注内容。", field="text")
    refuse_active_content(text, field="text", label="备注")
    with transaction.atomic():
        note = Note.objects.create(application=application, text=text, author=actor)
        record(actor=actor, action=Action.CREATE, obj=note, agency=application.agency, after={"text": text})
    return note


def add_found_files(*, actor, application, files) -> None:
    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    checked = check_uploads(files, field="files", capped=False)
    with transaction.atomic():
        _store_files(application, checked, ApplicationFile.Kind.FOUND)
        record(actor=actor, action=Action.FOUND_FILES_ADD, obj=application, agency=application.agency,
               after={"files_added": [name for name, _ in files]}, note="添加检索到的信息")


def supervise(*, actor, application, on: bool, note: str = "") -> Application:
    """督办: the office head flags a case for priority; it heads the workbench lists."""
    access.require(actor, Perm.HEAD_APPLICATIONS, application.agency)
    refuse_active_content(note, field="note", label="督办意见")
    with transaction.atomic():
        application = clockkeeping.locked(application)
        before = snapshot(application, ["supervised", "supervision_note"])
        application.supervised, application.supervision_note = on, (note or "").strip()
        application.save()
        record(actor=actor, action=Action.SUPERVISE, obj=application, agency=application.agency, before=before,
               after=snapshot(application, ["supervised", "supervision_note"]), note="督办")
    return application


def may_see_personal_data(user, application) -> bool:
    """Identity number, phone and address in full: the assigned handler and the office head only."""
    if user is None:
        return True
    if access.can(user, Perm.HEAD_APPLICATIONS, application.agency):
        return True
    return application.handler_id == user.pk and access.can(user, Perm.HANDLE_APPLICATIONS, application.agency)


def reveal_personal_data(*, actor, application) -> dict:
    """The full personal data, with an audit row for every look."""
    if not may_see_personal_data(actor, application):
        raise PermissionDeniedError("只有承办人和工作机构负责人可以查看申请人的完整身份信息。")
    record(actor=actor, action=Action.VIEW_PERSONAL, obj=application, agency=application.agency,
           note="查看申请人完整身份证件号码、电话和地址")
    return {"id_number": application.id_number, "phone": application.phone, "address": application.address}


def transfer(*, actor, application, to_agency) -> Application:
    """Hand a request to the agency that holds the information (第36条第五项).

    The original case closes as 非本机关负责 (table 三 (四)1) with the receiving agency named;
    the receiving agency's clock starts on the transfer date under its own rules.
    """
    from gongkai.applications.replies import ReplyType

    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    if to_agency.pk == application.agency_id or not to_agency.is_active:
        raise ServiceError("TRANSFER_TARGET_INVALID", "请选择本平台上的其他受理机关。", field="to_agency")
    today = timezone.localdate()
    with transaction.atomic():
        application = clockkeeping.locked(application)
        if not application.is_open:
            raise ServiceError("APPLICATION_CLOSED", "该申请已办结。")
        before = snapshot(application, PUBLIC_SNAPSHOT)
        data = {f: getattr(application, f) for f in APPLICANT_FIELDS}
        # The applicant follows the new case from the old one's status page (their secret proves
        # them there), so the new case's own secret is never shown.
        moved, _unused_secret = _create(to_agency, data, channel=application.channel, received_on=today,
                                        transferred_from=application)
        application.status, application.reply_type = Status.TRANSFERRED, ReplyType.UNAVAILABLE_NOT_RESPONSIBLE
        application.reply_reason = f"该信息由{to_agency.name}负责，已转该机关办理。"
        application.replied_on = application.closed_on = today
        application.save()
        clockkeeping.recompute(moved)
        record(actor=actor, action=Action.TRANSFER, obj=application, agency=application.agency, before=before,
               after=snapshot(application, PUBLIC_SNAPSHOT), note=f"转{to_agency.name}（{moved.tracking_code}）")
        record(actor=actor, action=Action.CREATE, obj=moved, agency=to_agency, after=snapshot(moved, PUBLIC_SNAPSHOT),
               note=f"由{application.agency.name}转来（原查询码 {application.tracking_code}）")
    return moved

