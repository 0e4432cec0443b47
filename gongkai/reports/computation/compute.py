"""Tables 二–四 of the annual report computed from gongkai's own records (条例第50条 ①–③).

Counting conventions (the spec leaves them open; each is a constant here so it exists once):

* Table 三, year of count — OUTCOME_YEAR_CONVENTION = "closing_year". An application is counted
  under 三 (its outcome) in the year it was closed (``closed_on``: the 答复书 issued, 视为放弃,
  or transferred), whatever the year it was received. Received before the year and still open on
  1 January → 二 上年结转; open on 31 December → 四 结转下年度继续办理. So 一＋二＝三（七）＋四 (R1)
  holds by construction, and this year's 四 is next year's 二 (R6). Which year a result counts in
  is marked **UNCONFIRMED** in spec regulation.md §1.3 (“结果计入哪一年度（按办结日？）”); if the
  authorities settle on another convention, this is the one place to change.
* A transferred application (第36条第（五）项, status 已转办) is closed, as 三（四）1 本机关不掌握相关
  政府信息, in the *transferring* agency on the transfer date; the receiving agency counts the new
  case it opened as 一 本年新收. A roll-up over both therefore counts the request twice, as the
  sum of the two agencies' own reports does.
* Table 四 — APPEAL_YEAR_CONVENTION = "filing_year". A 行政复议/行政诉讼 is counted in the year it
  was filed, with its result if decided by 31 December of that year, else as 尚未审结. It is not
  counted again in the year it is decided.
* Table 二 — 规章 / 行政规范性文件 are the published, proactively disclosed items filed under the
  catalogue nodes REGULATION_NODE / NORMATIVE_DOCUMENT_NODE (or a child node of them):
  制发 = published_on in the year; 废止 = validity 废止 with validity_changed_on in the year;
  现行有效 = published by 31 December and not 失效/废止 by then. 失效 (expiry) is not 废止, so an
  expiring document leaves 现行有效 without being counted as repealed (W1 then warns).
* 行政许可、行政处罚、行政强制 decisions and 行政事业性收费 are not recorded in gongkai: STAFF_ENTERED
  cells are ``null`` (blank, not zero) for staff to fill in before the report is published.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from gongkai.applications.models import Appeal, Application
from gongkai.applications.replies import ApplicantType, ReplyType, report_row_for
from gongkai.disclosure.models import CatalogueNode, Disclosure, Item, Validity
from gongkai.disclosure.models import Status as ItemStatus
from gongkai.disclosure.taxonomy import NORMATIVE_DOCUMENT_NODE, REGULATION_NODE
from gongkai.errors import ServiceError
from gongkai.orgs.models import Agency
from gongkai.orgs.tree import in_tree_order
from gongkai.reports.computation.schema import (
    APPLICANT_COLUMNS,
    FORMAT_2021,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    REVIEW_OUTCOMES,
)

OUTCOME_YEAR_CONVENTION = "closing_year"
APPEAL_YEAR_CONVENTION = "filing_year"

# Table-三 row codes of gongkai.applications.replies (REPORT_ROWS) → keys of the interchange format.
JSON_KEY_BY_ROW_CODE: dict[str, str] = {
    "1": "new",
    "2": "carried_over",
    "3.1": "granted",
    "3.2": "partial",
    "3.3.1": "denied_state_secret",
    "3.3.2": "denied_law_forbidden",
    "3.3.3": "denied_three_safety",
    "3.3.4": "denied_third_party",
    "3.3.5": "denied_internal_affairs",
    "3.3.6": "denied_process_info",
    "3.3.7": "denied_enforcement_file",
    "3.3.8": "denied_admin_query",
    "3.4.1": "unable_not_held",
    "3.4.2": "unable_need_creation",
    "3.4.3": "unable_unclear",
    "3.5.1": "not_processed_complaint",
    "3.5.2": "not_processed_repeat",
    "3.5.3": "not_processed_publication",
    "3.5.4": "not_processed_massive",
    "3.5.5": "not_processed_confirm",
    "3.6.1": "other_no_correction",
    "3.6.2": "other_no_fee",
    "3.6.3": "other_other",
    "3.7": "total_processed",
    "4": "carried_forward",
}

# Looked up once per case or group: ReplyType.values builds a new list on every access.
RECORDED_REPLY_TYPES = frozenset(ReplyType.values)

# ApplicantType (as recorded at registration) → column of table 三.
COLUMN_BY_APPLICANT_TYPE: dict[str, str] = {
    ApplicantType.NATURAL: "natural",
    ApplicantType.COMMERCIAL: "commercial",
    ApplicantType.RESEARCH: "research",
    ApplicantType.PUBLIC_INTEREST: "social_welfare",
    ApplicantType.LEGAL_SERVICE: "legal_service",
    ApplicantType.OTHER: "other",
}

# (row, column) of table 二 that gongkai does not record: left null for staff to enter.
STAFF_ENTERED = (("licensing", "decisions"), ("punishment", "decisions"), ("coercion", "decisions"),
                 ("fees", "amount_10k_yuan"))
STAFF_ENTERED_NOTE = "表二中行政许可、行政处罚、行政强制的处理决定数量和行政事业性收费金额不在本系统登记，须由工作人员填报。"


def outcome_key(reply_type: str) -> str:
    """The JSON row a closed application with this reply type is counted in, e.g. "denied_internal_affairs"."""
    return JSON_KEY_BY_ROW_CODE[report_row_for(reply_type)]


@dataclass(frozen=True)
class Case:
    """What table 三 needs of one application."""

    applicant_type: str
    received_on: dt.date
    closed_on: dt.date | None
    reply_type: str
    tracking_code: str = ""


def _empty_row() -> dict:
    return dict.fromkeys((*APPLICANT_COLUMNS, "total"), 0)


def _reply_type_missing(tracking_code: str) -> ServiceError:
    # Every way of closing records a reply type; guessing a row would hide the gap.
    return ServiceError("REPORT_REPLY_TYPE_MISSING",
                        f"申请{tracking_code}已办结但没有答复类型，无法计入表三，请先核实该申请。")


def tally_requests(cases: Iterable[Case], year: int) -> dict:
    """Table 三 for ``year`` under OUTCOME_YEAR_CONVENTION (a case counts in the year it closed).

    The reference the database aggregation (requests_table) is tested against, case by case.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {row: _empty_row() for row in REQUEST_ROWS[FORMAT_2021]}

    def add(row, column):
        table[row][column] += 1
        table[row]["total"] += 1

    for case in cases:
        if case.received_on > end or (case.closed_on is not None and case.closed_on < start):
            continue  # not yet received, or done with before this year
        column = COLUMN_BY_APPLICANT_TYPE[case.applicant_type]
        add("new" if case.received_on >= start else "carried_over", column)
        if case.closed_on is not None and case.closed_on <= end:
            if case.reply_type not in RECORDED_REPLY_TYPES:
                raise _reply_type_missing(case.tracking_code)
            add(outcome_key(case.reply_type), column)
            add("total_processed", column)
        else:
            add("carried_forward", column)
    return table


