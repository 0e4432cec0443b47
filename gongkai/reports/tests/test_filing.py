"""The filing workflow: compile → review → submit → return/accept → publish → correct, with its rules."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from gongkai.audit.models import AuditEntry
from gongkai.conftest import BEIJING, on
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.reports.computation.compute import STAFF_ENTERED
from gongkai.reports.filing import filing, publishing
from gongkai.reports.models import AnnualReport, ReportStatus, ReportVersion

YEAR = 2025
# Early in YEAR + 1, when YEAR's reports are compiled and filed (by 31 January, 条例第四十九条).
FILING_DAY = dt.date(YEAR + 1, 1, 10)
pytestmark = on(FILING_DAY)


def ready(world, agency=None, *, actor=None):
    """A generated report with table 二's entered cells, their sources and sections 一/五/六 written."""
    agency = agency or world.agency_a
    actor = actor or world.drafter_a
    report = filing.open_report(actor=actor, agency=agency, year=YEAR)
    cells = {(row, column): 3 for row, column in STAFF_ENTERED}
    sources = {f"active.{row}.{column}": "县政务服务平台导出" for row, column in STAFF_ENTERED}
    report = filing.save_table_cells(actor=actor, report=report, section="active", cells=cells, sources=sources,
                                     editable=set(STAFF_ENTERED))
    return filing.save_narrative(actor=actor, report=report,
                                 narrative={"一": "本年度总体情况。", "五": "存在问题及改进。", "六": "无其他事项。"})


def at(time_machine, day: dt.date):
    """Move the clock to ``day`` (deadlines are judged on the local date of the action)."""
    time_machine.move_to(dt.datetime.combine(day, dt.time(10), tzinfo=BEIJING))


def test_open_report_generates_once_and_audits(world):
    first = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=YEAR)
    again = filing.open_report(actor=world.admin_a, agency=world.agency_a, year=YEAR)
    assert first.pk == again.pk and first.status == ReportStatus.DRAFT
    assert first.data["agency_code"] == world.agency_a.code and first.data["year"] == YEAR
    assert AuditEntry.objects.filter(object_type="reports.annualreport", action="create").count() == 1


def test_other_agencies_staff_cannot_open_or_edit(world):
    with pytest.raises(PermissionDeniedError):
        filing.open_report(actor=world.drafter_b, agency=world.agency_a, year=YEAR)
    report = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=YEAR)
    with pytest.raises(PermissionDeniedError):
        filing.save_narrative(actor=world.drafter_b, report=report, narrative={"一": "x"})


def test_computed_cells_cannot_be_typed_over(world):
    report = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=YEAR)
    with pytest.raises(ServiceError) as refused:
        filing.save_table_cells(actor=world.drafter_a, report=report, section="active",
                                cells={("regulations", "issued"): 9}, editable=set(STAFF_ENTERED))
    assert refused.value.code == "REPORT_CELL_NOT_EDITABLE"
    report.refresh_from_db()
    assert report.data["active"]["regulations"]["issued"] == 0


