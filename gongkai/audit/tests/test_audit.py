import pytest

from gongkai.audit.models import AuditEntry
from gongkai.audit.services import actor_label

pytestmark = pytest.mark.django_db


def test_audit_rows_cannot_be_changed_or_deleted(world):
    entry = AuditEntry.objects.first()
    entry.note = "篡改"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_actor_label_names_people_and_the_command_line(world):
    assert actor_label(None) == "cli"
    assert actor_label(world.admin_a) == "测试admin_a（admin_a）"


def test_rows_keep_the_actor_label_after_the_account_is_renamed(world):
    from gongkai.orgs import services

    services.unit_create(actor=world.admin_a, agency=world.agency_a, name="预算股")
    world.admin_a.first_name = "改名"
    world.admin_a.save()
    entry = AuditEntry.objects.filter(object_type="orgs.internalunit").latest("id")
    assert entry.actor_label == "测试admin_a（admin_a）" and entry.actor == world.admin_a


def test_bulk_update_and_delete_are_refused(world):
    count = AuditEntry.objects.count()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.filter(agency=world.agency_a).update(note="x")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == count
