"""信息导入 on the staff desk: the encodings Excel and WPS write on a Chinese Windows, the preview
(nothing written before the confirmation), the import as a background task."""

import codecs
import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from gongkai.disclosure.item_files import csv_encoding, read_rows
from gongkai.disclosure.models import Item
from gongkai.disclosure.tests.test_item_files import row
from gongkai.jobs.models import Job

pytestmark = pytest.mark.django_db

# 𠀀 (U+20000) and 䶮 (U+4DAE, the surname of 刘䶮) are outside GBK but in GB18030 (four bytes).
OUTSIDE_GBK = "关于𠀀䶮同志任职的通知"


@pytest.fixture(autouse=True)
def upload_root(monkeypatch, tmp_path):
    """Uploads kept in the test's own directory, not the session's data directory."""
    from gongkai.disclosure import item_upload

    monkeypatch.setattr(item_upload, "upload_root", lambda: tmp_path / "imports")


def csv_bytes(rows, encoding, header=None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # what Excel writes
    writer.writerow(header or list(rows[0]))
    writer.writerows([list(r.values()) for r in rows])
    return out.getvalue().encode(encoding)


def test_outside_gbk_really_needs_gb18030():
    with pytest.raises(UnicodeEncodeError):
        OUTSIDE_GBK.encode("gbk")
    assert len("𠀀".encode("gb18030")) == 4


@pytest.mark.parametrize(("encoding", "detected"), [
    ("gbk", "gbk"), ("gb18030", "gb18030"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")])
def test_csv_in_each_encoding_reads_the_same_rows(desk, tmp_path, encoding, detected):
    title = "清河县2025年部门预算公开说明" if encoding == "gbk" else OUTSIDE_GBK
    path = tmp_path / "items.csv"
    path.write_bytes(csv_bytes([row(desk, title=title)], encoding))
    if encoding == "gbk":
        assert path.read_bytes().decode("gbk")  # real GBK bytes, not UTF-8
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    assert csv_encoding(path) == detected
    assert [r["title"] for r in read_rows(path)] == [title]


def test_gbk_csv_from_the_command_line_imports(desk, tmp_path, capsys):
    path = tmp_path / "excel.csv"
    path.write_bytes(csv_bytes([row(desk), row(desk, title="第二条", document_number="清财〔2025〕2号")], "gbk"))
    call_command("import", "items", str(path))
    assert "已导入 2 条" in capsys.readouterr().out
    assert set(Item.objects.values_list("title", flat=True)) == {"清河县2025年部门预算公开说明", "第二条"}


def test_a_file_in_another_encoding_is_refused_with_its_line(desk, tmp_path):
    path = tmp_path / "big5.csv"
    # Valid UTF-8 header, then a line of UTF-16: neither UTF-8 nor GB18030.
    path.write_bytes(b"agency_code,title\r\n" + "甲,乙".encode("utf-16-le") + b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="IMPORT_ENCODING_UNKNOWN.*第2行"):
        call_command("import", "items", str(path))


def test_excel_spellings_chinese_headers_and_empty_rows(desk, tmp_path):
    """A sheet kept by hand: Chinese column names, dates as Excel writes them into CSV on a Chinese
    Windows (2025/2/10), a trailing row that only had formatting (",,,,")."""
    data = row(desk, written_on="2025/2/10", published_on="2025年2月20日")
    header = ["机构代码", "索引号", "标题", "文号", "发布机构", "成文日期", "发布日期", "目录分类", "主题分类", "体裁",
              "关键词", "内容概述", "公开属性", "不公开理由", "复审日期", "有效性", "失效/废止日期", "正文"]
    path = tmp_path / "手工台账.csv"
    path.write_bytes(csv_bytes([data], "gbk", header=header) + b",,,,,\r\n")
    rows = list(read_rows(path))
    assert len(rows) == 1 and rows[0]["agency_code"] == desk.agency_a.code
    call_command("import", "items", str(path))
    item = Item.objects.get()
    assert (item.written_on.isoformat(), item.published_on.isoformat()) == ("2025-02-10", "2025-02-20")


def test_xlsx_with_a_wrong_used_range_is_read_whole(desk, tmp_path):
    """WPS and some exporters store <dimension ref="A1"/>; openpyxl's read-only mode trusted it."""
    import zipfile

    book = Workbook()
    sheet = book.active
    data = row(desk, title="WPS表格导入")
    sheet.append(list(data))
    sheet.append(list(data.values()))
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    wps = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(wps, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:R2"/>' in content
                content = content.replace(b'<dimension ref="A1:R2"/>', b'<dimension ref="A1"/>')
            target.writestr(info, content)
    assert [r["title"] for r in read_rows(wps)] == ["WPS表格导入"]


# --- the pages --------------------------------------------------------------------------------

def upload(client, desk, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("disclosure_staff:import_upload", args=[desk.agency_a.code])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_confirm_runs_the_import_as_a_task(desk, client, login, run_tasks):
    login(desk.admin_a)
    content = csv_bytes([row(desk, title=OUTSIDE_GBK), row(desk, title="第二条", document_number="清财〔2025〕2号")],
                        "gb18030")
    response = upload(client, desk, "台账.csv", content)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "GB18030" in page and "检查通过：2 行均可导入" in page
    assert OUTSIDE_GBK in page  # the first rows, decoded
    assert "机构代码" in page and "确认导入 2 条" in page
    assert Item.objects.count() == 0  # nothing written by the upload and the preview
    confirm = client.post(response["Location"] + "confirm/")
    assert confirm["Location"] == reverse("jobs:list")
    job = Job.objects.get()
    assert job.kind == Job.Kind.IMPORT and job.requested_by == desk.admin_a
    assert run_tasks() == 1
    assert set(Item.objects.values_list("title", flat=True)) == {OUTSIDE_GBK, "第二条"}
    tasks_page = client.get(reverse("jobs:list")).content.decode()
    assert "已导入 2 条信息" in tasks_page


def test_preview_lists_every_problem_with_rows_and_writes_nothing(desk, client, login):
    login(desk.admin_a)
    content = csv_bytes([row(desk), row(desk, written_on="2025-13-01"), row(desk, genre="诗歌"),
                         row(desk, body="联系电话13912345678")], "gbk")
    preview = client.get(upload(client, desk, "有错.csv", content)["Location"]).content.decode()
    assert "检查发现3处问题" in preview
    assert "第2行" in preview and "表格第3行" in preview and "成文日期" in preview
    assert "找不到体裁“诗歌”" in preview and "表格第4行" in preview
    assert "含疑似个人信息（手机号码）" in preview
    assert "确认导入" not in preview and "<title>错误：" in preview
    assert Item.objects.count() == 0


def test_preview_refuses_a_file_already_imported(desk, client, login, tmp_path):
    login(desk.admin_a)
    content = csv_bytes([row(desk)], "utf-8-sig")
    path = tmp_path / "done.csv"
    path.write_bytes(content)
    call_command("import", "items", str(path))
    preview = client.get(upload(client, desk, "again.csv", content)["Location"]).content.decode()
    assert "不再重复导入" in preview and "确认导入" not in preview


def test_upload_refuses_other_formats_with_a_chinese_message(desk, client, login):
    login(desk.admin_a)
    response = upload(client, desk, "old.xls", b"\xd0\xcf\x11\xe0")
    assert response.status_code == 200
    assert "另存为 .xlsx" in response.content.decode()


def test_a_drafter_cannot_import_and_nobody_sees_anothers_upload(desk, client, login):
    login(desk.drafter_a)
    url = reverse("disclosure_staff:import_upload", args=[desk.agency_a.code])
    assert client.get(url).status_code == 403
    login(desk.admin_a)
    location = upload(client, desk, "a.csv", csv_bytes([row(desk)], "utf-8"))["Location"]
    client.logout()
    other = desk.person("admin_a2", desk.agency_a, "office_admin")
    login(other)
    assert client.get(location).status_code == 404
    assert client.post(location + "confirm/").status_code == 404
    assert Job.objects.count() == 0


def test_utf8_bom_constant_is_what_excel_writes():
    assert codecs.BOM_UTF8 == "\ufeff".encode()


@pytest.mark.parametrize(("name", "content"), [
    ("renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),  # an .xls (OLE2) renamed
    ("huge-cell.csv", b"agency_code,body\r\nA,\"" + b"x" * (8 * 1024 * 1024 + 1) + b"\"\r\n"),
])
def test_an_unreadable_file_is_refused_in_the_preview_with_a_message(desk, client, login, name, content):
    login(desk.admin_a)
    preview = client.get(upload(client, desk, name, content)["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "不能导入该文件" in page and "另存为" in page and "确认导入" not in page


def test_a_body_longer_than_the_csv_modules_default_limit_is_read(desk, tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(csv_bytes([row(desk, body="第一条" * 50_000)], "gbk"))  # 150,000 characters
    assert len(next(read_rows(path))["body"]) == 150_000


def test_an_unreadable_file_stops_the_command_with_its_code(desk, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(CommandError, match="IMPORT_FILE_UNREADABLE"):
        call_command("import", "items", str(path))
