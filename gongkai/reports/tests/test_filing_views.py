"""The filing pages: start, fill in, review, submit, the superior's overview and decision, the portal column."""

import pytest
from django.urls import reverse

from gongkai.conftest import on
from gongkai.reports.computation.compute import STAFF_ENTERED
from gongkai.reports.filing import filing, publishing
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.tests.test_filing import FILING_DAY, YEAR, ready

# The dashboards speak of last year's report: YEAR's, in the weeks it is filed.
pytestmark = [pytest.mark.django_db, on(FILING_DAY)]


def filing_url(report, view="filing", **kwargs):
    code = (report.agency or report.filed_with).code
    return reverse(f"reports_staff:{view}", kwargs={"code": code, "pk": report.pk, **kwargs})


def test_start_then_fill_in_through_the_forms(world, login):
    client = login(world.drafter_a)
    response = client.post(reverse("reports_staff:start", args=[world.agency_a.code]), {"year": YEAR})
    report = AnnualReport.objects.get(agency=world.agency_a, year=YEAR)
    assert response.status_code == 302 and response["Location"] == filing_url(report)
    page = client.get(filing_url(report)).content.decode()
    assert "草稿，尚未保存" in page and "尚有由工作人员填报的单元格未填" in page

    cells = ({f"cell-active.{r}.{c}": "12" for r, c in STAFF_ENTERED}
             | {f"source-active.{r}.{c}": "业务系统" for r, c in STAFF_ENTERED})
    bad = client.post(filing_url(report, "filing_cells"), {**cells, "cell-active.fees.amount_10k_yuan": "十二",
                                                           "cell-active.coercion.decisions": "-1"}, follow=True)
    html = bad.content.decode()
    assert "“行政事业性收费·本年收费金额（单位：万元）”应填写数字（可带小数），“十二”无法识别。" in html
    assert "“行政强制·本年处理决定数量”不能为负数。" in html
    report.refresh_from_db()
    assert report.data["active"]["licensing"]["decisions"] is None  # nothing saved from the bad form
    client.post(filing_url(report, "filing_cells"), {**cells, "cell-active.fees.amount_10k_yuan": "1.25"})
    client.post(filing_url(report, "filing_text"), {"section-一": "总体情况。", "section-五": "问题。", "section-六": "其他。"})
    report.refresh_from_db()
    assert report.data["active"]["fees"]["amount_10k_yuan"] == 1.25
    assert report.data["narrative"] == {"一": "总体情况。", "五": "问题。", "六": "其他。"}

    client.post(filing_url(report, "filing_step", name="review"))
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    # The compiler cannot file it: that is the leader's or office admin's sign-off.
    assert client.post(filing_url(report, "filing_step", name="submit")).status_code == 403


