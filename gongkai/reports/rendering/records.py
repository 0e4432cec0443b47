"""What an agency's own records say about its year, for the draft of sections 一、五、六.

The tables are the same for every agency; the narrative must not be (国办公开办函〔2021〕30号:
内容雷同 is a ground for accountability). So the draft states what this agency published by
catalogue, the cases it closed late or lost on appeal, the fees it charged and what its last
report said it would fix — facts the drafter can build on, never wording to fill in.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F
from django.utils.module_loading import import_string

from gongkai.orgs.models import AgencyKind, AreaLevel


@dataclass(frozen=True)
class Participation:
    """政民互动 of the year on the platform, for the draft of section 一 only: the national tables have
    no rows for it, so these figures are suggested wording staff may keep, change or delete."""

    consultations: int = 0  # 意见征集 whose period began in the year
    comments: int = 0
    comments_adopted: int = 0  # adopted in full or in part
    feedback_published: int = 0
    messages: int = 0  # 留言 received in the year
    answered: int = 0  # answered, refused with a reason or converted by 31 December
    answered_on_time: int = 0
    on_time_rate: float | None = None


@dataclass
class Records:
    makes_regulations: bool = False  # 立法法第91、93条: only some bodies make 规章
    published: int = 0  # items first published in the year
    by_catalogue: list[tuple[str, int]] = field(default_factory=list)  # top catalogue sections, largest first
    interpretations: int = 0  # 政策解读 published with a policy
    notable_items: list[str] = field(default_factory=list)  # titles of documents it issued (with a 文号)
    repealed: int = 0  # items marked repealed or expired in the year
    public_total: int = 0  # items on the platform at the end of the year
    replied_late: int = 0  # replies after the due date (第33条)
    fees_charged: int = 0  # applications charged 信息处理费
    fee_yuan: int = 0
    appeals: list[tuple[str, str]] = field(default_factory=list)  # (kind label, outcome label)
    reply_types: list[tuple[str, int]] = field(default_factory=list)  # most frequent reply types of the year
    office: dict = field(default_factory=dict)
    last_year_problems: str = ""
    # From apps above this one (settings.GONGKAI_REPORT_RECORD_SOURCES): the year's 工作要点 tasks the
    # agency was responsible for, as of 31 December (supervision.workplans.report_facts).
    plan_tasks: dict = field(default_factory=dict)
    participation: Participation | None = None


def participation_of(agency_ids, year: int) -> Participation:
    """The year's figures through the two apps' own queries, so the report and the 政民互动 column agree."""
    from gongkai.consultations.queries import statistics
    from gongkai.enquiries.queries import figures

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = list(agency_ids)
    consulted, asked = statistics(ids, start, end), figures(ids, start, end)
    return Participation(consultations=consulted.opened, comments=consulted.comments_received,
                         comments_adopted=consulted.comments_adopted, feedback_published=consulted.feedback_published,
                         messages=asked.received, answered=asked.answered, answered_on_time=asked.answered_on_time,
                         on_time_rate=asked.on_time_rate)


def makes_regulations(agency) -> bool:
    """立法法第93条: the people's government of a province or a 设区的市 makes 地方政府规章; its
    departments and any county or township body do not (第91条's 国务院部门 are not on a county platform)."""
    return agency.kind == AgencyKind.GOVERNMENT and agency.area.level in (AreaLevel.PROVINCE, AreaLevel.CITY)


def records_of(agency, year: int, *, rollup: bool = False) -> Records:
    from gongkai.applications.letters.context import office_of
    from gongkai.applications.models import Appeal, Application
    from gongkai.disclosure.models import Disclosure, Item, Status, Validity
    from gongkai.orgs.models import Agency
    from gongkai.reports.models import AnnualReport

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scope = {"agency__path__startswith": agency.path} if rollup else {"agency": agency}
    items = Item.objects.filter(**scope, status=Status.PUBLISHED, disclosure=Disclosure.PROACTIVE)
    in_year = items.filter(published_on__range=(start, end))
    sections = Counter()
    for node_name, parent_name, count in (in_year.values_list("catalogue_node__name", "catalogue_node__parent__name")
                                          .annotate(n=Count("id"))):
        sections[parent_name or node_name] += count
    cases = Application.objects.filter(**scope, closed_on__range=(start, end))
    appeals = Appeal.objects.filter(**{f"application__{k}": v for k, v in scope.items()}, filed_on__range=(start, end))
    charged = cases.filter(fee_amount__gt=0)
    previous = AnnualReport.objects.filter(agency=agency, year=year - 1, rollup=rollup).first()
    last_text = ""
    if previous is not None:
        data = previous.latest_version.data if previous.latest_version else previous.data
        last_text = str(((data or {}).get("narrative") or {}).get("五") or "")
    contributed = {}
    for path in settings.GONGKAI_REPORT_RECORD_SOURCES:
        contributed.update(import_string(path)(agency, year, rollup=rollup))
    return Records(
        **contributed,
        makes_regulations=makes_regulations(agency),
        published=in_year.count(),
        by_catalogue=sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        interpretations=in_year.filter(interprets__isnull=False).count(),
        notable_items=list(in_year.exclude(document_number="").order_by("-published_on", "-id")
                           .values_list("title", flat=True)[:3]),
        repealed=items.filter(validity__in=[v for v in Validity.values if v != Validity.VALID],
                              validity_changed_on__range=(start, end)).count(),
        public_total=items.filter(published_on__lte=end).count(),
        replied_late=cases.filter(replied_on__gt=F("due_on")).count(),
        fees_charged=charged.count(),
        fee_yuan=sum(charged.values_list("fee_amount", flat=True)),
        appeals=[(a.get_kind_display(), a.get_outcome_display()) for a in appeals],
        reply_types=list(cases.exclude(reply_type="").values_list("reply_type").annotate(n=Count("id")).order_by("-n")[:3]),
        office=office_of(agency),
        last_year_problems=last_text,
        participation=participation_of(
            Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True) if rollup else [agency.pk],
            year),
    )
