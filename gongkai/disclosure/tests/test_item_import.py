"""The import: checked whole, then written in committed batches with the services' rows, 索引号
counters, audit rows and the search index."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEntry
from gongkai.disclosure import item_import, services
from gongkai.disclosure.models import IndexSequence, Item, ItemVersion, Status
from gongkai.disclosure.tests.test_item_files import row
from gongkai.search.index import search
from gongkai.search.normalise import normalise

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(monkeypatch):
    """Batches of 3 rows, so a few rows make several batches."""
    monkeypatch.setattr(item_import, "BATCH_ROWS", 3)


def write_jsonl(tmp_path, rows):
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def titles(count):
    return [f"第{n}号通知关于政务公开工作" for n in range(count)]


def test_every_row_becomes_an_item_with_version_audit_row_index_number_and_search_entry(desk, tmp_path, pipeline):
    rows = [row(desk, title=t, body=f"正文{n}：推进基层政务公开标准化。", document_number=f"清财〔2025〕{n}号")
            for n, t in enumerate(titles(8))]
    rows.append(row(desk, title="不予公开的内部事项", disclosure="不予公开", exemption_reason="X16-1",
                    reassess_on="2027-01-01"))
    call_command("import", "items", str(write_jsonl(tmp_path, rows)))
    items = list(Item.objects.order_by("id"))
    assert [i.title for i in items] == [*titles(8), "不予公开的内部事项"]
    code = desk.agency_a.code
    assert [i.index_number for i in items] == [f"{code}/2025-{n:05d}" for n in range(1, 10)]
    assert IndexSequence.objects.get(agency=desk.agency_a, year=2025).last_serial == 9
    assert items[-1].status == Status.REGISTERED and all(i.status == Status.PUBLISHED for i in items[:-1])
    assert all(i.public_body.startswith("<p>") and i.body == i.public_body for i in items)
    assert ItemVersion.objects.filter(number=1, note="导入").count() == 9
    audit = AuditEntry.objects.filter(object_type="disclosure.item", action="create").order_by("id")
    assert [int(a.object_id) for a in audit] == [i.pk for i in items]
    # The same picture the desk's services record (services._picture): every audited field and the
    # bodies' fingerprints, not a thinner import-only row.
    first = audit[0].after
    assert set(first) == {*services.AUDITED_FIELDS, "body_sha256", "public_body_sha256", "attachments"}
    assert (first["index_number"], first["title"], first["status"], first["version"]) == (
        f"{code}/2025-00001", titles(8)[0], "published", 1)
    assert first["body_sha256"] == hashlib.sha256(items[0].body.encode()).hexdigest()[:16]
    assert first["catalogue_node"] == items[0].catalogue_node_id and first["attachments"] == []
    version = ItemVersion.objects.get(item=items[0])
    assert version.public_body == items[0].public_body and version.metadata["index_number"] == first["index_number"]
    assert all(a.actor_label == "cli" and a.note == "从items.jsonl导入" and a.at for a in audit)
    found = search("政务公开", per_page=100)
    assert found.total == 8  # the registered item is not on the portal
    assert {h.key for h in found.hits} == {f"item:{i.pk}" for i in items[:-1]}
    assert found.hits[0].url == f"/agencies/{code}/items/{found.hits[0].key.split(':')[1]}/"
    assert search("正文7").total == 1 and search("清财〔2025〕3号").total == 1


def test_problems_in_several_batches_are_all_listed_and_nothing_is_written(desk, tmp_path, pipeline, capsys):
    before = Item.objects.count()
    rows = [row(desk, title=t) for t in titles(10)]
    rows[1]["genre"] = "诗歌"
    rows[5]["document_number"] = rows[8]["document_number"] = "清财〔2025〕9号"
    rows[9]["written_on"] = "2025-13-01"
    with pytest.raises(CommandError, match="IMPORT_REFUSED"):
        call_command("import", "items", str(write_jsonl(tmp_path, rows)), "--json")
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [(2, "genre"), (9, "document_number"), (10, "written_on")]
    assert problems[1]["message"] == "与第6行的文号重复"  # rows of different batches (and helpers)
    assert Item.objects.count() == before
    assert not AuditEntry.objects.filter(object_type="disclosure.item").exists()
    assert search("政务公开").total == 0
    assert not IndexSequence.objects.filter(last_serial__gt=0).exists()


def test_numbers_already_used_by_existing_items_are_problems_of_their_rows(desk, tmp_path, pipeline, capsys):
    call_command("import", "items", str(write_jsonl(tmp_path, [
        row(desk, title="旧一", document_number="清财〔2025〕1号", index_number="OLD-1"),
    ])))
    capsys.readouterr()
    rows = [row(desk, title=t) for t in titles(7)]
    rows[4].update(document_number="清财〔2025〕1号")
    rows[6].update(index_number="OLD-1")
    with pytest.raises(CommandError):
        call_command("import", "items", str(write_jsonl(tmp_path, rows)), "--json")
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [(5, "document_number"), (7, "index_number")]
    assert problems[0]["message"] == "本机构已有文号为“清财〔2025〕1号”的信息。"
    assert Item.objects.count() == 1


def test_legacy_numbers_in_the_platform_layout_move_the_counter_past_them(desk, tmp_path, pipeline):
    code = desk.agency_a.code
    rows = [row(desk, title=t) for t in titles(6)]
    rows[0]["index_number"] = f"{code}/2025-00004"
    rows[5]["index_number"] = "LEGACY-7"
    call_command("import", "items", str(write_jsonl(tmp_path, rows)))
    numbers = list(Item.objects.order_by("id").values_list("index_number", flat=True))
    assert numbers == [f"{code}/2025-00004", *(f"{code}/2025-{n:05d}" for n in range(5, 9)), "LEGACY-7"]
    assert IndexSequence.objects.get(agency=desk.agency_a, year=2025).last_serial == 8


def test_a_legacy_number_later_in_the_file_is_never_given_to_an_earlier_row(desk, tmp_path, pipeline):
    code = desk.agency_a.code
    rows = [row(desk, title=t) for t in titles(6)]
    rows[4]["index_number"] = f"{code}/2025-00002"  # the platform's own layout, after rows that need numbers
    call_command("import", "items", str(write_jsonl(tmp_path, rows)))
    numbers = list(Item.objects.order_by("id").values_list("index_number", flat=True))
    assert numbers == [*(f"{code}/2025-{n:05d}" for n in range(3, 7)), f"{code}/2025-00002", f"{code}/2025-00007"]


def test_search_finds_exactly_the_imported_items_containing_any_substring(desk, tmp_path, pipeline):
    bodies = ["政务公开工作要点", "公开工作，ＡＢＣ２０２６", "开工作方案 第二段", "信息公开指南", "工作"]
    rows = [row(desk, title=f"标题{n}", body=body) for n, body in enumerate(bodies)]
    call_command("import", "items", str(write_jsonl(tmp_path, rows)))
    for query in ["开工作", "工作", "公", "abc2026", "ＡＢＣ", "作方", "二段", "标题3", "不存在"]:
        expected = {f"标题{n}" for n, body in enumerate(bodies) if normalise(query) in normalise(body)
                    or normalise(query) in normalise(f"标题{n}")}
        assert {h.title for h in search(query, per_page=100).hits} == expected, query


def test_a_file_without_rows_is_refused(desk, tmp_path, pipeline, capsys):
    with pytest.raises(CommandError):
        call_command("import", "items", str(write_jsonl(tmp_path, [])), "--json")
    assert json.loads(capsys.readouterr().out)["problems"] == [{"row": 0, "field": "", "message": "文件中没有数据行"}]


def test_a_repeated_index_number_names_the_first_row_using_it(desk, tmp_path, pipeline, capsys):
    rows = [row(desk, title=t) for t in titles(8)]
    rows[1]["index_number"] = rows[4]["index_number"] = rows[7]["index_number"] = "LEGACY-1"
    with pytest.raises(CommandError):
        call_command("import", "items", str(write_jsonl(tmp_path, rows)), "--json")
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["row"], p["field"], p["message"]) for p in problems] == [
        (5, "index_number", "与第2行的索引号重复"), (8, "index_number", "与第2行的索引号重复")]
    assert Item.objects.count() == 0


def test_invalid_json_stops_the_import_with_its_line(desk, tmp_path, pipeline, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row(desk), ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "items", str(path), "--json")
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["row"], p["field"]) for p in problems] == [(2, "")]
    assert Item.objects.count() == 0




def test_progress_reports_rows_checked_then_rows_imported_of_the_total(desk, tmp_path, pipeline):
    calls = []
    rows = [row(desk, title=t) for t in titles(7)]
    created = item_import.import_items(write_jsonl(tmp_path, rows), actor=None,
                                       progress=lambda done, total: calls.append((done, total)))
    assert created == 7
    # Checking: rows read so far, total unknown; writing: rows committed of the file's 7.
    assert calls == [(3, None), (6, None), (7, None), (3, 7), (6, 7), (7, 7)]


def test_the_command_line_shows_progress_with_the_total(desk, tmp_path, pipeline, capsys):
    call_command("import", "items", str(write_jsonl(tmp_path, [row(desk, title=t) for t in titles(4)])))
    err = capsys.readouterr().err
    # The checking stage counts rows without a total; the writing stage shows rows of the file's total.
    assert "检查文件：已处理 3" in err and "写入数据库：3 / 4（75%）" in err and "写入数据库：4 / 4（100%）" in err
