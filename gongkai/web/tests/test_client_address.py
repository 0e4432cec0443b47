"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from trusted
proxies, read from the right; a client cannot choose the address the audit trail, the rate limits
and the sign-in lockout see."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.web import ratelimit
from gongkai.web.client_address import client_ip

PROXIES = ["10.0.0.0/8", "fd00::/8"]


@pytest.fixture
def behind_proxies(settings):
    settings.GONGKAI_TRUSTED_PROXIES = PROXIES


def _request(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(rf, settings):
    settings.GONGKAI_TRUSTED_PROXIES = []
    assert client_ip(_request(rf, "198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_a_spoofed_header_from_an_untrusted_client_is_ignored(rf, behind_proxies):
    # The client connects directly (not through the proxy) and claims to be someone else.
    assert client_ip(_request(rf, "198.51.100.7", "203.0.113.1, 10.0.0.5")) == "198.51.100.7"


def test_through_the_proxy_the_rightmost_untrusted_hop_is_the_client(rf, behind_proxies):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_ip(_request(rf, "10.0.0.1", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Two proxies: a load balancer (10.0.0.2) in front of nginx (10.0.0.1).
    assert client_ip(_request(rf, "10.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    assert client_ip(_request(rf, "10.0.0.1", "2001:db8::7, fd00::1")) == "2001:db8::7"
    assert client_ip(_request(rf, "::ffff:10.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_a_proxy_request_without_the_header_or_with_garbage_stays_at_the_nearest_known_address(rf, behind_proxies):
    assert client_ip(_request(rf, "10.0.0.1")) == "10.0.0.1"
    assert client_ip(_request(rf, "10.0.0.1", "203.0.113.9, not-an-address")) == "10.0.0.1"
    assert client_ip(_request(rf, "10.0.0.1", "203.0.113.9, ../../etc, 10.0.0.3")) == "10.0.0.3"
    assert client_ip(_request(rf, "10.0.0.1", "10.0.0.9, 10.0.0.3")) == "10.0.0.9"  # all trusted: the left-most
    assert client_ip(_request(rf, "")) is None


def test_spoofed_headers_do_not_escape_the_rate_limit(rf, behind_proxies):
    through_proxy = [_request(rf, "10.0.0.1", f"9.9.9.{n}, 203.0.113.9") for n in range(3)]
    assert [ratelimit.allow(r, "t1", limit=2, window_seconds=60) for r in through_proxy] == [True, True, False]
    direct = [_request(rf, "198.51.100.7", f"9.9.9.{n}") for n in range(3)]
    assert [ratelimit.allow(r, "t2", limit=2, window_seconds=60) for r in direct] == [True, True, False]


def test_audit_rows_and_axes_record_the_client_not_the_proxy_or_the_spoof(world, client, behind_proxies):
    login = reverse("staff:login")
    client.post(login, {"username": "drafter_a", "password": "wrong-Pass-1"},
                REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    client.post(login, {"username": "drafter_b", "password": "wrong-Pass-1"},
                REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    rows = {row.object_repr: row.source_ip for row in AuditEntry.objects.filter(action=Action.LOGIN_FAILED)}
    assert set(rows.values()) == {"203.0.113.9", "198.51.100.7"}
    attempts = dict(AccessAttempt.objects.values_list("username", "ip_address"))
    assert attempts == {"drafter_a": "203.0.113.9", "drafter_b": "198.51.100.7"}


def test_a_malformed_proxy_list_stops_the_start_with_its_name(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "GONGKAI_TRUSTED_PROXIES": "10.0.0.0/8, nginx.local"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ran = subprocess.run([sys.executable, "-c", "import gongkai.settings"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert ran.returncode != 0 and "GONGKAI_TRUSTED_PROXIES" in ran.stderr and "nginx.local" in ran.stderr
    env["GONGKAI_TRUSTED_PROXIES"] = "10.0.0.0/8, fd00::/8"
    ok = subprocess.run([sys.executable, "-c", "import gongkai.settings as s; print(s.GONGKAI_TRUSTED_PROXIES)"],
                        env=env, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "fd00::/8" in ok.stdout