@dataclass(frozen=True)
class AppealCase:
    kind: str
    outcome: str
    filed_on: dt.date
    decided_on: dt.date | None


def tally_appeals(appeals: Iterable[AppealCase], year: int) -> dict:
    """Table 四 for ``year`` under APPEAL_YEAR_CONVENTION (counted in the year filed)."""
    end = dt.date(year, 12, 31)
    table = {group: dict.fromkeys(REVIEW_COLUMNS, 0) for group in REVIEW_GROUPS}
    for appeal in appeals:
        if appeal.filed_on.year != year:
            continue
        decided = appeal.decided_on is not None and appeal.decided_on <= end and appeal.outcome in REVIEW_OUTCOMES
        outcome = appeal.outcome if decided else Appeal.Outcome.PENDING
        table[appeal.kind][outcome] += 1
        table[appeal.kind]["total"] += 1
    return table


@dataclass(frozen=True)
class Coverage:
    """Whose records a report counts: one agency, or it and every agency below it.

    Subordinates are matched on the materialised ``Agency.path`` prefix inside the query, never
    through a list of ids: a city's roll-up covers thousands of agencies.
    """

    agency: Agency
    include_subordinates: bool = False

    def of(self, to_agency: str = "") -> Q:
        """The rows whose ``to_agency`` (a lookup leading to an Agency, e.g. "application__agency";
        empty for Agency rows themselves) is covered."""
        prefix = f"{to_agency}__" if to_agency else ""
        if self.include_subordinates:
            return Q(**{f"{prefix}path__startswith": self.agency.path})
        return Q(**{f"{prefix}pk": self.agency.pk})


def _in_node(code: str, via: str = "catalogue_node__") -> Q:
    return Q(**{f"{via}code": code}) | Q(**{f"{via}parent__code": code})


# The rows of table 二 counted from items, and the catalogue node each row's documents are filed under.
DOCUMENT_NODES = {"regulations": REGULATION_NODE, "normative_documents": NORMATIVE_DOCUMENT_NODE}


def count_documents(coverage: Coverage, conditions: dict[str, Q]) -> dict[str, dict[str, int]]:
    """{row: {column: count}} for the rows of DOCUMENT_NODES, counting for each column the items
    that meet its condition, in one aggregate query (table 二 of the 2021 and the 2019 format).

    The items are the published, proactively disclosed ones reached from the covered agencies'
    规章/规范性文件 catalogue nodes (and their child nodes) through the index on
    Item.catalogue_node, not by reading every item of the area.
    """
    legal_nodes = CatalogueNode.objects.filter(
        coverage.of("agency"), _in_node(REGULATION_NODE, via="") | _in_node(NORMATIVE_DOCUMENT_NODE, via=""))
    counts = Item.objects.filter(
        coverage.of("agency"), catalogue_node__in=legal_nodes.values("pk"),
        status=ItemStatus.PUBLISHED, disclosure=Disclosure.PROACTIVE,
    ).aggregate(**{
        f"{row}.{column}": Count("pk", filter=_in_node(code) & condition)
        for row, code in DOCUMENT_NODES.items() for column, condition in conditions.items()
    })
    return {row: {column: counts[f"{row}.{column}"] for column in conditions} for row in DOCUMENT_NODES}


