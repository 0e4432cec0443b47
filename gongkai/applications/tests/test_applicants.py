"""The applicant key: one identity document, one applicant, whatever the name says."""

import importlib

import pytest
from django.apps import apps

from gongkai.applications import intake
from gongkai.applications.applicants import applicant_key, applicant_key_of
from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant, register, resident_id


def key(**fields):
    return applicant_key({"id_type": "resident_id", "id_number": resident_id(1), "applicant_type": "natural",
                          "applicant_name": "王伟"} | fields)


def test_the_same_name_with_another_identity_number_is_another_applicant():
    assert key() != key(id_number=resident_id(2))


def test_the_identity_number_is_compared_without_case_spaces_hyphens_or_full_width_forms():
    uscc = {"id_type": "uscc", "applicant_type": "commercial"}
    assert (key(id_number="91320102MA1X2Y3Z4W", applicant_name="某某有限公司", **uscc)
            == key(id_number=" 91320102ma1x2y3z4w", applicant_name="某某 有限 公司", **uscc)
            == key(id_number="９１３２０１０２ＭＡ１Ｘ２Ｙ３Ｚ４Ｗ", applicant_name="某某有限责任公司", **uscc)
            == key(id_number="91320102-MA1X2Y3Z4W", applicant_name="另一个名称", **uscc))


def test_the_document_type_is_part_of_the_identity():
    assert key(id_type="passport", id_number="E12345678") != key(id_type="other", id_number="E12345678")


def test_without_an_identity_number_the_type_and_normalised_name_decide():
    assert key(id_number="", applicant_name="清河县 某某公司") == key(id_number="", applicant_name="清河县某某公司")
    assert key(id_number="", applicant_type="commercial") != key(id_number="")
    assert key(id_number="") != key()


def test_the_key_is_keyed_with_the_installation_secret(settings):
    before = key()
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert key() != before and len(key()) == 64


@pytest.mark.django_db
def test_every_way_an_application_is_created_stores_its_key(office):
    online, _secret = intake.submit_online(agency=office.agency_a, data=applicant(), submission_key="k-applicant-key")
    registered = register(office)
    moved = intake.transfer(actor=office.drafter_a, application=registered, to_agency=office.agency_b)
    for application in (online, registered, moved):
        stored = Application.objects.get(pk=application.pk)
        assert stored.applicant_key == applicant_key_of(stored) == applicant_key(applicant())


@pytest.mark.django_db
def test_the_migration_gives_existing_applications_their_key(office):
    first = register(office)
    other = register(office, applicant_name="李娜", id_number=resident_id(3))
    Application.objects.update(applicant_key="")
    migration = importlib.import_module("gongkai.applications.migrations.0007_application_applicant_key")
    migration.fill_applicant_keys(apps, None)
    assert Application.objects.get(pk=first.pk).applicant_key == applicant_key(applicant())
    assert Application.objects.get(pk=other.pk).applicant_key == applicant_key(applicant(id_number=resident_id(3)))
