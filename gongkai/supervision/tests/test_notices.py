import datetime as dt
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import notice_print, notices
from gongkai.supervision.models import Finding, FindingState, Recheck
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.conftest import publish

pytestmark = pytest.mark.django_db
D = dt.date


def stale_news(world, agency):
    return Finding.objects.get(agency=agency, indicator="column_stale", subject_repr="工作动态")


def test_notice_answer_recheck_loop(county):
    publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 9, 28), node="gzdt")
    monitor_run(on=D(2026, 10, 13), agencies=[county.agency_a, county.agency_b])
    a_news, b_news = stale_news(county, county.agency_a), stale_news(county, county.agency_b)
    with pytest.raises(PermissionDeniedError):
        notices.notice_issue(actor=county.admin_a, office=county.county_gov, title="通报", rectify_by=D(2026, 10, 30),
                             findings=[a_news], on=D(2026, 10, 14))
    with pytest.raises(ServiceError) as early:
        notices.notice_issue(actor=county.supervisor, office=county.county_gov, title="通报", rectify_by=D(2026, 10, 14),
                             findings=[a_news], on=D(2026, 10, 14))
    assert early.value.code == "RECTIFY_BY_INVALID"
    notice = notices.notice_issue(actor=county.supervisor, office=county.county_gov,
                                  title="关于2026年第三季度政府网站检查情况的通报", rectify_by=D(2026, 10, 30),
                                  findings=[a_news, b_news], on=D(2026, 10, 14))
    a_item = notice.items.get(agency=county.agency_a)
    b_item = notice.items.get(agency=county.agency_b)
    # A fixes the column and says so; B says so without fixing it.
    publish(county, written_on=D(2026, 10, 20), published_on=D(2026, 10, 20), node="gzdt", title="新动态")
    with pytest.raises(PermissionDeniedError):
        notices.notice_answer(actor=county.admin_b, item=a_item, text="已更新")
    notices.notice_answer(actor=county.admin_a, item=a_item, text="已更新工作动态栏目。", on=D(2026, 10, 20))
    notices.notice_answer(actor=county.admin_b, item=b_item, text="已安排专人更新。", on=D(2026, 10, 20))
    summary = monitor_run(on=D(2026, 10, 21), agencies=[county.agency_a, county.agency_b])
    assert summary.rechecked == 2
    a_item.refresh_from_db()
    b_item.refresh_from_db()
    assert a_item.recheck == Recheck.FIXED and stale_news(county, county.agency_a).state == FindingState.CLOSED
    assert b_item.recheck == Recheck.REOPENED
    assert AuditEntry.objects.filter(action=Action.NOTICE_RECHECK).count() == 2
    # A second run does not re-check again.
    assert monitor_run(on=D(2026, 10, 22), agencies=[county.agency_a, county.agency_b]).rechecked == 0


def test_docx_lists_problems_per_unit_and_the_units_that_did_not_answer(county):
    monitor_run(on=D(2026, 10, 13), agencies=[county.agency_a, county.agency_b])
    notice = notices.notice_issue(actor=county.supervisor, office=county.county_gov, title="通报",
                                  rectify_by=D(2026, 10, 30), on=D(2026, 10, 14),
                                  findings=[stale_news(county, county.agency_a), stale_news(county, county.agency_b)])
    notices.notice_answer(actor=county.admin_a, item=notice.items.get(agency=county.agency_a), text="已更新",
                          on=D(2026, 10, 20))
    before = "\n".join(p.text for p in Document(BytesIO(notice_print.notice_docx(notice, today=D(2026, 10, 20)))).paragraphs)
    assert "2026年10月30日前完成整改" in before and "测试县财政局" in before and "逾期未报送整改情况的单位" not in before
    assert "第五十二条" in before and "报送整改情况：已更新。" in before
    after = [p.text for p in Document(BytesIO(notice_print.notice_docx(notice, today=D(2026, 10, 31)))).paragraphs]
    assert after[after.index("三、逾期未报送整改情况的单位") + 1] == "测试县教育局。"
    # The PDF says the same, from the same content.
    pdf = PdfReader(BytesIO(notice_print.notice_pdf(notice, today=D(2026, 10, 31))))
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    assert "三、逾期未报送整改情况的单位测试县教育局。" in text and "第五十二条" in text


def test_only_open_findings_of_subordinates(county):
    monitor_run(on=D(2026, 10, 13), agencies=[county.agency_a])
    finding = stale_news(county, county.agency_a)
    with pytest.raises(PermissionDeniedError):
        notices.notice_issue(actor=county.gov_admin, office=county.agency_a, title="x", rectify_by=D(2026, 11, 1),
                             findings=[finding], on=D(2026, 10, 14))
    publish(county, written_on=D(2026, 10, 14), published_on=D(2026, 10, 14), node="gzdt")
    monitor_run(on=D(2026, 10, 14), agencies=[county.agency_a])
    finding.refresh_from_db()
    with pytest.raises(ServiceError) as closed:
        notices.notice_issue(actor=county.gov_admin, office=county.county_gov, title="x", rectify_by=D(2026, 11, 1),
                             findings=[finding], on=D(2026, 10, 14))
    assert closed.value.code == "FINDING_CLOSED"
