"""Recording the report of an agency not on the platform: who may, what is stored, corrections."""

import copy
import json

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.reports.external import external
from gongkai.reports.filing import filing
from gongkai.reports.models import AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.rendering import entry
from gongkai.reports.tests.conftest import clean_report

pytestmark = pytest.mark.django_db
TOWN = "测试县某某镇人民政府"


def cells_of(report: dict) -> dict:
    return {path: entry.stored_value(report, path) for path in entry.form_cells(report["format"])}


def typed(world, *, actor=None, name=TOWN, year=2025, report=None, office=None):
    report = report or clean_report()
    return external.record_typed(actor=actor or world.supervisor, office=office or world.county_gov,
                                 agency_name=name, year=year, fmt=report["format"], cells=cells_of(report))


def audits(report, action=None):
    entries = AuditEntry.objects.filter(object_type="reports.annualreport", object_id=str(report.pk))
    return entries.filter(action=action) if action else entries


# --- recording ---------------------------------------------------------------------------------

def test_a_typed_report_is_filed_with_the_office_and_audited(world):
    report = typed(world, name=f"  {TOWN} ")
    assert (report.agency, report.agency_name, report.filed_with, report.origin, report.status) == (
        None, TOWN, world.county_gov, ReportOrigin.TYPED, ReportStatus.SUBMITTED)
    assert report.submitted_at is not None and report.created_by == world.supervisor
    assert report.data == {**clean_report(), "agency": TOWN}
    entry_ = audits(report).get()
    assert (entry_.action, entry_.agency, entry_.actor) == ("create", world.county_gov, world.supervisor)
    assert entry_.after["status"] == "submitted" and entry_.after["origin"] == "typed"
    assert "按表格录入" in entry_.note


def test_blank_cells_are_stored_as_null_not_zero(world):
    report = clean_report()
    report["active"]["fees"]["amount_10k_yuan"] = None
    stored = typed(world, report=report)
    assert stored.data["active"]["fees"] == {"amount_10k_yuan": None}


def test_a_departments_staff_cannot_record_for_the_parent_office(world):
    department_supervisor = world.person("sup_a", world.agency_a, "supervisor")
    for person in (world.admin_a, world.drafter_a, department_supervisor):
        with pytest.raises(PermissionDeniedError):
            typed(world, actor=person)
    assert not AnnualReport.objects.exists() and not AuditEntry.objects.filter(
        object_type="reports.annualreport").exists()


def test_another_office_does_not_see_them(world):
    typed(world)
    office_b = world.person("sup_b", world.agency_b, "supervisor")
    with pytest.raises(PermissionDeniedError):
        external.external_reports(actor=office_b, office=world.county_gov)
    assert not external.external_reports(actor=office_b, office=world.agency_b).exists()
    mine = external.external_reports(actor=world.supervisor, office=world.county_gov, year=2025)
    assert [r.agency_name for r in mine] == [TOWN]
    with pytest.raises(ServiceError) as missing:
        external.external_report(actor=world.sysadmin, office=world.agency_b, pk=mine[0].pk)
    assert missing.value.code == "REPORT_NOT_FOUND"


@pytest.mark.parametrize(("name", "year", "code"), [
    ("", 2025, "REPORT_AGENCY_NAME_REQUIRED"),
    ("某" * 101, 2025, "REPORT_AGENCY_NAME_TOO_LONG"),
    (TOWN, 2001, "REPORT_YEAR_INVALID"),
    (TOWN, "去年", "REPORT_YEAR_INVALID"),
    (TOWN, 2015, "REPORT_YEAR_HAS_NO_TABLES"),  # the 2008–2018 outline: upload it instead
    ("测试县财政局", 2025, "REPORT_AGENCY_ON_PLATFORM"),
])
def test_refusals_name_what_is_wrong(world, name, year, code):
    with pytest.raises(ServiceError) as refused:
        typed(world, name=name, year=year)
    assert refused.value.code == code and refused.value.message
    assert not AnnualReport.objects.exists()


def test_the_same_agency_and_year_is_recorded_once(world):
    typed(world)
    with pytest.raises(ServiceError) as again:
        typed(world)
    assert again.value.code == "REPORT_ALREADY_RECORDED"
    assert typed(world, year=2024).year == 2024


# --- uploading ---------------------------------------------------------------------------------

def test_an_upload_is_stored_exactly_as_it_came(world):
    report = {"x_source": "某县门户网站", **clean_report(), "narrative": {"一": "概述。"}, "notes": ["n"]}
    report["requests"]["granted"]["foreign"] = 1
    content = json.dumps(report, ensure_ascii=False).encode("utf-8-sig")
    stored = external.record_uploaded(actor=world.supervisor, office=world.county_gov,
                                      report=external.read_upload(content))
    assert stored.origin == ReportOrigin.UPLOADED and stored.agency_name == "某县人民政府办公室"
    assert AnnualReport.objects.get(pk=stored.pk).data == report  # as a dict: jsonb does not keep key order
    assert audits(stored, "create").get().after["origin"] == "uploaded"


