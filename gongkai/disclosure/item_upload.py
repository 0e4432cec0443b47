"""Item files uploaded on the staff desk (信息导入, docs/import-export.md): kept, previewed, imported.

    stage(upload, actor=) -> str             the file kept under the data directory; its SHA-256
    staged_file(actor, digest) -> Path|None  a person's own staged file (never another's)
    preview(path, actor=) -> Preview         encoding, column mapping, first rows, the whole-file check
    start(path, actor=) -> Job               the import as a background task (progress on /staff/tasks/)

Nothing is written to the database before the person confirms: the preview runs the import's own
whole-file check (item_import.check_file), which reads only. The import then runs exactly as
`gongkai import items FILE --background` does, checking the file again before its first batch.
"""

import dataclasses
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from gongkai.disclosure import tasks
from gongkai.disclosure.item_files import (
    COLUMNS,
    ENCODING_LABELS,
    HEADER_ALIASES,
    READERS,
    ImportRefused,
    Lookups,
    RowProblem,
    column_name,
    csv_encoding,
    read_header,
    read_rows,
)
from gongkai.disclosure.item_import import check_file
from gongkai.disclosure.models import ImportRun
from gongkai.errors import ServiceError

PREVIEW_ROWS = 5
SHOWN_PROBLEMS = 200
# column -> its short Chinese name, for the preview's mapping and the problems' column
COLUMN_LABELS = {column: label for label, column in reversed(HEADER_ALIASES.items())}
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def upload_root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def stage(upload, *, actor) -> str:
    """Keep an uploaded item file until it is imported (the background task reads it by path).
    The file is kept under the person's own directory, named by its SHA-256."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        raise ServiceError("IMPORT_FORMAT_UNKNOWN", "只支持 .csv、.xlsx 和 .jsonl 文件（.xls 请在 Excel 或 WPS 中另存为 .xlsx）。", field="file")
    if upload.size > settings.GONGKAI_IMPORT_UPLOAD_MAX_BYTES:
        limit = settings.GONGKAI_IMPORT_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ServiceError("IMPORT_FILE_TOO_LARGE", f"文件超过 {limit} MB，请拆分后上传，或由系统管理员用命令行导入。", field="file")
    if not upload.size:
        raise ServiceError("IMPORT_FILE_EMPTY", "上传的文件是空的。", field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    directory = upload_root() / str(actor.pk) / digest.hexdigest()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # One file per digest: a second upload of the same bytes under another name replaces the first.
    for old in directory.iterdir():
        old.unlink()
    safe = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name)[:120] or f"items{suffix}"
    with (directory / safe).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return digest.hexdigest()


def staged_file(actor, digest: str) -> Path | None:
    if not _DIGEST.match(digest or ""):
        return None
    directory = upload_root() / str(actor.pk) / digest
    files = sorted(directory.iterdir()) if directory.is_dir() else []
    return files[0] if files else None


@dataclasses.dataclass
class Column:
    header: str  # as written in the file
    column: str  # the import column it is read as, or "" if none
    label: str  # its meaning (COLUMNS)


@dataclasses.dataclass
class Preview:
    file_name: str
    digest: str
    encoding: str  # "UTF-8（带 BOM）", "GBK"…; "" for XLSX and JSON Lines (no choice to make)
    columns: list[Column]
    missing: list[str]  # required columns absent from the header
    rows: list[list[str]]  # the first PREVIEW_ROWS rows, in the order of ``shown``
    shown: list[str]  # the columns of ``rows``, by their Chinese names
    rows_total: int | None = None
    problems: list[dict] = dataclasses.field(default_factory=list)  # row, field, label (Chinese), message
    problem_count: int = 0
    refusal: str = ""  # a refusal of the whole file (encoding, already imported)
    spreadsheet: bool = True  # CSV/XLSX: the sheet's line is the row number + 1 (the header)

    @property
    def ready(self) -> bool:
        return not self.refusal and not self.problem_count and bool(self.rows_total)


REQUIRED = ("agency_code", "title", "written_on", "published_on", "catalogue", "topic", "genre")


def preview(path: Path, *, actor) -> Preview:
    digest = path.parent.name
    result = Preview(file_name=path.name, digest=digest, encoding="", columns=[], missing=[], rows=[], shown=[],
                     spreadsheet=path.suffix.lower() in (".csv", ".xlsx"))
    try:
        if path.suffix.lower() == ".csv":
            result.encoding = ENCODING_LABELS[csv_encoding(path)]
        headers = read_header(path)
    except ServiceError as error:
        result.refusal = error.message
        return result
    except ImportRefused as refused:
        result.problems, result.problem_count = _described(refused.problems), len(refused.problems)
        return result
    for header in headers:
        column = column_name(header)
        result.columns.append(Column(header=str(header), column=column if column in COLUMNS else "",
                                     label=COLUMNS.get(column, "无法识别：该列会使每一行报错")))
    present = {c.column for c in result.columns}
    if path.suffix.lower() != ".jsonl" and path.suffix.lower() != ".ndjson":
        result.missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in present]
    shown = [c for c in COLUMNS if c in present and c != "body"]
    result.shown = [COLUMN_LABELS[c] for c in shown]
    try:
        for number, row in enumerate(read_rows(path), start=1):
            if number > PREVIEW_ROWS:
                break
            result.rows.append([_cell(row.get(c)) for c in shown])
    except (ImportRefused, ServiceError):
        pass  # reported by the check below, with the rest
    done = ImportRun.objects.filter(sha256=digest, finished_at__isnull=False).order_by("-finished_at").first()
    if done is not None:
        result.refusal = (f"该文件已于{timezone.localtime(done.finished_at):%Y年%-m月%-d日 %H:%M}导入"
                          f"（{done.rows_done}条），不再重复导入。")
        return result
    try:
        result.rows_total, _serials = check_file(path, Lookups(actor))
    except ImportRefused as refused:
        result.problem_count = len(refused.problems)
        result.problems = _described(refused.problems[:SHOWN_PROBLEMS])
    except ServiceError as error:
        result.refusal = error.message
    return result


def _described(problems: list[RowProblem]) -> list[dict]:
    return [{**p.as_dict(), "label": COLUMN_LABELS.get(p.field, "")} for p in problems]


def columns_described() -> list[tuple[str, str, str, bool]]:
    """(Chinese name, column, meaning, required) of every import column, for the upload page."""
    return [(COLUMN_LABELS[c], c, meaning, c in REQUIRED) for c, meaning in COLUMNS.items()]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def start(path: Path, *, actor):
    """The import as a background task, acting as ``actor`` (whose rights the rows are checked against)."""
    from gongkai.jobs import services as jobs
    from gongkai.jobs.actors import actor_id
    from gongkai.jobs.models import Job

    return jobs.start(tasks.import_items, str(path.resolve()), actor_id(actor), kind=Job.Kind.IMPORT,
                      label=f"导入 {path.name}", actor=actor)
