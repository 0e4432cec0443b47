"""Drafting a letter from its template, and issuing it: 文号, DOCX and PDF, then never changed.

Rendering takes ~0.3 s (WeasyPrint), so it never happens inside the issuing transaction, which on
SQLite holds the database's one write lock: every other write (every online submission) would
queue behind it. A letter is issued with its number and text; its files are rendered after the
commit (staff issues) or on first download (receipts), by ensure_files, which stores them once.
"""

import functools
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


def compose(application, kind: str, *, extra: dict | None = None) -> Letter:
    """A saved draft (not issued) of the letter of ``kind`` for ``application``.

    ``extra`` carries what only the caller knows (see context.EXTRA_KEYS). The caller audits.
    """
    if kind not in LetterKind.values:
        raise ServiceError("LETTER_KIND_INVALID", "未知的文书类型。")
    if kind == LetterKind.REPLY and not application.reply_type:
        raise ServiceError("REPLY_TYPE_MISSING", "请先确定答复类型，再生成答复书。", field="reply_type")
    title, body = text_for(application, kind, extra)
    return Letter.objects.create(application=application, kind=kind, title=title[:TITLE_MAX], body=body)


def finalise(letter: Letter, *, actor, render: bool = True) -> Letter:
    """Issue a draft: allocate its 文号 and save the letter once; DOCX and PDF follow.

    Issued letters are immutable (Letter.save refuses), so everything is set before the one save.
    With ``render`` the files are rendered once the caller's transaction has committed (a failure
    there leaves them to the first download); without it, on first download only.
    The caller writes the audit row, in the same transaction.
    """
    if letter.issued_at is not None:
        raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能重复签发。")
    previous = (letter.number, letter.issued_at, letter.issued_by)
    try:
        with transaction.atomic():
            application = letter.application
            issued_at = timezone.now()
            letter.number = numbering.allocate(application.agency, letter.kind, timezone.localtime(issued_at).year)
            # Checked after the number's row lock, so two clicks on 签发 cannot both get through.
            if letter.pk and Letter.objects.filter(pk=letter.pk, issued_at__isnull=False).exists():
                raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能重复签发。")
            letter.issued_at, letter.issued_by = issued_at, actor
            letter.save()
            if render:
                transaction.on_commit(functools.partial(_render_after_commit, letter))
    except BaseException:
        letter.number, letter.issued_at, letter.issued_by = previous
        raise
    return letter


def issue(application, kind: str, *, actor, extra: dict | None = None) -> Letter:
    """Compose and issue in one step and one INSERT, files on first download: the receipt.

    Same text and number as compose() then finalise(render=False), without the draft row's
    insert, re-read and update inside the caller's (write-locked) transaction.
    """
    if kind not in LETTER_KINDS:
        raise ServiceError("LETTER_KIND_INVALID", "未知的文书类型。")
    # None when the agency has no template of this kind: gongkai's default wording and prefix.
    template = (LetterTemplate.objects.filter(agency_id=application.agency_id, kind=kind)
                .values_list("body", "number_prefix").first())
    title, body = text_for(application, kind, extra, template_source=template[0] if template else "")
    issued_at = timezone.now()
    prefix = (template and template[1]) or numbering.default_prefix(application.agency, kind)
    number = numbering.allocate(application.agency, kind, timezone.localtime(issued_at).year, prefix=prefix)
    return Letter.objects.create(application=application, kind=kind, title=title[:TITLE_MAX], body=body,
                                 number=number, issued_at=issued_at, issued_by=actor)


def _render_after_commit(letter: Letter) -> None:
    try:
        rendered = ensure_files(letter)
        letter.docx, letter.pdf = rendered.docx.name, rendered.pdf.name  # the caller's copy too
    except Exception:  # noqa: BLE001 - the letter is issued; its first download renders it again
        log.exception("rendering issued letter %s failed; it will be rendered on first download", letter.pk)


def _stem(letter: Letter) -> str:
    return f"{letter.kind}-{letter.number.rsplit('〔', 1)[-1].replace('〕', '-').rstrip('号')}"


def ensure_files(letter: Letter) -> Letter:
    """The DOCX and PDF of an issued letter, rendered now if it was issued without them.

    Receipts are issued with their number and text at submission time but rendered on first
    download: rendering takes ~0.3 s and would otherwise hold up every submission behind it.
    """
    if letter.issued_at is None or (letter.docx and letter.pdf):
        return letter
    stem = _stem(letter)
    storage = letter.docx.storage
    docx_name = storage.save(letter.docx.field.generate_filename(letter, f"{stem}.docx"), ContentFile(render_docx(letter)))
    pdf_name = storage.save(letter.pdf.field.generate_filename(letter, f"{stem}.pdf"), ContentFile(render_pdf(letter)))
    if not Letter.objects.attach_files(letter.pk, docx=docx_name, pdf=pdf_name):
        storage.delete(docx_name)  # another request rendered it first
        storage.delete(pdf_name)
    return Letter.objects.get(pk=letter.pk)
