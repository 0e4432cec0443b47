"""Attachment checks by content (not by name) and text extraction for search and PII review."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings

from gongkai import virusscan
from gongkai.errors import ServiceError

# kind -> extensions a file of that kind may carry
ALLOWED = {
    "pdf": {"pdf"}, "docx": {"docx"}, "xlsx": {"xlsx"}, "ole": {"doc", "xls"},
    "png": {"png"}, "jpeg": {"jpg", "jpeg"}, "gif": {"gif"},
}
KIND_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "ole": "Word/Excel（旧格式）", "png": "图片", "jpeg": "图片",
               "gif": "图片"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content: bytes
    sha256: str
    text: str


def sniff(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check(name: str, content: bytes) -> CheckedFile:
    name = (name or "").replace("/", "_").replace("\\", "_").strip() or "附件"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not content:
        raise ServiceError("ATTACHMENT_EMPTY", f"附件“{name}”是空文件。", field="attachments")
    limit = settings.GONGKAI_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise ServiceError(
            "ATTACHMENT_TOO_LARGE", f"附件“{name}”有 {len(content) / 1048576:.1f} MB，超过 {limit // 1048576} MB 的上限。",
            field="attachments",
        )
    kind = sniff(content)
    if kind is None:
        raise ServiceError(
            "ATTACHMENT_TYPE_NOT_ALLOWED", f"附件“{name}”不是允许的格式（PDF、Word、Excel 或图片）。", field="attachments"
        )
    if extension not in ALLOWED[kind]:
        raise ServiceError(
            "ATTACHMENT_TYPE_MISMATCH",
            f"附件“{name}”的扩展名与实际内容不符（内容为 {KIND_LABELS[kind]}），请核对文件后重新上传。",
            field="attachments",
        )
    virusscan.scan(name, content)
    return CheckedFile(name=name[:200], kind=kind, content=content, sha256=hashlib.sha256(content).hexdigest(),
                       text=extract_text(kind, content))


def extract_text(kind: str, content: bytes) -> str:
    """Best effort: a file whose text cannot be read is still accepted, just not searchable."""
    try:
        if kind == "pdf":
            from pypdf import PdfReader

            return "\n".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)
        if kind == "docx":
            import docx

            document = docx.Document(io.BytesIO(content))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            return "\n".join([p.text for p in document.paragraphs] + cells)
        if kind == "xlsx":
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return "\n".join(
                " ".join(str(v) for v in row if v is not None) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            )
    except Exception:  # noqa: BLE001 - malformed documents must not block the upload
        return ""
    return ""
