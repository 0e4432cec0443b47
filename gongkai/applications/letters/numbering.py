"""文号 of issued letters: ``{prefix}〔{year}〕{serial}号``, e.g. 测试县财政局依申公复〔2026〕3号.

Replies, notices and receipts are numbered in three families, each with its own default prefix
(the agency's 机关代字 — LetterStyle.number_code, e.g. 清财 — else its short name, else its name,
+ 依申公复 / 依申公告 / 依申公收); an agency may set its own prefix per kind (LetterTemplate.number_prefix). The serial runs per agency, year and printed
prefix: with the default prefixes that is per kind-family, and two kinds an agency gives the same
prefix share one run, so a printed number is never issued twice.

Concurrency and cost: the last serial of each stem (prefix〔year〕) of an agency is one row of
LetterNumberSeries, and taking the next one is a single statement, ``INSERT … ON CONFLICT DO
UPDATE SET last_serial = last_serial + 1 RETURNING last_serial`` (SQLite 3.35+, PostgreSQL). On
PostgreSQL the row lock it takes makes a second issuer of the same stem wait until the first
commits, and the update then starts from the committed serial; the first letter of a year inserts
the row, and a concurrent first letter falls into the DO UPDATE branch instead of reading a max()
that misses it. SQLite serialises writing transactions anyway (settings: IMMEDIATE). The serial is
taken inside the caller's transaction, so a rolled-back issue leaves no gap. It replaces a max()+1
over every number of the year, which cost a scan of the agency's letters on every submission
(every online submission issues a receipt). Migration 0005 seeded the rows from the numbers
already issued.
"""

from django.db import connection

from gongkai.applications.models import LetterKind, LetterNumberSeries, LetterStyle, LetterTemplate

FAMILIES: dict[str, str] = {
    LetterKind.RECEIPT: "receipt",
    LetterKind.CORRECTION: "notice",
    LetterKind.EXTENSION: "notice",
    LetterKind.DELAY: "notice",
    LetterKind.THIRD_PARTY: "notice",
    LetterKind.FEE: "notice",
    LetterKind.REPLY: "reply",
}
DEFAULT_SUFFIXES: dict[str, str] = {"reply": "依申公复", "notice": "依申公告", "receipt": "依申公收"}


def prefix_for(agency, kind: str) -> str:
    own = LetterTemplate.objects.filter(agency=agency, kind=kind).values_list("number_prefix", flat=True).first()
    return own or default_prefix(agency, kind)


def default_prefix(agency, kind: str) -> str:
    """The agency's 机关代字 (LetterStyle.number_code, e.g. 清财), else its short name, else its name,
    + the family's suffix."""
    code = LetterStyle.objects.filter(agency=agency).values_list("number_code", flat=True).first()
    return (code or agency.short_name or agency.name) + DEFAULT_SUFFIXES[FAMILIES[kind]]


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


def allocate(agency, kind: str, year: int, *, prefix: str | None = None) -> str:
    """The next 文号; call inside the transaction that saves the letter carrying it.

    ``prefix`` saves the lookup when the caller has already read the agency's template row.
    """
    prefix = prefix or prefix_for(agency, kind)
    table = connection.ops.quote_name(LetterNumberSeries._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, stem, last_serial) VALUES (%s, %s, 1) "
            f"ON CONFLICT (agency_id, stem) DO UPDATE SET last_serial = {table}.last_serial + 1 RETURNING last_serial",
            [agency.pk, f"{prefix}〔{year}〕"])
        (serial,) = cursor.fetchone()
    return format_number(prefix, year, serial)
