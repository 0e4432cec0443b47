"""Fixtures shared by the app tests. Data is made through the real services, as staff would."""

import pytest

from gongkai.orgs import services

PASSWORD = "test-pass-2026!"


class World:
    """A small province-city-county tree with two sibling departments and their staff."""

    def __init__(self):
        self.province = services.area_create(actor=None, name="测试省", code="980000", level="province")
        self.city = services.area_create(actor=None, name="测试市", code="980100", level="city", parent=self.province)
        self.county = services.area_create(actor=None, name="测试县", code="980121", level="county", parent=self.city)
        self.county_gov = services.agency_create(
            actor=None, name="测试县人民政府", code="TESTGOV01", kind="government", area=self.county
        )
        self.agency_a = services.agency_create(
            actor=None, name="测试县财政局", code="TESTFIN01", kind="department", area=self.county, parent=self.county_gov,
            office={"phone": "0999-1000001", "address": "人民路1号"},
        )
        self.agency_b = services.agency_create(
            actor=None, name="测试县教育局", code="TESTEDU01", kind="department", area=self.county, parent=self.county_gov,
        )
        self.unit_b = services.unit_create(actor=None, agency=self.agency_b, name="基础教育股")
        self.sysadmin = self.person("sysadmin", None, "system_admin")
        self.admin_a = self.person("admin_a", self.agency_a, "office_admin")
        self.drafter_a = self.person("drafter_a", self.agency_a, "drafter")
        self.leader_a = self.person("leader_a", self.agency_a, "leader")
        self.admin_b = self.person("admin_b", self.agency_b, "office_admin")
        self.drafter_b = self.person("drafter_b", self.agency_b, "drafter")
        self.supervisor = self.person("supervisor", self.county_gov, "supervisor")
        # 三权分立: the audit trail's reader and the holder of role grants are two more people.
        self.auditor = self.person("auditor", None, "audit_admin")
        self.secadmin = self.person("secadmin", None, "security_admin")

    def person(self, username, agency, *roles):
        return services.user_create(
            actor=None, agency=agency, username=username, full_name=f"测试{username}", password=PASSWORD,
            roles=list(roles),
        )


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    """Signs a person in with the second factor passed (accounts/testing.py); the real password and
    code flow has its own tests in accounts/tests/."""
    from gongkai.accounts.testing import verified_login

    def sign_in(user):
        return verified_login(client, user)

    return sign_in


@pytest.fixture
def taxonomy(transactional_db):
    """Re-seed the 主题分类/体裁 rows that transactional tests' database flushes remove."""
    from gongkai.disclosure.models import Genre, TopicCategory
    from gongkai.disclosure.taxonomy import seed_taxonomy

    seed_taxonomy(TopicCategory, Genre)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached agencies must not leak from one test into the next (a rolled-back
    test's agency would otherwise outlive its rows for a few seconds, as in a restarted process)."""
    from django.core.cache import cache

    from gongkai.applications import hotcache
    from gongkai.web import ratelimit

    cache.clear()
    ratelimit.reset()
    hotcache.clear()