def active_table(coverage: Coverage, year: int) -> dict:
    """Table 二: three counts for each of 规章 and 规范性文件 (count_documents), the rest null."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = count_documents(coverage, {
        "issued": Q(published_on__range=(start, end)),
        "repealed": Q(validity=Validity.REPEALED, validity_changed_on__range=(start, end)),
        "in_force": Q(published_on__lte=end) & (Q(validity=Validity.VALID) | Q(validity_changed_on__gt=end)),
    })
    for row, column in STAFF_ENTERED:
        table[row] = {column: None}
    return table


def requests_table(coverage: Coverage, year: int) -> dict:
    """Table 三 under OUTCOME_YEAR_CONVENTION, aggregated in the database; equal to tally_requests.

    One GROUP BY (applicant type, reply type) over the cases the year touches (received by 31
    December, not closed before 1 January), counting per group the cases received within the
    year (一; the rest are 二) and those closed by 31 December (三; the rest are 四).
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Application.objects.filter(coverage.of("agency"), received_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    groups = in_year.order_by().values_list("applicant_type", "reply_type").annotate(
        cases=Count("pk"), new=Count("pk", filter=Q(received_on__gte=start)),
        closed=Count("pk", filter=Q(closed_on__lte=end)))
    table = {row: _empty_row() for row in REQUEST_ROWS[FORMAT_2021]}

    def add(row, column, count):
        table[row][column] += count
        table[row]["total"] += count

    for applicant_type, reply_type, cases, new, closed in groups:
        column = COLUMN_BY_APPLICANT_TYPE[applicant_type]
        add("new", column, new)
        add("carried_over", column, cases - new)
        if closed:
            if reply_type not in RECORDED_REPLY_TYPES:
                # Name the case tally_requests would have stopped at: the latest received.
                gaps = in_year.filter(closed_on__lte=end).exclude(reply_type__in=RECORDED_REPLY_TYPES)
                raise _reply_type_missing(gaps.order_by("-received_on", "-id").values_list(
                    "tracking_code", flat=True).first())
            add(outcome_key(reply_type), column, closed)
            add("total_processed", column, closed)
        add("carried_forward", column, cases - closed)
    return table


def appeals_table(coverage: Coverage, year: int) -> dict:
    """Table 四 under APPEAL_YEAR_CONVENTION, aggregated in the database; equal to tally_appeals."""
    end = dt.date(year, 12, 31)
    groups = Appeal.objects.filter(coverage.of("application__agency"), filed_on__year=year).order_by().values_list(
        "kind", "outcome").annotate(appeals=Count("pk"), decided=Count("pk", filter=Q(decided_on__lte=end)))
    table = {group: dict.fromkeys(REVIEW_COLUMNS, 0) for group in REVIEW_GROUPS}
    for kind, outcome, appeals, decided in groups:
        decided = decided if outcome in REVIEW_OUTCOMES else 0
        if decided:
            table[kind][outcome] += decided
        table[kind][Appeal.Outcome.PENDING] += appeals - decided
        table[kind]["total"] += appeals
    return table


def agencies_covered(agency: Agency, *, include_subordinates: bool) -> list[Agency]:
    """The agency, and with include_subordinates every agency below it (materialised path)."""
    if not include_subordinates:
        return [agency]
    return in_tree_order(Agency.objects.filter(path__startswith=agency.path))


def included_agencies(coverage: Coverage) -> list[dict]:
    """[{code, name}] of the agencies a report counts, in tree order (orgs.tree), as the report lists them."""
    if not coverage.include_subordinates:
        return [{"code": coverage.agency.code, "name": coverage.agency.name}]
    covered = Agency.objects.filter(coverage.of()).only("parent_id", "sort_order", "code", "name")
    return [{"code": agency.code, "name": agency.name} for agency in in_tree_order(covered)]


def build_report(agency: Agency, year: int, *, include_subordinates: bool = False) -> dict:
    """The report dict of spec annual-report-json.md (format "2021") for one agency and year.

    With include_subordinates the tables are summed over the agency and its descendants, which
    ``included_agencies`` lists. No permission check here: see services.report_build.
    """
    coverage = Coverage(agency, include_subordinates)
    return {
        "agency": agency.name,
        "year": year,
        "format": FORMAT_2021,
        "active": active_table(coverage, year),
        "requests": requests_table(coverage, year),
        "review_litigation": appeals_table(coverage, year),
        "agency_code": agency.code,
        "included_agencies": included_agencies(coverage),
        "notes": [STAFF_ENTERED_NOTE],
    }
