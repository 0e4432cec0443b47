"""An agency's letter settings: the 机关代字 its 文号 start with and its electronic seal on issued letters."""

import datetime as dt
import io
import zipfile

import docx
import pypdf
import pytest
from PIL import Image, ImageDraw

from gongkai.applications import handling, intake, letters
from gongkai.applications.letters import numbering, style
from gongkai.applications.models import LetterKind, LetterStyle
from gongkai.applications.replies import ReplyType
from gongkai.applications.tests.test_letters import resident_id
from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import on
from gongkai.errors import PermissionDeniedError, ServiceError

TODAY = dt.date(2026, 3, 4)
pytestmark = [pytest.mark.django_db, on(TODAY)]


def seal_png(size=(400, 400), mode="RGBA") -> bytes:
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size[0] - 8, size[1] - 8), outline=(208, 0, 0), width=14)
    draw.regular_polygon((size[0] / 2, size[1] / 2, size[1] / 6), 5, fill=(208, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def issued_reply(world):
    application, _secret = intake.register(
        actor=world.admin_a, agency=world.agency_a, channel="in_person", received_on=TODAY - dt.timedelta(days=3),
        data={"applicant_type": "natural", "applicant_name": "李文静", "id_type": "resident_id",
              "id_number": resident_id(), "phone": "13812345678", "address": "测试县人民路8号",
              "description": "请公开测试县财政局2025年部门决算。", "provision_form": "post"})
    draft = handling.decide_reply(actor=world.admin_a, application=application, reply_type=ReplyType.PUBLIC_PROVIDED)
    return handling.issue_letter(actor=world.admin_a, letter=draft)


def test_the_agencys_number_code_starts_every_default_prefix_and_is_audited(world):
    assert numbering.default_prefix(world.agency_a, LetterKind.REPLY).endswith("依申公复")
    style.style_update(actor=world.admin_a, agency=world.agency_a, number_code=" 测财 ")
    assert [numbering.default_prefix(world.agency_a, k) for k in ("reply", "fee", "receipt")] == [
        "测财依申公复", "测财依申公告", "测财依申公收"]
    assert issued_reply(world).number.startswith("测财依申公复〔2026〕")
    entry = AuditEntry.objects.get(action=Action.LETTER_STYLE)
    assert entry.before == {"number_code": "", "seal_sha256": ""} and entry.after["number_code"] == "测财"
    # A prefix an agency set for one kind in its template still wins over the code.
    letters.template_update(actor=world.admin_a, agency=world.agency_a, kind="reply", body="", number_prefix="测财复")
    assert numbering.prefix_for(world.agency_a, "reply") == "测财复"
    assert numbering.prefix_for(world.agency_a, "fee") == "测财依申公告"


@pytest.mark.parametrize("value", ["QC", "清财1", "清 财", "清财〔", "一二三四五六七八九十一"])
def test_a_number_code_that_is_not_one_to_ten_chinese_characters_is_refused_in_chinese(world, value):
    with pytest.raises(ServiceError) as refused:
        style.style_update(actor=world.admin_a, agency=world.agency_a, number_code=value)
    assert refused.value.code == "LETTER_NUMBER_CODE_INVALID" and "汉字" in refused.value.message
    assert not LetterStyle.objects.exists() and not AuditEntry.objects.filter(action=Action.LETTER_STYLE).exists()


def test_another_agencys_admin_cannot_change_the_settings(world):
    with pytest.raises(PermissionDeniedError):
        style.style_update(actor=world.admin_b, agency=world.agency_a, number_code="测财")
    with pytest.raises(PermissionDeniedError):
        style.style_update(actor=world.drafter_a, agency=world.agency_a, number_code="测财")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (255, 0, 0)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "code"), [
    ("seal.jpg", _jpeg(), "SEAL_NOT_PNG"),
    ("seal.png", _jpeg(), "ATTACHMENT_TYPE_MISMATCH"),
    ("seal.png", b"\x89PNG\r\n\x1a\n" + b"broken", "SEAL_UNREADABLE"),
    ("seal.png", seal_png((120, 120)), "SEAL_SIZE_INVALID"),
    ("seal.png", seal_png((2400, 2400)), "SEAL_SIZE_INVALID"),
    ("seal.png", seal_png((800, 300)), "SEAL_SHAPE_INVALID"),
    ("seal.png", seal_png(mode="RGB"), "SEAL_NOT_TRANSPARENT"),
    ("seal.png", b"\x89PNG\r\n\x1a\n" + bytes(600 * 1024), "SEAL_TOO_LARGE"),
])
def test_a_seal_image_that_would_not_print_as_a_seal_is_refused(world, name, content, code):
    with pytest.raises(ServiceError) as refused:
        style.style_update(actor=world.admin_a, agency=world.agency_a, seal=(name, content))
    assert refused.value.code == code and refused.value.field == "seal", refused.value.code
    assert not LetterStyle.objects.exists()


