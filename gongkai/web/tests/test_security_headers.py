"""HSTS, CSP, the HTTPS redirect and no-store on personal data (docs/security.md)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.applications.tests.conftest import register

pytestmark = pytest.mark.django_db


def test_every_page_has_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_hsts_on_https_responses_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", secure=True)
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@override_settings(SECURE_SSL_REDIRECT=True)
def test_https_redirect_setting_sends_plain_http_to_https(client):
    response = client.get("/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200  # the load balancer's probe stays on HTTP


def test_staff_pages_and_identity_downloads_are_not_stored(world, login):
    application = register(world)
    client = login(world.admin_a)
    case = client.get(reverse("applications_staff:case", args=[world.agency_a.code, application.pk]))
    ledger = client.get(reverse("applications_staff:ledger", args=[world.agency_a.code]), {"format": "xlsx"})
    assert case.headers["Cache-Control"] == "no-store" and ledger.headers["Cache-Control"] == "no-store"


def test_applicant_pages_are_not_stored_but_the_public_portal_may_be(world, client):
    assert client.get(reverse("apply:track")).headers["Cache-Control"] == "no-store"
    assert client.get(reverse("apply:form", args=[world.agency_a.code])).headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_a_signed_in_user_gets_no_store_even_on_public_pages(world, login):
    assert login(world.admin_a).get("/").headers["Cache-Control"] == "no-store"
