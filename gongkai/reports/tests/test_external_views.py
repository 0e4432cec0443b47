"""The pages under /staff/a/<office>/reports/external/: type in, upload, check next to the cells, list."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.reports.models import AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.rendering import entry
from gongkai.reports.tests.conftest import clean_report

pytestmark = pytest.mark.django_db
TOWN = "测试县某某镇人民政府"


def form_data(report: dict, name=TOWN, **cells) -> dict:
    data = {"agency_name": name, "year": str(report["year"]), "format": report["format"]}
    for path in entry.form_cells(report["format"]):
        data[entry.FIELD_PREFIX + entry.name_of(path)] = entry.stored_text(report, path)
    data.update({entry.FIELD_PREFIX + k: v for k, v in cells.items()})
    return data


def url(world, name, *args):
    return reverse(f"reports_external:{name}", args=[world.county_gov.code, *args])


def cell_html(html: str, name: str) -> str:
    """The <td> that holds the input of one cell."""
    match = re.search(rf'<td [^>]*data-cell="{re.escape(name)}"[^>]*>.*?</td>', html, re.S)
    assert match, name
    return match.group(0)


def note_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="cell-notes">.*?</tr>', html, re.S)


def test_the_blank_form_mirrors_the_printed_tables(world, login):
    page = login(world.supervisor).get(url(world, "new"))
    html = page.content.decode()
    assert page.status_code == 200
    for heading in ("表二　主动公开政府信息情况", "表三　收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量",
                    "（三）不予公开", "表四　政府信息公开行政复议、行政诉讼情况", "未经复议直接起诉"):
        assert heading in html
    inputs = re.findall(r'<input type="text" inputmode="decimal"[^>]*name="c-([^"]+)"', html)
    assert len(inputs) == len(entry.form_cells("2021"))
    assert 'aria-label="表三“三（一）予以公开”行“自然人”列"' in html


def test_a_typed_report_with_an_r1_violation_shows_the_message_next_to_its_column(world, login):
    client = login(world.supervisor)
    report = clean_report()
    response = client.post(url(world, "new"), form_data(report, **{"requests.carried_forward.natural": "5",
                                                                    "requests.carried_forward.total": "5"}))
    stored = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url(world, "report", stored.pk)
    assert (stored.origin, stored.status, stored.filed_with) == (ReportOrigin.TYPED, ReportStatus.SUBMITTED,
                                                                 world.county_gov)
    html = client.get(response["Location"]).content.decode()
    assert "已录入" in html  # the flash message
    for row in ("new", "carried_over", "total_processed", "carried_forward"):
        cell = cell_html(html, f"requests.{row}.natural")
        assert 'class="num flag-violation"' in cell and 'aria-describedby=" finding-1"' in cell
    assert 'class="num"' in cell_html(html, "requests.carried_forward.commercial")  # other columns untouched
    notes = note_rows(html)
    assert len(notes) == 1  # both R1 findings sit in one row under 四、结转下年度继续办理
    assert 'id="finding-1"' in notes[0] and "表三“自然人”列：第一项加第二项之和应等于第三项" in notes[0]
    assert "表三“总计”列" in notes[0]
    before_notes = html[:html.index(notes[0])]
    assert before_notes.rindex("四、结转下年度继续办理") > before_notes.rindex('data-cell="requests.total_processed.total"')
    assert "不符合勾稽关系（2处）" in html


def test_bad_cells_are_marked_and_nothing_is_saved(world, login):
    client = login(world.supervisor)
    data = form_data(clean_report(), **{"requests.granted.natural": "三十", "active.licensing.decisions": "1.5",
                                        "active.fees.amount_10k_yuan": "12.75"})
    response = client.post(url(world, "new"), data)
    html = response.content.decode()
    assert response.status_code == 400 and not AnnualReport.objects.exists()
    cell = cell_html(html, "requests.granted.natural")
    assert 'value="三十"' in cell and 'aria-invalid="true"' in cell and "“三十”不是数字" in cell
    assert "件数应为整数" in cell_html(html, "active.licensing.decisions")
    fees = cell_html(html, "active.fees.amount_10k_yuan")
    assert 'value="12.75"' in fees and "cell-error" not in fees
    assert "有2个单元格填写有误，报告未保存" in html
    assert f'value="{TOWN}"' in html  # what was typed stays


def test_a_refused_name_is_shown_next_to_the_name_field(world, login):
    response = login(world.supervisor).post(url(world, "new"), form_data(clean_report(), name="测试县财政局"))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="x-agency-error"' in html and "已在本平台" in html


def test_reopening_the_form_and_correcting_a_cell(world, login):
    client = login(world.supervisor)
    report = clean_report()
    client.post(url(world, "new"), form_data(report, **{"requests.granted.natural": "31"}))
    stored = AnnualReport.objects.get()
    html = client.get(url(world, "report", stored.pk)).content.decode()
    assert 'value="31"' in cell_html(html, "requests.granted.natural")
    assert "flag-violation" in cell_html(html, "requests.granted.total")  # R3 on 三（一）
    response = client.post(url(world, "report", stored.pk), form_data(report, **{"requests.granted.natural": "30"}))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.data["requests"]["granted"]["natural"] == 30
    html = client.get(url(world, "report", stored.pk)).content.decode()
    assert "未发现不符合勾稽关系之处" in html and "num flag-violation" not in html


def test_an_accepted_report_is_shown_but_not_editable(world, login):
    from gongkai.reports.filing import filing

    client = login(world.supervisor)
    client.post(url(world, "new"), form_data(clean_report()))
    stored = filing.decide(actor=world.supervisor, report=AnnualReport.objects.get(), accept=True)
    html = client.get(url(world, "report", stored.pk)).content.decode()
    assert "不能再修改" in html and 'id="save-report"' not in html and " disabled>" in html
    response = client.post(url(world, "report", stored.pk), form_data(clean_report(), **{"requests.new.natural": "1"}))
    assert response.status_code == 400 and "无法执行此操作" in response.content.decode()


def test_upload_stores_the_file_and_shows_the_checks(world, login):
    client = login(world.supervisor)
    report = {**clean_report(), "x_unknown": 1}
    upload = SimpleUploadedFile("report.json", json.dumps(report, ensure_ascii=False).encode(), "application/json")
    response = client.post(url(world, "upload"), {"file": upload})
    stored = AnnualReport.objects.get()
    assert response.status_code == 302 and stored.origin == ReportOrigin.UPLOADED and stored.data == report
    html = client.get(response["Location"]).content.decode()
    assert "“x_unknown”不是年度报告交换格式中的项目" in html


@pytest.mark.parametrize(("content", "words"), [
    (b"{\"format\": \"2021\",", "报告不是有效的 JSON"),
    (b'{"format": "1999", "year": 2025}', "无法识别报告格式“1999”"),
    (b"\xff\xfe\x00", "不是 UTF-8 编码"),
])
def test_an_unreadable_upload_is_refused_in_words(world, login, content, words):
    response = login(world.supervisor).post(url(world, "upload"), {"file": SimpleUploadedFile("r.json", content)})
    html = response.content.decode()
    assert response.status_code == 400 and words in html and 'id="upload-error"' in html
    assert not AnnualReport.objects.exists()


def test_upload_without_a_file(world, login):
    response = login(world.supervisor).post(url(world, "upload"), {})
    assert response.status_code == 400 and "请选择要上传的年度报告 JSON 文件" in response.content.decode()


def test_the_list_shows_the_offices_external_reports_per_year(world, login):
    client = login(world.supervisor)
    client.post(url(world, "new"), form_data(clean_report()))
    client.post(url(world, "new"), form_data({**clean_report(), "year": 2024}, name="测试县另一镇人民政府"))
    html = client.get(url(world, "list")).content.decode()
    first, second = AnnualReport.objects.order_by("-year")
    assert url(world, "report", first.pk) in html and url(world, "report", second.pk) in html
    only_2024 = client.get(url(world, "list"), {"year": 2024}).content.decode()
    assert "测试县另一镇人民政府" in only_2024 and TOWN not in only_2024


def test_departments_staff_and_other_offices_are_kept_out(world, login):
    client = login(world.supervisor)
    client.post(url(world, "new"), form_data(clean_report()))
    stored = AnnualReport.objects.get()
    department_supervisor = world.person("sup_a", world.agency_a, "supervisor")
    for person in (world.admin_a, department_supervisor, world.admin_b):
        other = login(person)
        assert other.get(url(world, "list")).status_code == 404  # the office is not theirs to see
        assert other.post(url(world, "new"), form_data(clean_report())).status_code == 404
        assert other.get(url(world, "report", stored.pk)).status_code == 404
    office_b = world.person("sup_b", world.agency_b, "supervisor")
    b_url = reverse("reports_external:report", args=[world.agency_b.code, stored.pk])
    assert login(office_b).get(b_url).status_code == 404  # not filed with agency B
    gov_drafter = world.person("gov_drafter", world.county_gov, "drafter")
    assert login(gov_drafter).get(url(world, "list")).status_code == 403  # no ACCEPT_REPORTS
    assert AnnualReport.objects.count() == 1


def test_the_list_reads_last_years_records_in_one_query_whatever_its_length(world, login, django_assert_max_num_queries):
    from gongkai.reports.external import external

    for number in range(6):
        for year in (2024, 2025):
            external.record_typed(actor=None, office=world.county_gov, agency_name=f"测试县第{number}镇人民政府",
                                  year=year, fmt="2021", cells={})
    client = login(world.supervisor)
    client.get(url(world, "list"))  # warm the session
    with django_assert_max_num_queries(10):  # sign-in, roles and sidebar 7; reports, last year, versions 3
        html = client.get(url(world, "list")).content.decode()
    assert html.count("测试县第") == 12


def test_r6_on_the_list_compares_with_last_years_record_of_the_same_name(world):
    from gongkai.reports.external import external
    from gongkai.reports.filing import filing

    last = clean_report()
    last["year"] = 2024
    last["requests"]["carried_forward"] = dict(last["requests"]["carried_over"], natural=3, total=3)
    for report in (last, clean_report()):
        external.record_uploaded(actor=None, office=world.county_gov, report=report)
    current = AnnualReport.objects.get(year=2025)
    ((_report, result),) = [(r, res) for r, res in external.checked(world.county_gov, [current])]
    assert [v["rule"] for v in result.violations] == [v["rule"] for v in filing.check(current).violations]
    assert {v["rule"] for v in result.violations} == {"R6"}


def test_a_2019_report_is_typed_on_its_own_table_two(world, login):
    client = login(world.supervisor)
    html = client.get(url(world, "new"), {"format": "2019", "year": 2019}).content.decode()
    assert "其他对外管理服务事项" in html and "本年增/减" in html and "（六）其他处理" in html
    data = {"agency_name": TOWN, "year": "2019", "format": "2019", "c-active.licensing.change": "-2",
            "c-active.fees.change": "1.5"}
    response = client.post(url(world, "new"), data)
    assert response.status_code == 400 and "件数应为整数" in cell_html(response.content.decode(),
                                                                    "active.fees.change")
    data["c-active.fees.change"] = "0"
    assert client.post(url(world, "new"), data).status_code == 302
    stored = AnnualReport.objects.get()
    assert stored.data["format"] == "2019" and stored.data["active"]["licensing"]["change"] == -2
    assert stored.data["requests"]["other_processing"]["natural"] is None


def test_an_uploaded_outline_report_has_no_table_form(world, login):
    from gongkai.reports.external import external

    stored = external.record_uploaded(actor=None, office=world.county_gov,
                                      report={"agency": TOWN, "year": 2012, "format": "2008"})
    html = login(world.supervisor).get(url(world, "report", stored.pk)).content.decode()
    assert "没有表二至表四" in html and 'inputmode="decimal"' not in html
