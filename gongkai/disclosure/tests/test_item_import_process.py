"""The import as a process other writers share the database with: killed with SIGKILL it leaves no
lock, no temporary file and no half-written batch, and the same command continues where it stopped;
while it runs, other writes get their turn between its batches (issues 15 and 16)."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.audit.models import AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.models import ImportRun, Item, ItemVersion
from gongkai.disclosure.tests.conftest import item_data
from gongkai.disclosure.tests.test_item_files import row
from gongkai.search.index import search

pytestmark = [pytest.mark.django_db(transaction=True),  # the child process sees only committed rows
              pytest.mark.usefixtures("taxonomy")]

# The child imports with batches of 4 rows; ``hook`` is test code run inside it to make it stop
# at a known point (the import itself has no such switch).
CHILD = textwrap.dedent("""
    import sys, time
    import django
    django.setup()
    from pathlib import Path
    from gongkai.disclosure import item_import, services
    item_import.BATCH_ROWS = 4
    {hook}
    def progress(done, total):
        print("progress", done, total, flush=True)
    item_import.import_items(Path(sys.argv[1]), actor=None, progress=progress)
    print("finished", flush=True)
""")

# Hangs inside the transaction of the batch holding row 10, after its items were inserted.
HANG_IN_BATCH = textwrap.dedent("""
    build = services.new_version
    def new_version(item, actor, **kwargs):
        if item.title.endswith("#10"):
            print("inside", flush=True)
            time.sleep(600)
        return build(item, actor, **kwargs)
    services.new_version = new_version
""")

# Each batch takes a while to prepare (outside its transaction), so the import is still running
# when the other writer comes.
SLOW_BATCHES = textwrap.dedent("""
    prepare = item_import._BatchWriter.search_documents
    def search_documents(self, rows):
        time.sleep(0.3)
        return prepare(self, rows)
    item_import._BatchWriter.search_documents = search_documents
""")


def child_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (f"postgres://{quote(settings['USER'])}:{quote(settings['PASSWORD'])}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


def start_import(path, hook: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings_test", "DATABASE_URL": child_database_url()}
    return subprocess.Popen([sys.executable, "-c", CHILD.format(hook=hook), str(path)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_line(child: subprocess.Popen, prefix: str) -> str:
    for line in child.stdout:
        if line.startswith(prefix):
            return line
    raise AssertionError(f"the import ended without printing {prefix!r}: {child.stderr.read()[-3000:]}")


def numbered_file(desk, tmp_path, count=20):
    path = tmp_path / "legacy.jsonl"
    rows = [row(desk, title=f"清河县政务公开事项#{n}", body=f"第{n}号事项的正文。", document_number=f"清府〔2025〕{n}号")
            for n in range(1, count + 1)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def gongkai_temporary_files() -> set[str]:
    return {name for name in os.listdir(tempfile.gettempdir()) if "gongkai" in name}


def test_a_killed_import_leaves_no_lock_or_files_and_the_same_command_finishes_it(desk, tmp_path):
    path = numbered_file(desk, tmp_path)
    temporary_before = gongkai_temporary_files()
    child = start_import(path, HANG_IN_BATCH)
    wait_for_line(child, "inside")  # rows 9-12 inserted, not committed
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL

    # Another writer gets through: nothing the import started holds the write lock (a lock held by
    # a surviving helper would make this wait out SQLite's 30 s busy timeout and fail).
    started = time.monotonic()
    services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, title="导入中断后的新草稿"))
    assert time.monotonic() - started < 20
    assert gongkai_temporary_files() == temporary_before
    # The two committed batches are there, the third rolled back whole.
    assert sorted(Item.objects.exclude(title="导入中断后的新草稿").values_list("title", flat=True)) == sorted(
        f"清河县政务公开事项#{n}" for n in range(1, 9))
    assert ImportRun.objects.get().rows_done == 8

    call_command("import", "items", str(path))  # the same command again continues after row 8

    imported = list(Item.objects.exclude(title="导入中断后的新草稿").values_list("title", flat=True))
    assert sorted(imported) == sorted(f"清河县政务公开事项#{n}" for n in range(1, 21))  # none missing, none twice
    run = ImportRun.objects.get()
    assert (run.rows_done, run.rows_total, run.finished_at is not None) == (20, 20, True)
    assert ItemVersion.objects.filter(note="导入").count() == 20
    assert AuditEntry.objects.filter(object_type="disclosure.item", note="从legacy.jsonl导入").count() == 20
    assert search("政务公开事项").total == 20
    numbers = list(Item.objects.exclude(title="导入中断后的新草稿").values_list("index_number", flat=True))
    assert len(set(numbers)) == 20


def test_a_finished_import_is_not_repeated(desk, tmp_path):
    path = numbered_file(desk, tmp_path, count=3)
    call_command("import", "items", str(path))
    with pytest.raises(Exception, match="IMPORT_ALREADY_DONE"):
        call_command("import", "items", str(path))
    assert Item.objects.count() == 3


def test_another_writer_gets_through_between_batches_of_a_running_import(desk, tmp_path):
    path = numbered_file(desk, tmp_path, count=40)
    child = start_import(path, SLOW_BATCHES)
    try:
        wait_for_line(child, "progress 4 40")  # the first batch is committed, nine are to come
        item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                    data=item_data(desk.agency_a, title="导入期间登记的草稿"))
        still_importing = child.poll() is None  # the write did not wait for the whole import
        assert wait_for_line(child, "finished")
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert still_importing
    assert Item.objects.get(pk=item.pk).title == "导入期间登记的草稿"
    assert Item.objects.filter(title__startswith="清河县政务公开事项#").count() == 40
