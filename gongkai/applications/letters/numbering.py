"""文号 of issued letters: ``{prefix}〔{year}〕{serial}号``, e.g. 测试县财政局依申公复〔2026〕3号.

Replies, notices and receipts are numbered in three families, each with its own default prefix
(the agency's short name, else its name, + 依申公复 / 依申公告 / 依申公收); an agency may set its
own prefix per kind (LetterTemplate.number_prefix). The serial runs per agency, year and printed
prefix: with the default prefixes that is per kind-family, and two kinds an agency gives the same
prefix share one run, so a printed number is never issued twice.

Concurrency: max()+1 over the year's numbers is only safe if two issuers of one agency cannot
both read the same max. Locking the letters read (SELECT … FOR UPDATE) is not enough on
PostgreSQL: it locks rows that exist, not the row the other transaction is about to insert, and
the first letter of a year has no row to lock at all. So the allocation first locks the agency's
own row (Agency … FOR UPDATE), which every issuer of that agency must take: the second waits until
the first commits, and under READ COMMITTED its max() then sees the first's number. SQLite
serialises writing transactions anyway (settings: IMMEDIATE). The lock lasts until the caller's
transaction ends, so issues by one agency queue for the second or so a letter takes to render;
issuing is rare enough for that. Agency edits wait for it too. A unique constraint on
(agency, number) would be the belt to these braces but needs a model change.
"""

import re

from gongkai.applications.models import Letter, LetterKind, LetterTemplate
from gongkai.orgs.models import Agency

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
    return own or (agency.short_name or agency.name) + DEFAULT_SUFFIXES[FAMILIES[kind]]


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}〔{year}〕{serial}号"


def allocate(agency, kind: str, year: int) -> str:
    """The next 文号; call inside the transaction that saves the letter carrying it."""
    Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk", flat=True).get()
    prefix = prefix_for(agency, kind)
    stem = f"{prefix}〔{year}〕"
    pattern = re.compile(re.escape(stem) + r"(\d+)号")
    taken = Letter.objects.filter(application__agency=agency, number__startswith=stem).values_list("number", flat=True)
    serials = [int(m.group(1)) for number in taken if (m := pattern.fullmatch(number))]
    return format_number(prefix, year, max(serials, default=0) + 1)
