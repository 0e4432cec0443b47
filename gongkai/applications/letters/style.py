"""An agency's letter settings: the 机关代字 of its 文号 and its electronic seal (LetterStyle).

The 机关代字 is what a county's own numbering puts first (清财 for 清河县财政局), so that the default
prefixes read 清财依申公复 / 清财依申公告 / 清财依申公收 (numbering.default_prefix); a prefix set for one
kind of letter in its template still wins. The seal is a PNG with a transparent background, checked
as every upload is (attachments.check: content sniffed, size, virus scan), then as an image: square
enough to be a round seal, within pixel bounds that print sharp at 40 mm and small enough to embed
in every letter.
"""

import base64
import hashlib
import io
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.applications.models import LetterStyle
from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.disclosure import attachments
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm

# 机关代字: Chinese characters only (the county's abbreviation and the agency's), as in 清财规〔2025〕1号.
NUMBER_CODE_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}$")
SEAL_MIN_PIXELS = 200  # 40 mm at ~130 dpi: below that the seal's characters blur in print
SEAL_MAX_PIXELS = 2000
SEAL_MAX_RATIO = 1.25  # a round or oval seal; a banner-shaped image is not a seal


def style_of(agency) -> LetterStyle | None:
    return LetterStyle.objects.filter(agency=agency).first()


def check_number_code(value: str) -> str:
    value = (value or "").strip()
    if value and not NUMBER_CODE_RE.match(value):
        raise ServiceError("LETTER_NUMBER_CODE_INVALID",
                           "文号机关代字应为1至10个汉字，不含数字、字母和符号，如清河县财政局的“清财”。", field="number_code")
    return value


def check_seal(name: str, content: bytes) -> bytes:
    """The seal image's bytes, or a ServiceError saying what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.GONGKAI_SEAL_MAX_BYTES
    if len(content) > limit:
        raise ServiceError("SEAL_TOO_LARGE", f"印章图片有 {len(content) / 1024:.0f} KB，超过 {limit // 1024} KB 的上限。",
                           field="seal")
    try:
        checked = attachments.check(name, content)
    except ServiceError as error:
        raise ServiceError(error.code, error.message, field="seal") from None
    if checked.kind != "png":
        raise ServiceError("SEAL_NOT_PNG", "电子印章应为透明背景的 PNG 图片。", field="seal")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            transparent = image.mode in ("RGBA", "LA") or "transparency" in image.info
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ServiceError("SEAL_UNREADABLE", "印章图片无法读取，请重新导出为 PNG 后上传。", field="seal") from exc
    if min(width, height) < SEAL_MIN_PIXELS or max(width, height) > SEAL_MAX_PIXELS:
        raise ServiceError("SEAL_SIZE_INVALID",
                           f"印章图片为 {width}×{height} 像素，宽和高应在 {SEAL_MIN_PIXELS} 至 {SEAL_MAX_PIXELS} 像素之间。",
                           field="seal")
    if max(width, height) / min(width, height) > SEAL_MAX_RATIO:
        raise ServiceError("SEAL_SHAPE_INVALID", f"印章图片为 {width}×{height} 像素，应为圆形或椭圆形印章的近正方形图片。",
                           field="seal")
    if not transparent:
        raise ServiceError("SEAL_NOT_TRANSPARENT", "印章图片应为透明背景，否则会遮住机关名称和日期。", field="seal")
    return content


def _picture(style: LetterStyle | None) -> dict:
    return {"number_code": style.number_code if style else "", "seal_sha256": style.seal_sha256 if style else ""}


def style_update(*, actor, agency, number_code: str | None = None, seal: tuple[str, bytes] | None = None,
                 remove_seal: bool = False) -> LetterStyle:
    """Set the 机关代字 (``number_code``; "" clears it), upload a seal (``seal`` = (name, bytes)) or
    remove it. Letters already issued keep their number and files: issued letters never change."""
    access.require(actor, Perm.EDIT_AGENCY, agency)
    code = check_number_code(number_code) if number_code is not None else None
    image = check_seal(*seal) if seal is not None else None
    if image is not None and remove_seal:
        raise ServiceError("SEAL_CONFLICT", "不能同时上传和删除印章。", field="seal")
    with transaction.atomic():
        style, created = LetterStyle.objects.select_for_update().get_or_create(agency=agency)
        before = _picture(None if created else style)
        old_file = style.seal.name if (image is not None or remove_seal) and style.seal else ""
        if code is not None:
            style.number_code = code
        if image is not None:
            style.seal.save("seal.png", ContentFile(image), save=False)
            style.seal_sha256 = hashlib.sha256(image).hexdigest()
        elif remove_seal:
            style.seal, style.seal_sha256 = "", ""
        style.save()
        after = _picture(style)
        if after != before:
            record(actor=actor, action=Action.LETTER_STYLE, obj=style, agency=agency, before=before, after=after,
                   note="修改文书设置（文号机关代字、电子印章）")
        if old_file:
            transaction.on_commit(lambda: style.seal.storage.delete(old_file))
    return style


def seal_data_url(agency) -> str:
    """The agency's seal as an inline image for the letter renderers; "" without one."""
    style = style_of(agency)
    if style is None or not style.seal:
        return ""
    with style.seal.open("rb") as stored:
        return "data:image/png;base64," + base64.b64encode(stored.read()).decode("ascii")
