"""Receiving applications: online submissions, staff registration of other channels, tracking
codes and secrets, assignment, transfer, notes, 督办 and the audited view of personal data."""

import datetime as dt
import hmac
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gongkai.applications import clockkeeping, hotcache, mailing, rows
from gongkai.applications.applicants import applicant_key
from gongkai.applications.models import Application, ApplicationFile, Channel, Note, Status
from gongkai.applications.validation import check_channel, clean_applicant
from gongkai.audit.models import Action
from gongkai.audit.services import entry as audit_entry
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.attachments import check as check_upload
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm

# No 0/O/1/I: codes are read out over the phone and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
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


def _random_text(length: int) -> str:
    """``length`` characters of CODE_ALPHABET from one read of the system's random source (where
    secrets.choice makes one per character). Each byte picks a character by its remainder: 256 is
    a multiple of 32, so every character is equally likely."""
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in secrets.token_bytes(length))


if 256 % len(CODE_ALPHABET):
    raise RuntimeError("CODE_ALPHABET must have a length that divides 256, or _random_text is biased")


def _new_code() -> str:
    return _random_text(10)


def _new_secret() -> str:
    return _random_text(8)


def _hash_secret(code: str, secret: str) -> str:
    # Keyed with the installation secret: a leaked database alone does not reveal secrets.
    return hmac.new(settings.SECRET_KEY.encode(), f"{code}:{secret.upper()}".encode(), "sha256").hexdigest()


def secret_matches(application: Application, secret: str) -> bool:
    return hmac.compare_digest(application.secret_hash, _hash_secret(application.tracking_code, secret or ""))


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
                    secret_hash=_hash_secret(code, secret), submission_key=key, transferred_from=transferred_from,
                    applicant_key=applicant_key(data), **{f: data.get(f, "") for f in APPLICANT_FIELDS}, **fields,
                )
            return application, secret
        except IntegrityError:
            if key and Application.objects.filter(submission_key=key).exists():
                raise
    raise ServiceError("TRACKING_CODE_EXHAUSTED", "生成查询码失败，请重试。")


def _store_files(application, files, kind):
    for name, content in files:
        checked = check_upload(name, content)
        stored = ApplicationFile(application=application, kind=kind, original_name=checked.name, size=len(content))
        stored.file.save(checked.name, ContentFile(content), save=False)
        stored.save()


# What a repeat answer needs; the rest (encrypted fields included) loads only if a caller asks.
REPEAT_FIELDS = ("id", "agency_id", "tracking_code", "submission_key", "content_fingerprint", "status", "received_on",
                 "due_on", "due_confirmed", "clock_state", "created_at")


def _earlier(key: str | None, fingerprint: str | None = None) -> Application | None:
    """The application this submission repeats: same submission key, else the same request
    (fingerprint) within DUPLICATE_WINDOW_MINUTES; one query for both (rows.select)."""
    if not key and not fingerprint:
        return None
    match, params = (["submission_key = %s"], [key]) if key else ([], [])
    if fingerprint:
        recent = timezone.now() - dt.timedelta(minutes=DUPLICATE_WINDOW_MINUTES)
        match.append("(content_fingerprint = %s AND created_at >= %s)")
        params += [fingerprint, connection.ops.adapt_datetimefield_value(recent)]
    found = rows.select(Application, f"{' OR '.join(match)} ORDER BY id LIMIT 2", params, only=REPEAT_FIELDS)
    return next((a for a in found if key and a.submission_key == key), found[0] if found else None)


class _CalendarChanged(Exception):  # noqa: N818 - not an error: the submission is written again
    """The holiday calendar changed between counting the due date and the write transaction."""


class _Repeat(Exception):  # noqa: N818 - not an error: the answer is an earlier application
    """Raised inside the submission's transaction when it turns out to repeat an earlier one."""

    def __init__(self, earlier: Application):
        super().__init__(earlier.tracking_code)
        self.earlier = earlier


def accepting_agency(code: str) -> Agency | None:
    """The active agency with this code, its disclosure office loaded (the receipt prints its
    contact data), in one query (rows.select), kept for a few seconds (hotcache.py)."""
    code = (code or "").strip().upper()

    def load():
        found = rows.select(Agency, "orgs_agency.code = %s AND orgs_agency.is_active = %s", [code, True],
                            with_one="office")
        return found[0] if found else None

    return hotcache.get(("accepting_agency", code), load)


def earlier_submission(submission_key: str | None) -> Application | None:
    """The application already stored under this submission key, if any."""
    key = (submission_key or "").strip()[:64]
    return _earlier(key) if key else None


