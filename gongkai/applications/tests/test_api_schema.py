"""A bounded schemathesis run over the API's own OpenAPI document: whatever it sends, no 5xx.

The schema is fetched from /api/v1/openapi.json through the WSGI application, so the document
tested is the one clients get. Examples are bounded (and derandomised) so the run stays well under
a minute; every response must be a non-5xx answer, and schemathesis' own checks hold (the status
code, content type and body are ones the document declares; an undeclared method gets 405).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gongkai.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_world(world, settings):
    settings.GONGKAI_APPLY_PER_HOUR = settings.GONGKAI_TRACK_PER_HOUR = 10_000  # the run, not the limiter
    # The WSGI handler closes the database connection after each request, as in production; the
    # test's transaction lives on that connection, so (like Django's test client) keep it open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_input_makes_the_api_fail(case, api_world):
    response = case.call()
    assert response.status_code < 500, response.text
    # Not positive_data_acceptance: a schema-valid body is still refused (400) when the ID number's
    # checksum or the phone number is wrong, which JSON Schema cannot express.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
