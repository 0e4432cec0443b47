import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.supervision.models import Finding, Notice, NoticeItem, ReportState, TaskReport, WorkPlan
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.test_workplans import sheet

pytestmark = pytest.mark.django_db


def test_plan_import_report_and_review_through_the_pages(world, login):
    office = login(world.supervisor)
    url = reverse("supervision_staff:plans", args=[world.county_gov.code])
    upload = SimpleUploadedFile("plan.xlsx", sheet((1, "推进预决算公开", "", "测试县财政局", "测试县财政局", "年底前")))
    assert office.post(url, {"year": "2026", "title": "2026年要点", "file": upload}).status_code == 302
    plan = WorkPlan.objects.get()
    page = office.get(reverse("supervision_staff:plan", args=[world.county_gov.code, plan.pk])).content.decode()
    assert "推进预决算公开" in page
    xlsx = office.get(reverse("supervision_staff:plan_xlsx", args=[world.county_gov.code, plan.pk]))
    assert xlsx.status_code == 200
    bad = office.post(url, {"year": "2026", "title": "x", "file": SimpleUploadedFile("x.xlsx", b"junk")})
    assert "无法读取该文件" in bad.content.decode()

    unit = login(world.drafter_a)
    inbox = unit.get(reverse("supervision_staff:index", args=[world.agency_a.code])).content.decode()
    assert "推进预决算公开" in inbox
    task = plan.tasks.get()
    unit.post(reverse("supervision_staff:task_report", args=[world.agency_a.code, task.pk]), {"text": "已公开"})
    report = TaskReport.objects.get()
    lead = login(world.admin_a)  # 财政局 leads the task: its office admin reviews from its own page
    assert "待本单位（牵头单位）审核" in lead.get(reverse("supervision_staff:index", args=[world.agency_a.code])).content.decode()
    lead.post(reverse("supervision_staff:report_review", args=[world.agency_a.code, report.pk]), {"do": "accept"})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED


def test_notice_issue_and_answer_through_the_pages(world, login):
    from gongkai.disclosure.catalogue import ensure_catalogue

    ensure_catalogue(world.agency_a)
    monitor_run(on=dt.date(2026, 10, 13), agencies=[world.agency_a])
    finding = Finding.objects.filter(agency=world.agency_a).first()
    office = login(world.supervisor)
    url = reverse("supervision_staff:notices", args=[world.county_gov.code])
    response = office.post(url, {"title": "通报", "rectify_by": "2099-12-31", "finding": [finding.pk]})
    assert response.status_code == 302
    notice = Notice.objects.get()
    docx = office.get(reverse("supervision_staff:notice_file", args=[world.county_gov.code, notice.pk, "docx"]))
    assert docx.content[:2] == b"PK"
    pdf = office.get(reverse("supervision_staff:notice_file", args=[world.county_gov.code, notice.pk, "pdf"]))
    assert pdf.content[:5] == b"%PDF-" and pdf["Content-Type"] == "application/pdf"
    assert office.get(reverse("supervision_staff:notice_file", args=[world.county_gov.code, notice.pk, "xls"])).status_code == 404
    item = NoticeItem.objects.get()
    unit = login(world.admin_a)
    unit.post(reverse("supervision_staff:notice_answer", args=[world.agency_a.code, item.pk]), {"text": "已整改"})
    item.refresh_from_db()
    assert item.answer == "已整改"
    assert login(world.admin_b).post(reverse("supervision_staff:notice_answer", args=[world.agency_b.code, item.pk]),
                                     {"text": "x"}).status_code == 404
