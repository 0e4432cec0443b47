"""rows.insert writes the same row as Model.objects.create: encrypted fields, defaults, JSON, keys."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from gongkai.applications import intake, rows
from gongkai.applications.models import Application, Letter
from gongkai.applications.tests.conftest import applicant
from gongkai.audit.models import Action, AuditEntry
from gongkai.audit.services import entry, record, snapshot
from gongkai.fieldcrypt import EncryptedTextField, decrypt

pytestmark = pytest.mark.django_db


def stored(model, pk, exclude=("id", "tracking_code", "secret_hash", "submission_key")):
    row = model_to_dict(model.objects.get(pk=pk))
    return {k: v for k, v in row.items() if k not in exclude}


def test_an_inserted_application_reads_back_like_a_created_one(world):
    data = applicant()
    fields = {f: data[f] for f in intake.APPLICANT_FIELDS} | {"agency": world.agency_a, "channel": "online",
                                                             "received_on": "2026-03-02"}
    by_orm = Application.objects.create(tracking_code="ORM2345678", secret_hash="h", **fields)
    by_rows = rows.insert(Application(tracking_code="ROW2345678", secret_hash="h", **fields))
    assert by_rows.pk and not by_rows._state.adding
    assert stored(Application, by_rows.pk) == stored(Application, by_orm.pk)
    with connection.cursor() as cursor:  # encrypted by the field itself
        cursor.execute("SELECT id_number, phone FROM applications_application WHERE id = %s", [by_rows.pk])
        assert data["id_number"] not in cursor.fetchone()[0]
    both = Application.objects.filter(pk__in=[by_orm.pk, by_rows.pk])
    assert all(a.created_at and a.updated_at for a in both)


def test_the_submission_audit_row_is_the_row_audit_record_writes(world):
    application, _secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="r1")
    written = AuditEntry.objects.get(object_type="applications.application", object_id=str(application.pk))
    recorded = record(actor=None, label=intake.APPLICANT_LABEL, action=Action.CREATE, obj=application,
                      agency=world.agency_a, after=snapshot(application, intake.PUBLIC_SNAPSHOT))
    assert stored(AuditEntry, written.pk, exclude=("id", "at")) == stored(AuditEntry, recorded.pk, exclude=("id", "at"))
    assert written.after["tracking_code"] == application.tracking_code and written.at


def test_audit_entry_builds_what_record_saves(world):
    made = entry(actor=world.admin_a, action=Action.EDIT, obj=world.agency_a, note="x" * 600)
    assert made.pk is None and made.actor_label == "测试admin_a（admin_a）" and len(made.note) == 500


def test_the_receipt_row_is_complete(world):
    application, _secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="r2")
    receipt = Letter.objects.get(application=application)
    assert "〔" in receipt.number and receipt.number.endswith("〕1号") and receipt.created_at
    assert receipt.docx.name == "" and receipt.pdf.name == "" and application.tracking_code in receipt.body


def test_select_builds_instances_like_the_orm_with_the_office_in_the_same_query(world, django_assert_num_queries):
    from django.core.exceptions import ObjectDoesNotExist

    from gongkai.orgs.models import Agency

    with django_assert_num_queries(1):
        (with_office,) = rows.select(Agency, "orgs_agency.code = %s", [world.agency_a.code], with_one="office")
        assert with_office == world.agency_a and with_office.office.phone == "0999-1000001"
    assert with_office.created_at == Agency.objects.get(pk=world.agency_a.pk).created_at
    bare = Agency.objects.create(name="无办公室机关", code="NOOFFICE1", kind="department", area=world.county, path="/x/")
    (found,) = rows.select(Agency, "orgs_agency.code = %s", [bare.code], with_one="office")
    with django_assert_num_queries(0), pytest.raises(ObjectDoesNotExist):
        found.office  # noqa: B018 - cached as absent, as select_related would


def test_select_only_defers_the_rest_and_converts_values(world):
    application, _secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="r3")
    (found,) = rows.select(Application, "submission_key = %s", ["r3"], only=intake.REPEAT_FIELDS)
    assert found.received_on == application.received_on and found.due_confirmed is True
    assert "id_number" in found.get_deferred_fields() and found.id_number == applicant()["id_number"]


def test_prepared_values_are_what_django_prepares_for_every_column_of_a_submission(world):
    """The shortcut for columns whose value needs no preparing gives, column by column, what
    get_db_prep_save(pre_save()) gives: encrypted, JSON, date, key and text columns alike."""
    from gongkai.applications.models import Letter, OutgoingMail

    application, _secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="r3")
    instances = [application, entry(actor=None, label="x", action=Action.CREATE, obj=application, agency=world.agency_a,
                                    after=snapshot(application, intake.PUBLIC_SNAPSHOT)),
                 Letter(application=application, kind="receipt", title="回执", body="正文", number=""),
                 OutgoingMail(recipient="a@example.com", subject="主题", body="正文")]
    for instance in instances:
        fields = rows._statement(type(instance), "default")[1]
        prepared = rows.prepare(instance).values
        for field, value in zip(fields, prepared, strict=True):
            # pre_save ran in prepare() (auto_now columns took the time then): prepare what it left
            expected = field.get_db_prep_save(getattr(instance, field.attname), connection)
            if isinstance(field, EncryptedTextField) and value:
                assert decrypt(value) == decrypt(expected)  # a fresh nonce each time: compare the plaintext
                continue
            assert type(value) is type(expected), (type(instance).__name__, field.attname)
            # psycopg's Jsonb wrapper compares by identity: compare what it wraps
            assert getattr(value, "obj", value) == getattr(expected, "obj", expected), (type(instance).__name__, field.attname)
