"""Files sent with a public application: checked once before the write transaction, their text read
in a limited child process, and capped per request; refused attempts count toward the rate limit."""

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake
from gongkai.applications.models import Application, ApplicationFile
from gongkai.applications.tests.conftest import applicant
from gongkai.audit.models import AuditEntry
from gongkai.disclosure import attachments
from gongkai.errors import ServiceError

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def word(paragraphs: int = 1, text: str = "居民身份证复印件") -> bytes:
    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def empty_paragraph_bomb(paragraphs: int = 300_000) -> bytes:
    """A few tens of kilobytes of Word document that unpack to ``paragraphs`` empty paragraphs."""
    source = zipfile.ZipFile(io.BytesIO(word(0)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>")
                data = head + b"<w:body>" + b"<w:p/>" * paragraphs + tail
            bomb.writestr(info.filename, data)
    return out.getvalue()


def post_form(client, world, files, **overrides):
    page = client.get(reverse("apply:form", args=[world.agency_a.code]))
    data = {**applicant(**overrides), "submission_key": page.context["form"].initial["submission_key"],
            "identity_files": files}
    return client.post(reverse("apply:form", args=[world.agency_a.code]), data)


def nothing_stored():
    return (Application.objects.count(), ApplicationFile.objects.count(),
            AuditEntry.objects.filter(object_type="applications.application").count()) == (0, 0, 0)


def test_an_identity_paper_in_word_is_stored_once(world, client):
    paper = word()
    response = post_form(client, world, [SimpleUploadedFile("身份证.docx", paper)])
    assert response.status_code == 302
    stored = ApplicationFile.objects.get()
    assert stored.kind == "identity" and stored.original_name == "身份证.docx" and stored.file.read() == paper


def test_a_word_document_of_empty_paragraphs_is_refused_in_chinese_and_nothing_is_stored(world, client):
    bomb = empty_paragraph_bomb()
    assert len(bomb) < 60_000
    response = post_form(client, world, [SimpleUploadedFile("身份证.docx", bomb)])
    page = response.content.decode()
    assert response.status_code == 200 and "附件“身份证.docx”的段落、表格单元格或表格行超过 50,000 个" in page
    assert "另存为 PDF" in page and nothing_stored()


def test_the_paragraph_limit_is_a_setting(settings):
    settings.GONGKAI_EXTRACT_MAX_PARAGRAPHS = 10
    assert "居民身份证复印件" in attachments.check("十段.docx", word(10)).text
    with pytest.raises(ServiceError) as refused:
        attachments.check("十一段.docx", word(11))
    assert refused.value.code == "ATTACHMENT_TOO_COMPLEX" and "超过 10 个" in refused.value.message


def test_a_document_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(settings):
    settings.GONGKAI_EXTRACT_MAX_UNPACKED_MB = 1
    big = word(1, "申" * 600_000)  # ~1.8 MB of text in the document, a few kilobytes packed
    assert len(big) < 200_000
    with pytest.raises(ServiceError) as refused:
        attachments.check("大.docx", big)
    assert refused.value.code == "ATTACHMENT_TOO_COMPLEX" and "超过 1 MB 的上限" in refused.value.message


def test_a_reader_that_runs_out_of_time_refuses_the_file(settings):
    settings.GONGKAI_EXTRACT_SECONDS = 0  # the child's CPU limit is hit before it has read anything
    with pytest.raises(ServiceError) as refused:
        attachments.check("慢.docx", word())
    assert refused.value.code == "ATTACHMENT_TOO_COMPLEX" and "0 秒内未能读完" in refused.value.message


def test_more_files_than_allowed_are_refused_in_chinese(world, client, settings):
    settings.GONGKAI_APPLY_MAX_FILES = 3
    files = [SimpleUploadedFile(f"证明{n}.pdf", PDF) for n in range(4)]
    response = post_form(client, world, files)
    assert response.status_code == 200 and "一次最多上传 3 个文件，您选择了 4 个" in response.content.decode()
    assert nothing_stored()


def test_files_larger_together_than_allowed_are_refused_in_chinese(world, client, settings):
    settings.GONGKAI_APPLY_MAX_TOTAL_BYTES = 1024 * 1024
    half = PDF + b"0" * (600 * 1024)
    response = post_form(client, world, [SimpleUploadedFile("一.pdf", half), SimpleUploadedFile("二.pdf", half)])
    assert response.status_code == 200 and "超过 1 MB 的上限" in response.content.decode()
    assert nothing_stored()


def test_the_service_caps_public_uploads_but_not_staff_registration(world, settings):
    settings.GONGKAI_APPLY_MAX_FILES = 1
    two = [("一.pdf", PDF), ("二.pdf", PDF)]
    with pytest.raises(ServiceError) as refused:
        intake.submit_online(agency=world.agency_a, data=applicant(), files=two, submission_key="caps")
    assert refused.value.code == "ATTACHMENTS_TOO_MANY" and refused.value.field == "identity_files" and nothing_stored()
    application, _secret = intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(), files=two,
                                           channel="post", received_on=dt.date(2026, 3, 2), issue_receipt=False)
    assert application.files.count() == 2


def test_refused_attempts_count_toward_the_rate_limit(world, client, settings):
    settings.GONGKAI_APPLY_PER_HOUR = 2
    for _ in range(2):  # refused: the form is incomplete
        assert post_form(client, world, [], applicant_name="").status_code == 200
    response = post_form(client, world, [])
    assert "提交过于频繁" in response.content.decode() and nothing_stored()


def test_a_correction_with_too_many_files_is_refused_in_chinese(world, client, settings):
    from gongkai.applications import handling

    settings.GONGKAI_APPLY_MAX_FILES = 1
    page = client.get(reverse("apply:form", args=[world.agency_a.code]))
    client.post(reverse("apply:form", args=[world.agency_a.code]),
                {**applicant(), "submission_key": page.context["form"].initial["submission_key"]})
    application = Application.objects.get()
    letter = handling.request_correction(actor=world.drafter_a, application=application, items="请写明文号",
                                         deadline=application.received_on + dt.timedelta(days=10))
    handling.issue_letter(actor=world.drafter_a, letter=letter)
    response = client.post(reverse("apply:correction", args=[application.tracking_code]),
                           {"text": "文号为清民发〔2025〕3号", "files": [SimpleUploadedFile("一.pdf", PDF),
                                                                      SimpleUploadedFile("二.pdf", PDF)]}, follow=True)
    assert "一次最多上传 1 个文件，您选择了 2 个" in response.content.decode()
    assert Application.objects.get().status == "awaiting_correction" and not ApplicationFile.objects.exists()
