"""Drafting a letter from its template, and issuing it: 文号 and text saved once, then never changed.

One path issues every letter, ``issue``: a receipt composed at submission, or a draft staff have
reviewed. It allocates the 文号 and saves the letter in the caller's transaction, and enqueues
the task that renders its DOCX and PDF in the same transaction (the queue is in this database),
so the files are made exactly when the letter exists. Rendering takes ~0.3 s (WeasyPrint) and
never runs inside the issuing transaction, which on SQLite holds the database's one write turn.

A download never renders or writes: until the worker has stored the files, the views answer
with files_pending() (“文书文件正在生成，请稍后再试”).
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.applications.letters import numbering
from gongkai.applications.letters.pdf import render_pdf
from gongkai.applications.letters.word import render_docx
from gongkai.applications.letters.wording import text_for
from gongkai.applications.models import Letter, LetterKind, LetterTemplate
from gongkai.errors import ServiceError

log = logging.getLogger(__name__)
TITLE_MAX = Letter._meta.get_field("title").max_length
LETTER_KINDS = frozenset(LetterKind.values)


def _check_kind(application, kind: str) -> None:
    if kind not in LETTER_KINDS:
        raise ServiceError("LETTER_KIND_INVALID", "未知的文书类型。")
    if kind == LetterKind.REPLY and not application.reply_type:
        raise ServiceError("REPLY_TYPE_MISSING", "请先确定答复类型，再生成答复书。", field="reply_type")


def _template(application, kind: str) -> tuple[str, str]:
    """(body, number prefix) of the agency's template for ``kind``, ("", "") without one."""
    return (LetterTemplate.objects.filter(agency_id=application.agency_id, kind=kind)
            .values_list("body", "number_prefix").first() or ("", ""))


def _draft(application, kind: str, extra: dict | None, *, template_source: str | None = None) -> Letter:
    _check_kind(application, kind)
    title, body = text_for(application, kind, extra, template_source=template_source)
    return Letter(application=application, kind=kind, title=title[:TITLE_MAX], body=body)


def compose(application, kind: str, *, extra: dict | None = None, save: bool = True) -> Letter:
    """A draft (not issued) of the letter of ``kind`` for ``application``, saved for staff to review.

    ``extra`` carries what only the caller knows (see context.EXTRA_KEYS). The caller audits.
    With ``save=False`` the draft is only composed (its text rendered from the template), to be
    handed to issue(draft=…) later: an online submission composes its receipt before its write
    transaction and issues it inside, where ``application`` has been saved meanwhile.
    """
    letter = _draft(application, kind, extra, template_source=_template(application, kind)[0])
    if save:
        letter.save()
    return letter


def issue(application, kind: str, *, actor, extra: dict | None = None, draft: Letter | None = None,
          on: dt.date | None = None) -> Letter:
    """Issue the letter of ``kind``: composed from the template now, or ``draft`` as staff left it.

    ``on`` is the day it was signed when it is recorded afterwards (a letter signed and sent on
    paper; the caller checks the day, handling.stated_on): its date and its 文号's year are that
    day's, so a letter of December carries 〔that year〕 even when entered in January.

    Allocates its 文号 and saves it once (issued letters are immutable: Letter.save refuses), and
    enqueues render_letter for its files, all in the caller's transaction; the caller writes the
    audit row in that transaction too.
    """
    template_body, prefix = _template(application, kind)
    if draft is None:
        letter = _draft(application, kind, extra, template_source=template_body)
    else:
        if draft.application is not application and draft.application_id != application.pk or draft.kind != kind:
            raise ServiceError("LETTER_KIND_INVALID", "文书与申请或类型不符。")
        if draft.issued_at is not None:
            raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能重复签发。")
        letter = draft
    from gongkai.applications.tasks import render_letter

    previous = (letter.number, letter.issued_at, letter.issued_by)
    try:
        with transaction.atomic():
            issued_at = timezone.now()
            if on is not None and on != timezone.localdate(issued_at):
                issued_at = timezone.make_aware(dt.datetime.combine(on, timezone.localtime(issued_at).time()))
            letter.number = numbering.allocate(application.agency, kind, timezone.localtime(issued_at).year,
                                               prefix=prefix or numbering.default_prefix(application.agency, kind))
            # Checked after the number's row lock, so two clicks on 签发 cannot both get through.
            if letter.pk and Letter.objects.filter(pk=letter.pk, issued_at__isnull=False).exists():
                raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能重复签发。")
            letter.issued_at, letter.issued_by = issued_at, actor
            letter.save()
            render_letter.enqueue(letter.pk)
    except BaseException:
        letter.number, letter.issued_at, letter.issued_by = previous
        raise
    return letter


def _stem(letter: Letter) -> str:
    return f"{letter.kind}-{letter.number.rsplit('〔', 1)[-1].replace('〕', '-').rstrip('号')}"


def render_files(letter_id: int) -> dict:
    """Render an issued letter's DOCX and PDF and store them (the render_letter task).

    The files are a printing of the immutable text and number: they fill the letter's empty file
    fields once (Letter.objects.attach_files) and are never replaced, so a task that runs twice
    (a worker that died after storing them) keeps the first pair and deletes its own.
    """
    letter = Letter.objects.select_related("application__agency").get(pk=letter_id)
    if letter.issued_at is None:
        raise ServiceError("LETTER_NOT_ISSUED", "文书尚未签发，不生成正式文件。")
    if letter.docx and letter.pdf:
        return {"letter": letter.pk, "rendered": False}
    stem = _stem(letter)
    storage = letter.docx.storage
    docx_name = storage.save(letter.docx.field.generate_filename(letter, f"{stem}.docx"), ContentFile(render_docx(letter)))
    pdf_name = storage.save(letter.pdf.field.generate_filename(letter, f"{stem}.pdf"), ContentFile(render_pdf(letter)))
    if not Letter.objects.attach_files(letter.pk, docx=docx_name, pdf=pdf_name):
        storage.delete(docx_name)
        storage.delete(pdf_name)
        return {"letter": letter.pk, "rendered": False}
    return {"letter": letter.pk, "rendered": True, "docx": docx_name, "pdf": pdf_name}


def files_ready(letter: Letter) -> bool:
    return bool(letter.issued_at and letter.docx and letter.pdf)


FILES_PENDING_MESSAGE = "文书文件正在生成，请稍后刷新页面再下载。"


def requeue_unrendered() -> int:
    """Enqueue render_letter for issued letters still without files whose task is not waiting.

    For `gongkai retry_mail` (cron): a render that failed (WeasyPrint, a full disk) or whose worker
    died is tried again; downloads themselves never render.
    """
    from gongkai.applications.tasks import render_letter
    from gongkai.jobs.queue import waiting_args

    waiting = {args[0] for args in waiting_args(render_letter) if args}
    missing = list(Letter.objects.filter(issued_at__isnull=False, pdf="").exclude(pk__in=waiting)
                   .values_list("pk", flat=True))
    with transaction.atomic():
        for pk in missing:
            render_letter.enqueue(pk)
    return len(missing)
