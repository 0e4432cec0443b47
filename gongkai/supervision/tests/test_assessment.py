import datetime as dt
from collections import Counter
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from gongkai.applications.tests.conftest import register
from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import assessment as svc
from gongkai.supervision.export import render_results_xlsx, safe
from gongkai.supervision.models import ResponseState, Scheme, SchemeArea, SchemeIndicator
from gongkai.supervision.scoring import score

pytestmark = pytest.mark.django_db
D = dt.date


def website(world):
    svc.presets_load(actor=None)
    return Scheme.objects.prefetch_related("areas__indicators").get(preset="website_2019")


def rule(scheme, name):
    return SchemeIndicator.objects.get(area__scheme=scheme, name__startswith=name)


def test_caps_stop_deductions_at_the_indicators_points(world):
    scheme = website(world)
    timely = rule(scheme, "主动公开不及时")  # 0.2 each, at most 5
    result = score(scheme, Counter({timely.pk: 40}))
    assert result.deduction_score == Decimal("95.00") and result.grade == "合格"
    line = next(x for x in result.lines if x.rule_id == timely.pk)
    assert line.findings == 40 and line.points == Decimal(5)


def test_a_veto_fails_the_agency_and_nothing_else_is_scored(world):
    scheme = website(world)
    stale = rule(scheme, "栏目不更新")
    assert score(scheme, Counter({stale.pk: 4})).grade == "合格"
    result = score(scheme, Counter({stale.pk: 7}))
    assert result.grade == "不合格（单项否决）" and result.final is None
    assert result.vetoes == ["栏目不更新（动态要闻2周、通知公告与政策文件6个月）：7 个，达到单项否决线 5 个"]


def test_exempt_service_area_scales_75_points_to_100(world):
    scheme = website(world)
    services = SchemeArea.objects.get(scheme=scheme, name="办事服务")
    search = rule(scheme, "站内搜索不可用")  # -2 each, at most 5
    guide = rule(scheme, "办事指南要素缺失")  # in the exempt area: not counted
    result = score(scheme, Counter({search.pk: 3, guide.pk: 4}), exempt_area_ids={services.pk})
    # 75 - 5 (capped) = 70 out of 75 → 93.33 out of 100.
    assert result.deduction_score == Decimal("93.33")
    assert score(scheme, Counter({search.pk: 3, guide.pk: 4})).deduction_score == Decimal("91.00")


def test_bonus_opens_only_above_80_and_is_capped(world):
    scheme = website(world)
    bonus = rule(scheme, "创新做法")  # 5 each, at most 30
    assert score(scheme, Counter({bonus.pk: 8})).final == Decimal("130.00")
    heavy = {rule(scheme, "政策文件一级栏目").pk: 1, rule(scheme, "站内搜索").pk: 3, rule(scheme, "办事指南").pk: 10}
    result = score(scheme, Counter({**heavy, bonus.pk: 2}))
    # Exactly 80 does not open the bonus part (it opens above 80).
    assert result.deduction_score == Decimal("80.00") and result.bonus == 0 and result.final == Decimal("80.00")
    heavy[rule(scheme, "政策文件一级栏目").pk] = 0
    assert score(scheme, Counter({**heavy, bonus.pk: 2})).final == Decimal("95.00")


def test_below_60_fails(world):
    scheme = Scheme.objects.prefetch_related("areas__indicators").get(pk=website(world).pk)
    many = {r.pk: 100 for r in SchemeIndicator.objects.filter(area__scheme=scheme, kind="deduction")}
    result = score(scheme, Counter(many))
    # Every indicator loses its full points: 100 - (23 + 12 + 8 + 9) = 48, below the 60 line.
    assert result.deduction_score == Decimal("48.00") and result.grade == "不合格"


def test_presets_load_once_and_keep_edits(world):
    out = StringIO()
    call_command("assessment", "presets", stdout=out)
    assert "已载入" in out.getvalue()
    r = rule(Scheme.objects.get(preset="openness_2024"), "逾期答复")
    svc.rule_update(actor=None, rule=r, points="12", per_finding="4", veto_at=1)
    call_command("assessment", "presets", stdout=StringIO())
    r.refresh_from_db()
    assert r.points == Decimal(12) and Scheme.objects.count() == 2
    with pytest.raises(ServiceError) as bad:
        svc.rule_update(actor=None, rule=r, points="abc", per_finding="1", veto_at=1)
    assert bad.value.code == "NUMBER_INVALID"
    with pytest.raises(PermissionDeniedError):
        svc.rule_update(actor=world.supervisor, rule=r, points="1", per_finding="1", veto_at=1)