def test_superior_overview_lists_subordinates_and_returns_with_a_comment(world, login):
    report = filing.send_for_review(actor=world.drafter_a, report=ready(world))
    report = filing.submit(actor=world.leader_a, report=report)
    client = login(world.supervisor)
    page = client.get(reverse("reports_staff:overview", args=[world.county_gov.code]), {"year": YEAR}).content.decode()
    assert "应报送 2 家，已报送 1 家" in page and "测试县财政局" in page and "测试县教育局" in page
    assert "未编制" in page and filing_url(report) in page

    detail = client.get(filing_url(report)).content.decode()
    assert "退回重新编制" in detail
    missing = client.post(filing_url(report, "filing_step", name="return"), {"comment": ""}, follow=True)
    assert "退回时须写明退回意见" in missing.content.decode()
    client.post(filing_url(report, "filing_step", name="return"), {"comment": "第六部分请写明信息处理费。"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    compiler_view = login(world.drafter_a).get(filing_url(report)).content.decode()
    assert "第六部分请写明信息处理费。" in compiler_view


def test_department_staff_cannot_see_the_overview_or_decide(world, login):
    report = filing.submit(actor=world.leader_a, report=filing.send_for_review(actor=world.drafter_a,
                                                                               report=ready(world)))
    client = login(world.admin_a)
    assert client.get(reverse("reports_staff:overview", args=[world.agency_a.code])).status_code == 403
    assert client.post(filing_url(report, "filing_step", name="accept")).status_code == 403
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_report_is_only_reachable_under_its_own_agency(world, login):
    report = ready(world, world.agency_b, actor=world.drafter_b)
    url = reverse("reports_staff:filing", kwargs={"code": world.agency_a.code, "pk": report.pk})
    assert login(world.admin_a).get(url).status_code == 404


def test_published_report_on_the_portal_with_downloads_and_versions(world, login, client):
    report = filing.send_for_review(actor=world.drafter_a, report=ready(world))
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    assert client.get(reverse("portal:report", args=[world.agency_a.code, report.pk])).status_code == 404
    publishing.publish(actor=world.admin_a, report=report)

    column = client.get(reverse("portal:reports")).content.decode()
    assert f"{YEAR}年度" in column and "测试县财政局2025年政府信息公开工作年度报告" in column
    page = client.get(reverse("portal:report", args=[world.agency_a.code, report.pk])).content.decode()
    assert "本年度总体情况。" in page and "编制说明" not in page and "【草稿】" not in page
    pdf = client.get(reverse("portal:report_file", args=[world.agency_a.code, report.pk, 1, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    agency_page = client.get(reverse("portal:agency_detail", args=[world.agency_a.code])).content.decode()
    assert reverse("portal:report", args=[world.agency_a.code, report.pk]) in agency_page

    report = publishing.start_correction(actor=world.admin_a, report=report, note="收费金额有误")
    # While the correction is being prepared, version 1 stays online.
    assert client.get(reverse("portal:report", args=[world.agency_a.code, report.pk])).status_code == 200
    report = filing.save_table_cells(actor=world.drafter_a, report=report, section="active",
                                     cells={("fees", "amount_10k_yuan"): 4}, editable=set(STAFF_ENTERED))
    report = filing.send_for_review(actor=world.drafter_a, report=report)
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    publishing.publish(actor=world.admin_a, report=report)
    page = client.get(reverse("portal:report", args=[world.agency_a.code, report.pk])).content.decode()
    assert "更正说明" in page and "收费金额有误" in page and "版本记录" in page
    old = client.get(reverse("portal:report", args=[world.agency_a.code, report.pk]), {"v": 1}).content.decode()
    assert "您正在查看已被更正的旧版本" in old


def test_a_broken_rule_is_shown_next_to_its_cells_and_blocks_review(world, login):
    previous = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=YEAR - 1)
    data = previous.data
    data["requests"]["carried_forward"]["natural"] = 5  # last year said five natural persons’ cases went on (R6 in two columns)
    data["requests"]["carried_forward"]["total"] = 5
    AnnualReport.objects.filter(pk=previous.pk).update(data=data)
    report = ready(world)
    page = login(world.drafter_a).get(filing_url(report)).content.decode()
    note = page.index("[R6]")
    assert 'class="cell-notes"' in page[page.rfind("<tr", 0, note) - 1:note]
    assert "flag-violation" in page and "报告有2处不符合勾稽关系" in page
    assert {p.code for p in filing.readiness(report)} == {"REPORT_HAS_VIOLATIONS"}


def test_an_off_platform_report_links_to_its_correction_form(world, login):
    from gongkai.reports.external import external
    from gongkai.reports.tests.conftest import clean_report

    stored = external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=clean_report())
    page = login(world.supervisor).get(filing_url(stored)).content.decode()
    assert reverse("reports_external:report", args=[world.county_gov.code, stored.pk]) in page


def test_dashboards_show_the_report_to_do(world, login):
    report = filing.submit(actor=world.leader_a, report=filing.send_for_review(actor=world.drafter_a,
                                                                               report=ready(world)))
    office = login(world.supervisor).get(reverse("staff:home")).content.decode()
    assert "1份下级机关报告待审核" in office
    filing.decide(actor=world.supervisor, report=report, accept=False, comment="请补充。")
    department = login(world.drafter_a).get(reverse("staff:home")).content.decode()
    assert "已被退回" in department and filing_url(report) in department
