"""Attachment checks by content (not by name) and text extraction for search and PII review."""

import hashlib
import io
import itertools
import logging
import resource
import signal
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from gongkai import virusscan
from gongkai.errors import ServiceError

log = logging.getLogger(__name__)

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
    """The file, checked by its content, with its text (extract_text): refused with a Chinese
    message when it is empty, too large, of a kind not allowed or not what its name says, or when
    its text cannot be read within the limits. Call it before the transaction that stores it."""
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
                       text=extract_text(kind, content, name=name))


# What the text reader may use. A few kilobytes of Word document can unpack to hundreds of
# thousands of paragraphs (a "zip bomb"), and the parsers then run for minutes: so the reader runs
# in a child process of its own, with a wall-clock and CPU limit, an address-space limit, and a
# limit on the unpacked size and on the paragraphs (table cells, spreadsheet rows) it will read.
EXTRACTED_KINDS = frozenset({"pdf", "docx", "xlsx"})
_TOO_COMPLEX = 3  # the child's exit status when the document has more paragraphs than allowed
_OUT_OF_MEMORY = 4  # ... when it ran out of its address space
_START_SECONDS = 5  # wall-clock time allowed on top of the CPU limit (starting Python, a busy machine)
_SOURCE_ROOT = Path(__file__).resolve().parent.parent.parent  # where the gongkai package is imported from


def _refuse(name: str, why: str) -> ServiceError:
    return ServiceError("ATTACHMENT_TOO_COMPLEX", f"附件“{name}”{why}，无法读取其中的文字。请删去空白内容或另存为 PDF 后重新上传。",
                        field="attachments")


def _unpacked_size(content: bytes) -> int:
    """What a Word or Excel file (a zip archive) unpacks to, by its directory: zipfile stops
    reading a member at the size its directory gives, so this bounds what the parsers can read."""
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())


def extract_text(kind: str, content: bytes, *, name: str = "附件") -> str:
    """The document's text, for search and the personal-data review; "" for images and old formats.

    A file whose text cannot be parsed (malformed) is still accepted, just not searchable. A file
    that goes over the limits (settings.GONGKAI_EXTRACT_*) is refused with ATTACHMENT_TOO_COMPLEX.
    """
    if kind not in EXTRACTED_KINDS:
        return ""
    if kind in ("docx", "xlsx"):
        try:
            unpacked = _unpacked_size(content)
        except (zipfile.BadZipFile, ValueError):
            return ""
        if unpacked > settings.GONGKAI_EXTRACT_MAX_UNPACKED_MB * 1048576:
            raise _refuse(name, f"解压后有 {unpacked / 1048576:.0f} MB，超过 {settings.GONGKAI_EXTRACT_MAX_UNPACKED_MB} MB 的上限")
    seconds = settings.GONGKAI_EXTRACT_SECONDS
    command = [sys.executable, "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
               "from gongkai.disclosure.attachments import _child; _child()",
               str(_SOURCE_ROOT), kind, str(seconds), str(settings.GONGKAI_EXTRACT_MEMORY_MB),
               str(settings.GONGKAI_EXTRACT_MAX_PARAGRAPHS)]
    try:
        done = subprocess.run(command, input=content, capture_output=True, timeout=seconds + _START_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise _refuse(name, f"内容过于复杂，{seconds} 秒内未能读完") from None
    if done.returncode == _TOO_COMPLEX:
        raise _refuse(name, f"的段落、表格单元格或表格行超过 {settings.GONGKAI_EXTRACT_MAX_PARAGRAPHS:,} 个")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _refuse(name, f"内容过于复杂，{seconds} 秒内未能读完")
    if done.returncode == _OUT_OF_MEMORY:
        raise _refuse(name, f"读取时需要的内存超过 {settings.GONGKAI_EXTRACT_MEMORY_MB} MB")
    if done.returncode != 0:
        log.warning("text of a %s attachment not extracted (reader exit %s): %s", kind, done.returncode,
                    done.stderr[-500:].decode("utf-8", "replace"))
        return ""
    return done.stdout.decode("utf-8")


class _TooComplex(Exception):
    pass


def _child() -> None:
    """The reader process: limits first, then the parser; the document on stdin, the text on stdout."""
    kind, seconds, memory_mb, max_parts = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1048576, memory_mb * 1048576))
    try:
        text = _read(kind, sys.stdin.buffer.read(), max_parts)
    except _TooComplex:
        sys.exit(_TOO_COMPLEX)
    except MemoryError:
        sys.exit(_OUT_OF_MEMORY)
    sys.stdout.buffer.write(text.encode("utf-8"))


def _read(kind: str, content: bytes, max_parts: int) -> str:
    if kind == "pdf":
        from pypdf import PdfReader

        return "\n".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)
    if kind == "docx":
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(content))
        # Counted on the parsed XML (fast) before python-docx builds an object per paragraph (slow).
        parts = document.element.body.iter(qn("w:p"), qn("w:tc"))
        if next(itertools.islice(parts, max_parts, None), None) is not None:
            raise _TooComplex
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    lines = []
    for row in rows:
        if len(lines) == max_parts:
            raise _TooComplex
        lines.append(" ".join(str(v) for v in row if v is not None))
    return "\n".join(lines)
