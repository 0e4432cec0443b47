"""Imports and the reindex as background tasks: queued by the command, run by the worker, their
outcome and progress in the task list."""

import pytest
from django.core.management import call_command

from gongkai.disclosure.models import Item
from gongkai.disclosure.tests.test_item_files import row, write_csv
from gongkai.jobs import services as jobs
from gongkai.jobs.models import Job
from gongkai.search.index import search

pytestmark = pytest.mark.django_db


def test_a_background_import_is_queued_then_imported_by_the_worker(desk, tmp_path, capsys, run_tasks):
    path = write_csv(tmp_path, [row(desk), row(desk, title="第二条信息")])
    call_command("import", "items", str(path), "--as", "admin_a", "--background")
    assert "已交给后台进程" in capsys.readouterr().out and not Item.objects.exists()
    (state,) = jobs.recent_for(desk.admin_a)
    assert state.status == "READY" and state.job.kind == Job.Kind.IMPORT and state.job.label == "导入 items.csv"
    run_tasks()
    (state,) = jobs.recent_for(desk.admin_a)
    assert state.status == "SUCCESSFUL" and state.return_value["imported"] == 2 and state.summary == "已导入 2 条信息。"
    assert Item.objects.count() == 2 and set(Item.objects.values_list("created_by__username", flat=True)) == {"admin_a"}


def test_a_refused_background_import_reports_its_problems_and_imports_nothing(desk, tmp_path, run_tasks):
    path = write_csv(tmp_path, [row(desk), row(desk, written_on="2025-13-01")])
    call_command("import", "items", str(path), "--as", "admin_a", "--background")
    run_tasks()
    (state,) = jobs.recent_for(desk.admin_a)
    assert state.summary == "发现1处问题，未导入任何数据。" and state.return_value["problems"][0]["row"] == 2
    assert not Item.objects.exists()


def test_the_reindex_task_rebuilds_the_index_and_reports_progress_as_it_goes(desk, tmp_path, run_tasks, monkeypatch):
    call_command("import", "items", str(write_csv(tmp_path, [row(desk, title=f"预算公开说明第{n}号") for n in range(3)])))
    call_command("reindex", "--background")
    seen = []
    original = jobs.progress.Progress.__call__

    def watched(self, done, total=None):
        original(self, done, total)
        (state,) = jobs.describe(Job.objects.all())  # as the task list reads it while the task runs
        seen.append((state.status, state.progress_text))

    monkeypatch.setattr(jobs.progress.Progress, "__call__", watched)
    monkeypatch.setattr(jobs.progress, "MIN_INTERVAL_SECONDS", 0)
    run_tasks()
    assert ("RUNNING", "重建检索索引：0 / 3（0%）") in seen and seen[-1] == ("RUNNING", "重建检索索引：3 / 3（100%）")
    (state,) = jobs.describe(Job.objects.all())
    assert state.status == "SUCCESSFUL" and state.summary == "已重建检索索引：3 条信息。" and state.job.requested_by is None
    assert search("预算公开说明").total == 3


def test_the_foreground_reindex_prints_its_progress(desk, tmp_path, capsys):
    call_command("import", "items", str(write_csv(tmp_path, [row(desk)])))
    capsys.readouterr()
    call_command("reindex")
    captured = capsys.readouterr()
    assert "重建检索索引：1 / 1（100%）" in captured.err and "已重建检索索引：1 条信息。" in captured.out