@pytest.mark.parametrize(("content", "code"), [
    (b"{not json", "REPORT_JSON_INVALID"),
    (b"[1, 2]", "REPORT_JSON_INVALID"),
    ("{}".encode("utf-16"), "REPORT_JSON_INVALID"),
    (b'{"format": "2030", "year": 2025}', "REPORT_FORMAT_UNKNOWN"),
    (b'{"format": "2021", "year": 2025, "year": 2024}', "REPORT_JSON_INVALID"),
    (b" " * (external.MAX_UPLOAD_BYTES + 1), "REPORT_FILE_TOO_LARGE"),
])
def test_unreadable_uploads_are_refused_in_words(content, code):
    with pytest.raises(ServiceError) as refused:
        external.read_upload(content)
    assert refused.value.code == code


def test_an_upload_without_a_name_takes_the_one_given_and_a_different_one_is_refused(world):
    nameless = clean_report()
    del nameless["agency"]
    with pytest.raises(ServiceError) as missing:
        external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=nameless)
    assert missing.value.code == "REPORT_AGENCY_NAME_REQUIRED"
    stored = external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=nameless,
                                      agency_name=TOWN)
    assert stored.data["agency"] == TOWN and stored.agency_name == TOWN
    with pytest.raises(ServiceError) as mismatch:
        external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=clean_report(),
                                 agency_name=TOWN)
    assert mismatch.value.code == "REPORT_AGENCY_MISMATCH"


def test_an_upload_of_an_agency_on_the_platform_is_refused_by_its_code(world):
    report = {**clean_report(), "agency": "财政局", "agency_code": world.agency_a.code.lower()}
    with pytest.raises(ServiceError) as refused:
        external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=report)
    assert refused.value.code == "REPORT_AGENCY_ON_PLATFORM"


def test_an_upload_with_a_year_that_is_not_a_number_is_refused(world):
    with pytest.raises(ServiceError) as refused:
        external.record_uploaded(actor=world.supervisor, office=world.county_gov,
                                 report={**clean_report(), "year": "2025"})
    assert refused.value.code == "REPORT_YEAR_INVALID"


# --- correcting --------------------------------------------------------------------------------

def test_a_correction_changes_only_the_cells_that_differ_and_is_audited(world):
    uploaded = {**clean_report(), "x_extra": True}
    uploaded["requests"]["granted"]["natural"] = 31  # a typo: R2, R3 broken
    del uploaded["review_litigation"]["litigation_direct"]["pending"]  # missing cell, left blank on the form
    report = external.record_uploaded(actor=world.supervisor, office=world.county_gov, report=uploaded)
    assert filing.check(report).violations
    cells = cells_of(report.data)
    cells[("requests", "granted", "natural")] = 30
    cells[("review_litigation", "litigation_direct", "pending")] = None
    report = external.correct_external(actor=world.supervisor, report=report, cells=cells)
    expected = copy.deepcopy(uploaded)
    expected["requests"]["granted"]["natural"] = 30
    assert report.data == expected and not filing.check(report).violations
    edit = audits(report, "external_correct").get()
    assert edit.before["cells"] == {"requests.granted.natural": 31}
    assert edit.after["cells"] == {"requests.granted.natural": 30}
    assert report.status == ReportStatus.SUBMITTED


def test_a_correction_that_changes_nothing_writes_nothing(world):
    report = typed(world)
    external.correct_external(actor=world.supervisor, report=report, cells=cells_of(report.data))
    assert not audits(report, "external_correct").exists()


def test_name_and_year_can_be_corrected_but_not_onto_another_record(world):
    report = typed(world, name="测试县某某镇")
    typed(world, year=2024)
    report = external.correct_external(actor=world.supervisor, report=report, cells={}, agency_name=TOWN)
    assert (report.agency_name, report.data["agency"]) == (TOWN, TOWN)
    with pytest.raises(ServiceError) as clash:
        external.correct_external(actor=world.supervisor, report=report, cells={}, year=2024)
    assert clash.value.code == "REPORT_ALREADY_RECORDED"


def test_a_returned_report_is_filed_again_when_corrected_and_an_accepted_one_is_final(world):
    report = typed(world)
    report = filing.decide(actor=world.supervisor, report=report, accept=False, comment="表三与公开页面不一致")
    cells = cells_of(report.data)
    cells[("requests", "granted", "natural")] = 30
    report = external.correct_external(actor=world.supervisor, report=report, cells=cells)
    assert report.status == ReportStatus.SUBMITTED and report.return_comment == ""
    assert "重新报送" in audits(report, "external_correct").get().note
    report = filing.decide(actor=world.supervisor, report=report, accept=True)
    with pytest.raises(ServiceError) as final:
        external.correct_external(actor=world.supervisor, report=report, cells=cells)
    assert final.value.code == "REPORT_STATE_CHANGED"


def test_only_the_office_corrects_and_a_platform_agencys_report_is_not_corrected_here(world):
    report = typed(world)
    with pytest.raises(PermissionDeniedError):
        external.correct_external(actor=world.admin_a, report=report, cells={})
    own = filing.open_report(actor=world.drafter_a, agency=world.agency_a, year=2025)
    with pytest.raises(ServiceError) as refused:
        external.correct_external(actor=world.sysadmin, report=own, cells={})
    assert refused.value.code == "REPORT_NOT_EXTERNAL"
