"""Drafting a letter from its template, and issuing it: 文号, DOCX and PDF, then never changed."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.applications.letters import numbering
from gongkai.applications.letters.pdf import render_pdf
from gongkai.applications.letters.word import render_docx
from gongkai.applications.letters.wording import text_for
from gongkai.applications.models import Letter, LetterKind
from gongkai.errors import ServiceError

TITLE_MAX = Letter._meta.get_field("title").max_length


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
    """Issue a draft: allocate its 文号, render DOCX and PDF, store them and save the letter once.

    Issued letters are immutable (Letter.save refuses), so everything is set before the one save.
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
            # Checked after taking the agency lock, so two clicks on 签发 cannot both get through.
            if letter.pk and Letter.objects.filter(pk=letter.pk, issued_at__isnull=False).exists():
                raise ServiceError("LETTER_ALREADY_ISSUED", "文书已签发，不能重复签发。")
            letter.issued_at, letter.issued_by = issued_at, actor
            if render:
                stem = _stem(letter)
                letter.docx.save(f"{stem}.docx", ContentFile(render_docx(letter)), save=False)
                letter.pdf.save(f"{stem}.pdf", ContentFile(render_pdf(letter)), save=False)
            letter.save()
    except BaseException:
        letter.number, letter.issued_at, letter.issued_by = previous
        raise
    return letter


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
