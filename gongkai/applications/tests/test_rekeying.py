"""Identity papers encrypted at rest, and ``gongkai keys rotate`` moving everything to a new key."""

import json
import os

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

from gongkai.applications import intake
from gongkai.applications.models import Application, ApplicationFile
from gongkai.applications.tests.conftest import applicant
from gongkai.audit import integrity
from gongkai.audit.models import AuditEntry
from gongkai.fieldcrypt import clear_key_cache, current_key_id

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4\n% identity card scan of 11010519491231002X\n"


@pytest.fixture
def key_a(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_FIELD_KEY, settings.GONGKAI_FIELD_KEYS_OLD = Fernet.generate_key().decode(), ""
    clear_key_cache()
    yield settings.GONGKAI_FIELD_KEY
    clear_key_cache()


def _with_identity_file(world):
    application, _ = intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(), channel="in_person",
                                     received_on=intake.REGULATION_IN_FORCE.replace(year=2026), files=[("id.pdf", SCAN)],
                                     issue_receipt=False)
    return application, ApplicationFile.objects.get(application=application)


def test_identity_papers_are_sealed_on_disk_and_served_in_the_clear(world, login, key_a):
    application, stored = _with_identity_file(world)
    on_disk = open(stored.file.path, "rb").read()
    assert on_disk.startswith(b"GKE3") and b"11010519491231002X" not in on_disk
    assert os.stat(stored.file.path).st_mode & 0o777 == 0o600
    response = login(world.admin_a).get(reverse("applications_staff:file", args=[world.agency_a.code, application.pk, stored.pk]))
    assert b"".join(response.streaming_content) == SCAN


def test_keys_rotate_rewrites_values_and_files_under_the_new_key(world, settings, key_a, capsys):
    application, stored = _with_identity_file(world)
    old_id = current_key_id()
    settings.GONGKAI_FIELD_KEY, settings.GONGKAI_FIELD_KEYS_OLD = Fernet.generate_key().decode(), key_a
    call_command("keys", "rotate", "--json")
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["key_id"] != old_id and outcome["files"] == 1
    assert outcome["values"]["applications.application.id_number"] == 1
    settings.GONGKAI_FIELD_KEYS_OLD = ""  # the old key is gone: everything must read under the new one alone
    again = Application.objects.get(pk=application.pk)
    assert again.id_number == applicant()["id_number"] and again.phone == applicant()["phone"]
    assert ApplicationFile.objects.get(pk=stored.pk).file.open().read() == SCAN
    call_command("keys", "rotate", "--dry-run", "--json")
    assert json.loads(capsys.readouterr().out)["left"] == 0
    assert AuditEntry.objects.filter(object_type="fieldcrypt.keys").count() == 1
    assert integrity.verify().broken is None


def test_files_stored_before_encryption_are_read_and_then_sealed(world, settings, key_a, capsys):
    _application, stored = _with_identity_file(world)
    with open(stored.file.path, "wb") as handle:  # as written before this change: plain
        handle.write(SCAN)
    assert ApplicationFile.objects.get(pk=stored.pk).file.open().read() == SCAN
    call_command("keys", "rotate", "--json")
    assert json.loads(capsys.readouterr().out)["files"] == 1
    assert open(stored.file.path, "rb").read().startswith(b"GKE3")


def test_data_files_are_owner_only_whatever_the_umask(world, key_a, settings, tmp_path, monkeypatch):
    from gongkai.datadir import data_dir

    previous = os.umask(0o022)
    try:
        monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "fresh"))
        made = data_dir()
        (made / "probe").write_text("x")  # as SQLite or the cache would create a file
        assert made.stat().st_mode & 0o777 == 0o700 and (made / "probe").stat().st_mode & 0o777 == 0o600
        os.umask(0o022)
        _application, stored = _with_identity_file(world)
        assert os.stat(stored.file.path).st_mode & 0o777 == 0o600
        assert os.stat(os.path.dirname(stored.file.path)).st_mode & 0o777 == 0o700
    finally:
        os.umask(previous)


def test_the_default_mail_file_backend_keeps_messages_encrypted(key_a, tmp_path, capsys):
    from django.core.mail import EmailMessage

    from gongkai.mailfile import EncryptedFileEmailBackend

    backend = EncryptedFileEmailBackend(file_path=str(tmp_path / "outbox"))
    backend.send_messages([EmailMessage("查询码", "查询密码：M7CWH2YN", "a@b.cn", ["zxm@example.cn"])])
    (written,) = (tmp_path / "outbox").iterdir()
    assert "zxm@example.cn" not in written.read_text() and written.read_bytes().count(b"-" * 79) == 1
    call_command("keys", "read-mail", str(written))
    assert "To: zxm@example.cn" in capsys.readouterr().out


def _rendered_receipt(world, run_tasks):
    from gongkai.applications.models import Letter

    application, _secret = intake.submit_online(agency=world.agency_a, data={**applicant(), "provision_form": "paper"})
    run_tasks()
    return application, Letter.objects.get(application=application)


def test_issued_letters_are_sealed_on_disk_and_downloaded_in_the_clear(world, login, key_a, run_tasks):
    application, receipt = _rendered_receipt(world, run_tasks)
    for stored in (receipt.pdf, receipt.docx):
        on_disk = open(stored.path, "rb").read()
        assert on_disk.startswith(b"GKE3") and not on_disk.startswith((b"%PDF", b"PK"))
        assert os.stat(stored.path).st_mode & 0o777 == 0o600
    client = login(world.admin_a)
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK\x03\x04")):
        url = reverse("applications_staff:letter", args=[world.agency_a.code, application.pk, receipt.pk, fmt])
        response = client.get(url)
        body = b"".join(response.streaming_content)
        assert response.status_code == 200 and body.startswith(magic)
        assert int(response["Content-Length"]) == len(body)


def test_letters_written_before_encryption_are_read_and_then_sealed(world, key_a, run_tasks, capsys):
    _application, receipt = _rendered_receipt(world, run_tasks)
    plain = receipt.pdf.open("rb").read()
    with open(receipt.pdf.path, "wb") as handle:  # as the render task wrote it before this change
        handle.write(plain)
    assert receipt.pdf.storage.open(receipt.pdf.name).read() == plain
    call_command("keys", "rotate", "--json")
    assert json.loads(capsys.readouterr().out)["files"] == 1
    assert open(receipt.pdf.path, "rb").read().startswith(b"GKE3")
    assert receipt.pdf.storage.open(receipt.pdf.name).read() == plain