def test_the_seal_is_printed_on_issued_letters_in_pdf_and_word_and_not_on_drafts(world):
    image = seal_png()
    style.style_update(actor=world.admin_a, agency=world.agency_a, seal=("印章.png", image))
    stored = LetterStyle.objects.get(agency=world.agency_a)
    assert stored.seal.storage.open(stored.seal.name).read() == image
    assert open(stored.seal.path, "rb").read() != image  # encrypted at rest

    letter = issued_reply(world)
    pdf = pypdf.PdfReader(io.BytesIO(letters.render_pdf(letter)))
    assert len(pdf.pages) == 1
    (printed,) = pdf.pages[0].images
    assert printed.image.size == (400, 400)
    word = letters.render_docx(letter)
    media = [n for n in zipfile.ZipFile(io.BytesIO(word)).namelist() if n.startswith("word/media/")]
    assert [zipfile.ZipFile(io.BytesIO(word)).read(n) for n in media] == [image]
    body = docx.Document(io.BytesIO(word)).element.body.xml
    assert "<wp:anchor" in body and "<wp:wrapNone/>" in body  # floating over the signature, not a line of its own

    draft = letters.compose(letter.application, LetterKind.CORRECTION,
                            extra={"items": "请写明年份。", "deadline": TODAY + dt.timedelta(days=15)})
    assert not pypdf.PdfReader(io.BytesIO(letters.render_pdf(draft))).pages[0].images
    assert "word/media/" not in " ".join(zipfile.ZipFile(io.BytesIO(letters.render_docx(draft))).namelist())


def test_removing_the_seal_is_audited_and_brings_back_the_outline(world):
    style.style_update(actor=world.admin_a, agency=world.agency_a, seal=("seal.png", seal_png()))
    style.style_update(actor=world.admin_a, agency=world.agency_a, remove_seal=True)
    assert style.seal_data_url(world.agency_a) == ""
    entries = list(AuditEntry.objects.filter(action=Action.LETTER_STYLE).order_by("pk"))
    assert entries[0].after["seal_sha256"] and entries[1].after["seal_sha256"] == ""
    assert entries[1].before["seal_sha256"] == entries[0].after["seal_sha256"]


def test_the_office_admin_sets_code_and_seal_on_the_templates_page_and_sees_errors_in_chinese(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = login(world.admin_a)
    url = reverse("applications_staff:letter_style", args=[world.agency_a.code])
    page = client.post(url, {"number_code": "测财", "seal": SimpleUploadedFile("印章.png", seal_png(), "image/png")},
                       follow=True)
    html = page.content.decode()
    assert "文书设置已保存" in html and "测财依申公复" in html and "已上传印章" in html
    refused = client.post(url, {"number_code": "CZ"}, follow=True).content.decode()
    assert "文号机关代字应为1至10个汉字" in refused
    assert LetterStyle.objects.get().number_code == "测财"
    assert login(world.drafter_a).post(url, {"number_code": "测"}).status_code == 403