def test_assessment_traces_lost_points_to_findings_and_handles_responses(world):
    svc.presets_load(actor=None)
    scheme = Scheme.objects.get(preset="openness_2024")
    late = register(world, received_on=D(2026, 9, 10))  # due in October, never answered
    a = svc.assessment_start(actor=world.supervisor, scheme=scheme, office=world.county_gov, title="2026年第四季度考核",
                             start=D(2026, 10, 1), end=D(2026, 12, 31), respond_by=D(2027, 1, 10), assessor="县政务公开办自评")
    overdue = a.findings.get(agency=world.agency_a, rule__indicator="application_overdue")
    assert overdue.subject_repr == late.tracking_code
    ranked = {r.agency.pk: r for r in svc.results(a)}
    line = next(x for x in ranked[world.agency_a.pk].score.lines if x.rule_id == overdue.rule_id)
    assert line.points == Decimal(6)
    # The other department's staff cannot see A's findings; A's can, and responds in time.
    with pytest.raises(PermissionDeniedError):
        svc.findings_of(world.admin_b, a, world.agency_a)
    assert overdue in svc.findings_of(world.drafter_a, a, world.agency_a)
    with pytest.raises(ServiceError) as late_response:
        svc.finding_respond(actor=world.admin_a, entry=overdue, text="已答复", today=D(2027, 1, 11))
    assert late_response.value.code == "RESPONSE_TOO_LATE"
    svc.finding_respond(actor=world.admin_a, entry=overdue, text="申请人已撤回，见附件。", today=D(2027, 1, 5))
    with pytest.raises(ServiceError) as pending:
        svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2027, 1, 11))
    assert pending.value.code == "RESPONSES_PENDING"
    svc.finding_decide(actor=world.supervisor, entry=overdue, accept=True, note="核实属实")
    overdue.refresh_from_db()
    assert overdue.response_state == ResponseState.ACCEPTED
    ranked = {r.agency.pk: r for r in svc.results(a)}
    assert next(x for x in ranked[world.agency_a.pk].score.lines if x.rule_id == overdue.rule_id).points == 0
    manual = rule(scheme, "重大决策未预公开")
    svc.finding_add(actor=world.supervisor, assessment=a, agency=world.agency_b, rule=manual, subject="=HYPERLINK(\"x\")",
                    evidence="2026年11月重大行政决策未征求意见")
    with pytest.raises(ServiceError):
        svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2027, 1, 10))
    svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2027, 1, 11))
    with pytest.raises(ServiceError) as final:
        svc.finding_add(actor=world.supervisor, assessment=a, agency=world.agency_b, rule=manual, subject="", evidence="x")
    assert final.value.code == "ASSESSMENT_FINAL"
    book = load_workbook(BytesIO(render_results_xlsx(a)))
    evidence = [[c.value for c in row] for row in book["问题与证据"].iter_rows(min_row=2)]
    assert ["测试县教育局", manual.name, "'=HYPERLINK(\"x\")"] in [row[:3] for row in evidence]
    names = [row[1].value for row in book["排名"].iter_rows(min_row=4)]
    assert set(names) == {world.agency_a.name, world.agency_b.name}
    # A's overdue case was excused on 申辩, B lost points on a manual check: A ranks first, alone.
    ranked = svc.results(a)
    assert [(r.agency, r.rank, r.tied) for r in ranked] == [(world.agency_a, 1, False), (world.agency_b, 2, False)]
    kinds = set(AuditEntry.objects.filter(object_type__startswith="supervision.").values_list("action", flat=True))
    assert {Action.ASSESSMENT_START, Action.ASSESSMENT_RESPOND, Action.ASSESSMENT_DECIDE, Action.ASSESSMENT_ADD,
            Action.ASSESSMENT_FINALISE} <= kinds


def test_an_office_cannot_assess_agencies_outside_its_tree(world):
    svc.presets_load(actor=None)
    scheme = Scheme.objects.get(preset="openness_2024")
    with pytest.raises(PermissionDeniedError):
        svc.assessment_start(actor=world.admin_a, scheme=scheme, office=world.county_gov, title="x", start=D(2026, 1, 1),
                             end=D(2026, 3, 31), respond_by=D(2026, 4, 10))


def test_safe_cells():
    assert [safe(v) for v in ["=1+1", "+86", "-3", "@SUM", "正常", 5]] == ["'=1+1", "'+86", "'-3", "'@SUM", "正常", 5]
