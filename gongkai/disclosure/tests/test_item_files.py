"""Import is all-or-nothing with every problem reported; export round-trips what import reads."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from gongkai.audit.models import AuditEntry
from gongkai.disclosure.models import Item, Status
from gongkai.disclosure.tests.test_pii_gate import ID_NUMBER

pytestmark = pytest.mark.django_db


def row(desk, **overrides):
    data = {
        "agency_code": desk.agency_a.code, "index_number": "", "title": "清河县2025年部门预算公开说明",
        "document_number": "", "publisher": "", "written_on": "2025-02-10", "published_on": "2025-02-20",
        "catalogue": "yjs", "topic": "财政、金融、审计/财政", "genre": "通知", "keywords": "预算", "summary": "",
        "disclosure": "主动公开", "exemption_reason": "", "reassess_on": "", "validity": "有效", "validity_changed_on": "",
        "body": "正文。",
    }
    data.update(overrides)
    return data


def write_csv(tmp_path, rows):
    path = tmp_path / "items.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_import_publishes_items_and_keeps_legacy_index_numbers(desk, tmp_path, capsys):
    path = write_csv(tmp_path, [row(desk, index_number="LEGACY/2025-00077"), row(desk, title="第二条", document_number="清财〔2025〕2号")])
    call_command("import", "items", str(path), "--as", "admin_a")
    assert "已导入 2 条" in capsys.readouterr().out
    items = Item.objects.order_by("id")
    assert [i.index_number for i in items] == ["LEGACY/2025-00077", f"{desk.agency_a.code}/2025-00001"]
    assert all(i.status == Status.PUBLISHED and i.is_public for i in items)
    assert AuditEntry.objects.filter(object_type="disclosure.item", action="create").count() == 2


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(desk, tmp_path, capsys):
    rows = [
        row(desk),
        row(desk, agency_code="NOSUCH001"),
        row(desk, written_on="2025-13-01"),
        row(desk, genre="诗歌", catalogue="nope"),
        row(desk, title="<script>alert(1)</script>"),
        row(desk, body=f"身份证号{ID_NUMBER}"),
        row(desk, document_number="清财〔2025〕9号"),
        row(desk, document_number="清财〔2025〕9号"),
    ]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError, match="IMPORT_REFUSED"):
        call_command("import", "items", str(path), "--json")
    problems = json.loads(capsys.readouterr().out)["problems"]
    found = {(p["row"], p["field"]) for p in problems}
    assert {(2, "agency_code"), (3, "written_on"), (4, "genre"), (4, "catalogue"), (5, "title"), (6, "body"),
            (8, "document_number")} <= found
    assert Item.objects.count() == 0


def test_import_respects_the_acting_users_agencies(desk, tmp_path, capsys):
    path = write_csv(tmp_path, [row(desk, agency_code=desk.agency_b.code)])
    with pytest.raises(CommandError):
        call_command("import", "items", str(path), "--as", "admin_a", "--json")
    assert json.loads(capsys.readouterr().out)["problems"][0]["field"] == "agency_code"


def test_xlsx_and_jsonl_imports(desk, tmp_path):
    book = Workbook()
    sheet = book.active
    data = row(desk, title="表格导入")
    sheet.append(list(data))
    sheet.append(list(data.values()))
    xlsx = tmp_path / "items.xlsx"
    book.save(xlsx)
    call_command("import", "items", str(xlsx))
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text(json.dumps(row(desk, title="JSON导入"), ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import", "items", str(jsonl))
    assert set(Item.objects.values_list("title", flat=True)) == {"表格导入", "JSON导入"}


def test_export_then_import_round_trips(desk, tmp_path):
    call_command("import", "items", str(write_csv(tmp_path, [row(desk, title="往返一"), row(desk, title="往返二")])))
    out = tmp_path / "out.jsonl"
    call_command("export", "items", "--format", "jsonl", "--output", str(out))
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [e["title"] for e in exported] == ["往返一", "往返二"]
    Item.objects.all().delete()
    reimport = tmp_path / "again.jsonl"
    keep = ("agency_code", "index_number", "title", "document_number", "publisher", "written_on", "published_on",
            "catalogue", "topic", "genre", "keywords", "summary", "disclosure", "exemption_reason", "reassess_on",
            "validity", "validity_changed_on", "body")
    reimport.write_text("\n".join(json.dumps({k: e[k] for k in keep}, ensure_ascii=False) for e in exported), encoding="utf-8")
    call_command("import", "items", str(reimport))
    assert sorted(Item.objects.values_list("index_number", flat=True)) == sorted(e["index_number"] for e in exported)


def test_export_formats_and_agency_scope(desk, tmp_path):
    call_command("import", "items", str(write_csv(tmp_path, [row(desk)])))
    csv_out, xlsx_out = tmp_path / "o.csv", tmp_path / "o.xlsx"
    call_command("export", "items", "--agency", desk.agency_a.code, "--format", "csv", "--output", str(csv_out))
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[0]["title"] == "清河县2025年部门预算公开说明" and rows[0]["status"] == "published"
    call_command("export", "items", "--format", "xlsx", "--output", str(xlsx_out))
    assert load_workbook(xlsx_out).active.cell(2, 3).value == "清河县2025年部门预算公开说明"
    with pytest.raises(CommandError, match="AGENCY_NOT_FOUND"):
        call_command("export", "items", "--agency", desk.agency_a.code, "--format", "csv", "--as", "drafter_b")


def test_unknown_file_type_is_refused(desk, tmp_path):
    path = tmp_path / "items.txt"
    path.write_text("x")
    with pytest.raises(CommandError, match="IMPORT_FORMAT_UNKNOWN"):
        call_command("import", "items", str(path))


def test_reindex_rebuilds_the_search_index_from_published_items(desk, tmp_path, capsys):
    from gongkai.search.index import remove_documents, search

    call_command("import", "items", str(write_csv(tmp_path, [row(desk, title="重建索引测试")])))
    remove_documents([f"item:{Item.objects.get().pk}"])
    assert search("重建索引").total == 0
    capsys.readouterr()
    call_command("reindex", "--json")
    assert json.loads(capsys.readouterr().out)["indexed"] == 1
    assert search("重建索引").total == 1
