import json

import pytest

from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant

pytestmark = pytest.mark.django_db


def post(client, payload):
    return client.post("/api/v1/applications", json.dumps(payload, ensure_ascii=False), content_type="application/json")


def test_submit_and_read_status(world, client):
    response = post(client, {"agency_code": world.agency_a.code, "submission_key": "api-1", **applicant()})
    assert response.status_code == 201
    body = response.json()
    assert body["submission_key"] == "api-1" and body["repeat"] is False
    assert body["calendar_confirmed"] is Application.objects.get().due_confirmed
    status = client.get(f"/api/v1/applications/{body['tracking_code']}", HTTP_X_TRACKING_SECRET=body["secret"])
    data = status.json()
    assert status.status_code == 200 and data["status"] == "received" and data["due_on"] == body["due_on"]
    assert data["letters"][0]["kind"] == "receipt" and data["clock_steps"]
    assert "id_number" not in data and "phone" not in data


def test_retry_with_the_same_key_returns_the_first_application(world, client):
    first = post(client, {"agency_code": world.agency_a.code, "submission_key": "api-2", **applicant()}).json()
    again = post(client, {"agency_code": world.agency_a.code, "submission_key": "api-2", **applicant()})
    assert again.status_code == 200 and again.json()["tracking_code"] == first["tracking_code"] and again.json()["repeat"]
    assert first["submission_key"] == again.json()["submission_key"] == "api-2"
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [("not json", 400, "JSON_INVALID"), ([], 400, "JSON_INVALID"), ({"agency_code": "NOSUCH001"}, 404, "AGENCY_NOT_FOUND")],
)
def test_bad_requests_get_stable_codes(world, client, payload, status, code):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    response = client.post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == status and response.json()["error"]["code"] == code
    assert Application.objects.count() == 0


def test_an_agency_taken_off_the_portal_accepts_nothing(world, client):
    world.agency_b.is_active = False
    world.agency_b.save()
    response = post(client, {"agency_code": world.agency_b.code, "submission_key": "api-off", **applicant()})
    assert response.status_code == 404 and response.json()["error"]["code"] == "AGENCY_NOT_FOUND"
    assert Application.objects.count() == 0


def test_the_receipt_quotes_the_office_found_by_a_lower_case_code(world, client):
    from gongkai.applications.letters import template_update
    from gongkai.applications.models import Letter

    template_update(actor=world.admin_a, agency=world.agency_a, kind="receipt",
                    body="{{ application.name }}：根据{{ basis }}的规定，已收到。咨询电话：{{ agency.office.phone }}")
    response = post(client, {"agency_code": world.agency_a.code.lower(), "submission_key": "api-lc", **applicant()})
    assert response.status_code == 201
    assert "0999-1000001" in Letter.objects.get(kind="receipt").body  # agency A's office phone


def test_invalid_fields_create_nothing(world, client):
    response = post(client, {"agency_code": world.agency_a.code, **applicant(phone="abc")})
    assert response.status_code == 400 and response.json()["error"] == {
        "code": "PHONE_INVALID", "message": "联系电话格式不正确（手机号码或带区号的固定电话）。", "field": "phone"}
    assert Application.objects.count() == 0


def test_wrong_secret_is_indistinguishable_from_unknown_code(world, client):
    body = post(client, {"agency_code": world.agency_a.code, **applicant()}).json()
    wrong = client.get(f"/api/v1/applications/{body['tracking_code']}", headers={"X-Tracking-Secret": "WRONG234"})
    unknown = client.get("/api/v1/applications/ZZZZZZZZZZ", headers={"X-Tracking-Secret": "WRONG234"})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()


def test_the_secret_in_the_query_string_is_not_read(world, client):
    body = post(client, {"agency_code": world.agency_a.code, **applicant()}).json()
    in_query = client.get(f"/api/v1/applications/{body['tracking_code']}?secret={body['secret']}")
    in_header = client.get(f"/api/v1/applications/{body['tracking_code']}", headers={"X-Tracking-Secret": body["secret"]})
    assert in_query.status_code == 404 and in_header.status_code == 200


@pytest.mark.parametrize("value", [12345678901, ["张三"], {"name": "张三"}, True])
def test_non_string_values_are_refused(world, client, value):
    response = post(client, {"agency_code": world.agency_a.code, **applicant(), "applicant_name": value})
    assert response.status_code == 400 and response.json()["error"]["code"] == "FIELD_NOT_STRING"
    assert response.json()["error"]["field"] == "applicant_name" and Application.objects.count() == 0


def test_openapi_document_lists_both_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.") and set(document["paths"]) == {
        "/api/v1/applications", "/api/v1/applications/{code}"}


def test_an_agency_deactivated_elsewhere_stops_accepting_at_once(world, client):
    """Changed by another process (a queryset update: no signal reaches this one), the agency is
    refused on the very next submission, not a few seconds later."""
    from gongkai.orgs.models import Agency

    payload = {"agency_code": world.agency_a.code, **applicant()}
    assert post(client, payload | {"submission_key": "active-1"}).status_code == 201
    Agency.objects.filter(pk=world.agency_a.pk).update(is_active=False)
    refused = post(client, payload | {"submission_key": "active-2", "description": "请公开另一份文件。"})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "AGENCY_NOT_FOUND"
    assert Application.objects.count() == 1


def test_an_edited_office_and_template_show_on_the_next_receipt(world, client):
    from gongkai.applications.letters import template_update
    from gongkai.applications.models import Letter
    from gongkai.orgs.models import DisclosureOffice

    payload = {"agency_code": world.agency_a.code, **applicant()}
    assert post(client, payload | {"submission_key": "office-1"}).status_code == 201
    DisclosureOffice.objects.filter(agency=world.agency_a).update(phone="0999-7654321")
    template_update(actor=world.admin_a, agency=world.agency_a, kind="receipt",
                    body="{{ application.name }}：根据{{ basis }}的规定，已收到。电话：{{ agency.office.phone }}")
    assert post(client, payload | {"submission_key": "office-2", "description": "请公开另一份文件。"}).status_code == 201
    assert "电话：0999-7654321" in Letter.objects.filter(kind="receipt").latest("id").body
