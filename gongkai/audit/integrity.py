"""Checking the audit hash chain (chain.py): the first row that was changed, removed or slipped in."""

from dataclasses import dataclass

from gongkai.audit import chain
from gongkai.audit.models import AuditEntry

# Stable exit codes of ``gongkai audit verify`` (docs/security.md); 1 and 2 stay Django's own
# (a command error, a usage error).
EXIT_OK = 0
EXIT_ALTERED = 3
EXIT_MISSING = 4
EXIT_UNSEALED = 5


@dataclass(frozen=True)
class Finding:
    code: str  # AUDIT_ROW_ALTERED, AUDIT_ROW_MISSING, AUDIT_ROW_UNSEALED
    exit_code: int
    row_id: int | None
    seq: int | None
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "row_id": self.row_id, "seq": self.seq, "message": self.message}


@dataclass(frozen=True)
class Result:
    checked: int
    last_seq: int
    last_digest: str
    broken: Finding | None

    @property
    def exit_code(self) -> int:
        return self.broken.exit_code if self.broken else EXIT_OK


def _anchor(first_seq: int) -> chain.Head:
    """Where a chain whose first rows were purged (retention.purge) starts: the purge's own row,
    sealed later in the chain, names the last purged row's seq and digest."""
    if first_seq == 1:
        return chain.Head(0, "")
    for after in (AuditEntry.objects.filter(object_type="audit.chain", object_id="purge")
                  .order_by("seq").values_list("after", flat=True)):
        if after and after.get("through_seq") == first_seq - 1:
            return chain.Head(first_seq - 1, after["through_digest"])
    return chain.Head(0, "")


def verify(*, key: bytes | None = None) -> Result:
    """Walk the chain in seq order and stop at the first row that does not fit."""
    secret = key or chain.key()
    unsealed = AuditEntry.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    names = [f.attname for f in AuditEntry._meta.concrete_fields]
    rows = AuditEntry.objects.filter(seq__isnull=False).order_by("seq").values(*names)
    head, checked, started = chain.Head(0, ""), 0, False
    for row in rows.iterator(chunk_size=2000):
        if not started:
            head, started = _anchor(row["seq"]), True
        if row["seq"] != head.seq + 1:
            return Result(checked, head.seq, head.digest, Finding(
                "AUDIT_ROW_MISSING", EXIT_MISSING, row["id"], head.seq + 1,
                f"审计记录链断开：序号{head.seq + 1}至{row['seq'] - 1}的记录缺失（被删除），"
                f"缺失处之后的第一条记录编号为{row['id']}。"))
        algorithm = row["digest"].partition(":")[0].removeprefix("hmac-") or chain.ALGORITHM
        try:
            expected = chain.digest(secret, head.digest, row["seq"], row, algorithm)
        except ValueError:  # an algorithm this OpenSSL lacks, or a mangled digest
            expected = None
        if expected != row["digest"]:
            return Result(checked, head.seq, head.digest, Finding(
                "AUDIT_ROW_ALTERED", EXIT_ALTERED, row["id"], row["seq"],
                f"审计记录编号{row['id']}（链序号{row['seq']}）的内容与其摘要不符：该记录在写入后被修改。"))
        head, checked = chain.Head(row["seq"], row["digest"]), checked + 1
    if unsealed is not None:
        return Result(checked, head.seq, head.digest, Finding(
            "AUDIT_ROW_UNSEALED", EXIT_UNSEALED, unsealed, None,
            f"审计记录编号{unsealed}没有链摘要：它不是由本系统写入的（被直接插入数据库）。"))
    return Result(checked, head.seq, head.digest, None)