def submit_online(*, agency, data: dict, files=(), submission_key: str | None = None) -> tuple[Application, str | None]:
    """A public submission. ``submission_key`` makes retries (refresh, two tabs) return the first one.

    Returns (application, secret); the secret is None when this was a repeat of an earlier
    submission, because only its hash is stored.

    Every online submission waits for SQLite's one write lock, so the transaction holds only the
    writes that must happen at once: the application with its receipt date and opening clock, the
    audit row, the numbered receipt (its PDF/DOCX are rendered on first download) and the e-mail
    in the outbox (sent after the commit, mailing.py). Lookups and checks happen before it.
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
    fingerprint = _fingerprint(agency, cleaned)
    checked_files = [(n, c) for n, c in files]
    for name, content in checked_files:
        check_upload(name, content)
    # Repeats are looked up inside the write transaction (_write_submission), where on SQLite no
    # other process can be writing their twin at the same moment; on PostgreSQL a key racing in
    # another transaction fails the unique submission_key (IntegrityError below). (Measured: the
    # same throughput as the lookup before the transaction.)
    for _attempt in range(5):
        try:
            application, secret = _write_submission(agency, cleaned, key, fingerprint, checked_files)
        except _Repeat as repeat:
            return repeat.earlier, None
        except _CalendarChanged:
            continue  # counted again on the calendar that is now in force
        except IntegrityError:
            if key and (earlier := _earlier(key)) is not None:
                return earlier, None  # the same key won a race in another process: answer like a repeat
            continue  # a tracking code drawn twice (1 in 2^50): the whole transaction again, with a new one
        return application, secret
    raise ServiceError("TRACKING_CODE_EXHAUSTED", "生成查询码失败，请重试。")


def _write_submission(agency, cleaned, key, fingerprint, files) -> tuple[Application, str]:
    """The submission's one write transaction: application, audit row, receipt, outbox message;
    _Repeat if the key was used before or the same request came within DUPLICATE_WINDOW_MINUTES.

    Every row is built before the transaction, as the ORM would build it (the model instances,
    audit.entry, the receipt's template and text, the e-mail's encrypted body), and prepared as one
    INSERT each (rows.prepare). On SQLite the transaction holds the database's one write turn, so
    it only executes them, filling in what needs the turn: the application's new id and the
    receipt's 文号. Measured (bench/applications.py): the turn went from 1.23 to 0.56 ms a
    submission, and the other worker builds its rows meanwhile instead of waiting.
    """
    from gongkai.applications import letters

    received_on = timezone.localdate()
    # No events yet: the same clock for every submission today, on the calendar this process last
    # saw; the transaction confirms that calendar before writing anything.
    clock, calendar_signature = clockkeeping.opening_state(received_on, checked=False)
    code, secret = _new_code(), _new_secret()
    application = Application(
        agency=agency, channel=Channel.ONLINE, received_on=received_on, tracking_code=code,
        secret_hash=_hash_secret(code, secret), submission_key=key, content_fingerprint=fingerprint,
        due_on=clock.due, due_confirmed=clock.calendar_confirmed, clock_state=clock.state,
        applicant_key=applicant_key(cleaned), **{f: cleaned.get(f, "") for f in APPLICANT_FIELDS})
    application_row = rows.prepare(application)
    audit_row = audit_entry(actor=None, label=APPLICANT_LABEL, action=Action.CREATE, obj=application,
                            agency=agency, after=snapshot(application, PUBLIC_SNAPSHOT))
    # Number and text of the receipt now; its files on first download (letters.ensure_files).
    receipt = letters.prepare_issue(application, "receipt", actor=None)
    message = _code_message(application, secret)
    with transaction.atomic():
        # The calendar the due date was counted on must still be in force: read here, inside the
        # write turn (SQLite) or under the calendar's shared lock (PostgreSQL, workdays.steady),
        # no holiday notice can be entered or withdrawn between this and the commit, so the
        # notice's recompute of all open cases either sees this one or came before this read.
        if clockkeeping.calendar_signature() != calendar_signature:
            raise _CalendarChanged
        # A key sent before, or the same request within the window (two tabs, a resubmitted form
        # with a new key); the key's own application wins. The lookup reads the index pages the
        # INSERT below writes to, and on SQLite it runs inside the write turn, so two processes
        # cannot both decide the request is new.
        if (earlier := _earlier(key, fingerprint)) is not None:
            raise _Repeat(earlier)
        application_row.execute()
        audit_row.object_id = str(application.pk)
        audit_row.at = timezone.now()
        audit_row.save(force_insert=True)  # sealed into the audit chain under its lock (audit/chain.py)
        _store_files(application, files, ApplicationFile.Kind.IDENTITY)
        letters.complete_issue(receipt)
        if message is not None:
            mailing.queue(message)  # sent after the commit (mailing.py)
    return application, secret


def _issue_receipt(application):
    from gongkai.applications import letters

    # Number and text now, in the caller's transaction; files on first download (letters.ensure_files).
    letters.issue(application, "receipt", actor=None)


def _code_message(application, secret):
    """The code and secret to the applicant, as an outbox row to insert in the submission's transaction."""
    if not application.email:
        return None
    return mailing.prepare(
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
    with transaction.atomic():
        application, secret = _create(agency, cleaned, channel=channel, received_on=received_on)
        _store_files(application, files, ApplicationFile.Kind.IDENTITY)
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
        record(actor=actor, action=Action.EDIT, obj=application, agency=application.agency, before=before,
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
    with transaction.atomic():
        _store_files(application, files, ApplicationFile.Kind.FOUND)
        record(actor=actor, action=Action.EDIT, obj=application, agency=application.agency,
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
        record(actor=actor, action=Action.EDIT, obj=application, agency=application.agency, before=before,
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

