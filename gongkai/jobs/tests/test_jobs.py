"""后台任务: the task list page and `gongkai tasks`, on report files built by the worker."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.applications import handling, letters
from gongkai.applications.letters import issuing
from gongkai.applications.tests.conftest import register
from gongkai.errors import ServiceError
from gongkai.jobs import progress, services
from gongkai.jobs.models import Job

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def start_build(client, world, fmt="xlsx"):
    return client.post(reverse("reports_staff:build", args=[world.agency_a.code, YEAR]), {"format": fmt})


def test_a_report_file_built_in_the_background_shows_its_progress_and_downloads_for_its_requester(world, login,
                                                                                                  run_tasks, monkeypatch):
    client = login(world.admin_a)
    response = start_build(client, world)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:list")
    page = client.get(reverse("jobs:list")).content.decode()
    assert "排队中" in page and f"{YEAR}年度报告（xlsx）" in page and 'http-equiv="refresh"' in page

    pages = []
    original = progress.Progress.at

    def watched(self, stage, done=0, total=None):
        original(self, stage, done, total)
        pages.append(client.get(reverse("jobs:list")).content.decode())  # the page while the worker runs it

    monkeypatch.setattr(progress.Progress, "at", watched)
    run_tasks()
    assert "进行中" in pages[1] and "生成文件：1 / 3（33%）" in pages[1] and 'value="33"' in pages[1]
    page = client.get(reverse("jobs:list")).content.decode()
    assert "已完成" in page and "下载文件" in page and 'http-equiv="refresh"' not in page
    job = Job.objects.get()
    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames
    assert login(world.drafter_a).get(reverse("jobs:file", args=[job.pk])).status_code == 404  # not theirs


def test_a_report_the_person_may_not_build_is_refused_before_it_is_queued(world, login):
    client = login(world.admin_b)
    response = client.post(reverse("reports_staff:build", args=[world.agency_a.code, YEAR]), {"format": "pdf"})
    assert response.status_code in (302, 403, 404) and not Job.objects.exists()


def test_the_command_line_lists_and_follows_tasks(world, run_tasks, capsys):
    call_command("report", "build", "--agency", world.agency_a.code, "--year", str(YEAR), "--format", "docx",
                 "--as", "admin_a", "--background")
    task_id = str(Job.objects.get().task_id)
    assert task_id in capsys.readouterr().out
    call_command("tasks")
    assert "排队中" in capsys.readouterr().out
    run_tasks()
    call_command("tasks", "show", task_id, "--follow")
    out = capsys.readouterr().out
    assert "已完成" in out and ".docx" in out and "文件：" in out
    call_command("tasks", "--json")
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["status"] == "SUCCESSFUL" and listed["requested_by"] == "admin_a" and listed["result"]["file"]
    with pytest.raises(CommandError, match="TASK_NOT_FOUND"):
        call_command("tasks", "show", "not-a-task")


def test_failed_system_tasks_show_in_the_queue_for_administrators_only(world, login, run_tasks, monkeypatch, capsys):
    def broken(letter):
        raise RuntimeError("font missing")

    monkeypatch.setattr(issuing, "render_pdf", broken)
    register(world, issue_receipt=True)  # its receipt's rendering fails
    run_tasks()
    page = login(world.sysadmin).get(reverse("jobs:list")).content.decode()
    assert "render_letter" in page and "font missing" in page and "失败" in page
    assert "render_letter" not in login(world.admin_a).get(reverse("jobs:list")).content.decode()
    call_command("tasks", "queue")
    assert "render_letter  失败  1" in capsys.readouterr().out
    assert letters.files_ready(handling.Application.objects.get().letters.get()) is False


def test_a_service_error_reads_as_its_chinese_message():
    try:
        raise ServiceError("AGENCY_NOT_FOUND", "找不到机构代码“X”，或您无权查看该机构。")
    except ServiceError as error:
        import traceback

        text = "".join(traceback.format_exception(error))
    assert services.error_text(text) == "找不到机构代码“X”，或您无权查看该机构。"
    assert services.error_text("Traceback...\nRuntimeError: font missing\n") == "font missing"