def test_not_ready_lists_every_gap_and_changes_nothing(world):
    report = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=YEAR)
    codes = {p.code for p in filing.readiness(report)}
    assert codes == {"REPORT_CELLS_MISSING", "REPORT_SOURCE_MISSING", "REPORT_NARRATIVE_MISSING"}
    with pytest.raises(ServiceError):
        filing.send_for_review(actor=world.drafter_a, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_refresh_keeps_entered_cells_sources_and_text(world):
    report = ready(world)
    report = filing.refresh_figures(actor=world.drafter_a, report=report)
    assert report.data["active"]["licensing"]["decisions"] == 3
    assert report.data["narrative"]["六"] == "无其他事项。"
    assert report.data["sources"]["active.fees.amount_10k_yuan"] == "县政务服务平台导出"


def test_full_workflow_with_return_and_publication(world, time_machine):
    report = ready(world)
    at(time_machine, dt.date(YEAR + 1, 1, 20))
    report = filing.send_for_review(actor=world.drafter_a, report=report)
    with pytest.raises(PermissionDeniedError):  # the compiler does not sign off their own report
        filing.submit(actor=world.drafter_a, report=report)
    report = filing.submit(actor=world.leader_a, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.filed_with == world.county_gov
    assert not report.submitted_late

    with pytest.raises(PermissionDeniedError):  # a sibling department cannot decide
        filing.decide(actor=world.admin_b, report=report, accept=True)
    with pytest.raises(ServiceError) as empty:
        filing.decide(actor=world.supervisor, report=report, accept=False, comment="  ")
    assert empty.value.code == "REPORT_COMMENT_REQUIRED"
    report = filing.decide(actor=world.supervisor, report=report, accept=False, comment="第五部分请写明整改措施。")
    assert report.status == ReportStatus.RETURNED and report.editable

    report = filing.save_narrative(actor=world.drafter_a, report=report, narrative={"五": "整改措施：每季度核查一次答复期限。"})
    report = filing.send_for_review(actor=world.drafter_a, report=report)
    at(time_machine, dt.date(YEAR + 1, 2, 3))
    report = filing.submit(actor=world.admin_a, report=report)
    assert report.submitted_late and report.return_comment == ""
    report = filing.decide(actor=world.supervisor, report=report, accept=True)
    assert report.status == ReportStatus.ACCEPTED

    version = publishing.publish(actor=world.admin_a, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and version.number == 1
    # A department publishes when it files: 1月31日 (条例第四十九条), so 3 February is late.
    assert version.published_late
    assert version.pdf.read().startswith(b"%PDF") and "notes" not in version.data
    text = "\n".join(p.text for p in Document(io.BytesIO(version.docx.read())).paragraphs)
    assert "整改措施：每季度核查一次答复期限。" in text and "【草稿】" not in text
    actions = list(AuditEntry.objects.filter(object_type="reports.annualreport").values_list("action", flat=True))
    assert actions.count("submit") == 4 and actions.count("reject") == 1 and "publish" in actions


def test_published_version_is_immutable_and_a_correction_says_what_changed(world, time_machine):
    at(time_machine, dt.date(YEAR + 1, 1, 10))
    report = filing.send_for_review(actor=world.drafter_a, report=ready(world))
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    first = publishing.publish(actor=world.admin_a, report=report)
    assert not first.published_late
    first.change_note = "x"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()

    with pytest.raises(ServiceError) as no_note:
        publishing.start_correction(actor=world.admin_a, report=report, note="")
    assert no_note.value.code == "REPORT_CORRECTION_NOTE_REQUIRED"
    report = publishing.start_correction(actor=world.admin_a, report=report, note="行政处罚决定数量统计有误")
    report = filing.save_table_cells(actor=world.drafter_a, report=report, section="active",
                                     cells={("punishment", "decisions"): 5}, editable=set(STAFF_ENTERED))
    report = filing.send_for_review(actor=world.drafter_a, report=report)
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    second = publishing.publish(actor=world.admin_a, report=report)
    assert second.number == 2
    assert second.change_note.splitlines() == ["行政处罚决定数量统计有误", "行政处罚“本年处理决定数量”由3改为5"]
    assert ReportVersion.objects.get(pk=first.pk).data["active"]["punishment"]["decisions"] == 3
    assert [v.number for v in publishing.published_versions(world.agency_a)] == [2]


def test_a_stale_page_cannot_submit_twice(world):
    report = filing.send_for_review(actor=world.drafter_a, report=ready(world))
    filing.submit(actor=world.leader_a, report=report)
    with pytest.raises(ServiceError) as stale:
        filing.submit(actor=world.leader_a, report=report)  # the same object, read before the first submit
    assert stale.value.code == "REPORT_STATE_CHANGED"


def test_top_agency_without_superior_is_accepted_on_filing(world):
    world.person("gov_admin", world.county_gov, "office_admin")
    admin = world.person("gov_leader", world.county_gov, "leader")
    report = ready(world, world.county_gov, actor=world.person("gov_drafter", world.county_gov, "drafter"))
    report = filing.send_for_review(actor=report.created_by, report=report)
    report = filing.submit(actor=admin, report=report)
    assert report.status == ReportStatus.ACCEPTED and report.filed_with is None


def test_correction_with_no_change_is_refused(world):
    report = filing.send_for_review(actor=world.drafter_a, report=ready(world))
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    publishing.publish(actor=world.admin_a, report=report)
    report = publishing.start_correction(actor=world.admin_a, report=report, note="核对")
    report = filing.send_for_review(actor=world.drafter_a, report=report)
    report = filing.decide(actor=world.supervisor, report=filing.submit(actor=world.leader_a, report=report),
                           accept=True)
    with pytest.raises(ServiceError) as same:
        publishing.publish(actor=world.admin_a, report=report)
    assert same.value.code == "REPORT_CORRECTION_EMPTY"
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert ReportVersion.objects.filter(report=report).count() == 1


def test_a_2019_report_asks_for_the_2019_cells_and_accepts_a_negative_change(world):
    report = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=2019)
    assert report.data["format"] == "2019"
    keys = filing.entered_cells(report.data)
    assert ("active", "licensing", "change") in keys and ("active", "procurement", "projects") in keys
    cells = {key: (-2 if key[2] == "change" else 1) for key in keys}
    report = filing.save_entered_cells(actor=world.drafter_a, report=report, cells=cells,
                                       sources={".".join(k): "县政务服务平台" for k in keys})
    report = filing.save_narrative(actor=world.drafter_a, report=report, narrative={"一": "甲", "五": "乙", "六": "丙"})
    assert filing.readiness(report) == []
    with pytest.raises(ServiceError) as computed:  # 规章 counts come from the items
        filing.save_entered_cells(actor=world.drafter_a, report=report, cells={("active", "regulations", "made"): 1},
                                  sources={})
    assert computed.value.code == "REPORT_CELL_NOT_EDITABLE"


def test_an_outline_report_writes_its_own_sections_and_keeps_entered_fees_on_refresh(world):
    report = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=2015)
    assert report.data["format"] == "2008"
    assert {p.code for p in filing.readiness(report)} >= {"REPORT_CELLS_MISSING", "REPORT_NARRATIVE_MISSING"}
    with pytest.raises(ServiceError) as unknown:
        filing.save_narrative(actor=world.drafter_a, report=report, narrative={"五": "x"})
    assert unknown.value.code == "REPORT_SECTION_UNKNOWN"
    report = filing.save_entered_cells(actor=world.drafter_a, report=report,
                                       cells={("fees", "waived", "cases"): 2, ("fees", "waived", "yuan"): 30.5},
                                       sources={"fees.waived.cases": "收费台账", "fees.waived.yuan": "收费台账"})
    report = filing.save_narrative(actor=world.drafter_a, report=report,
                                   narrative={"一": "概述。", "二": "公开途径。", "六": "问题。", "七": "无。"})
    report = filing.refresh_figures(actor=world.drafter_a, report=report)
    assert report.data["fees"]["waived"] == {"cases": 2, "yuan": 30.5}
    assert filing.readiness(report) == []
