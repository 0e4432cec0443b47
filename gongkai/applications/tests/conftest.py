import datetime as dt

import pytest

from gongkai.pii.detectors import id_check_char


def resident_id(seed: int = 1) -> str:
    body = f"3201021985{(seed % 12) + 1:02d}{(seed % 27) + 1:02d}{seed % 1000:03d}"
    return body + id_check_char(body)


def applicant(**overrides) -> dict:
    data = {
        "applicant_type": "natural", "applicant_name": "张晓明", "contact_person": "", "id_type": "resident_id",
        "id_number": resident_id(7), "phone": "13912345678", "email": "zxm@example.cn", "address": "清河县人民路5号",
        "postcode": "999100", "description": "请公开2025年清河县城乡低保资金发放明细（县民政局文件）。",
        "provision_form": "email",
    }
    data.update(overrides)
    return data


@pytest.fixture
def office(world):
    """World plus a handler (信息员) and the office head (工作机构管理员) of agency A."""
    world.handler = world.drafter_a
    world.head = world.admin_a
    return world


def register(world, *, received_on=dt.date(2026, 3, 2), issue_receipt=False, **overrides):
    """A registered application; no receipt by default (rendering it costs ~0.3 s per test)."""
    from gongkai.applications import intake

    application, _secret = intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(**overrides),
                                           channel="in_person", received_on=received_on, issue_receipt=issue_receipt)
    return application


def varied_cases(office):
    """One case of every kind the open lists tell apart, for agency A, as of 2026-04-08 (a Wednesday)."""
    from gongkai.applications.models import Application, Status

    cases = {name: register(office, applicant_name=name) for name in
             ("overdue", "due_today", "due_soon", "due_later", "paused_overdue", "correction", "fee", "consulting",
              "closed_overdue")}
    updates = {
        "overdue": {"due_on": "2026-04-01", "clock_state": "running"},
        "due_today": {"due_on": "2026-04-08", "clock_state": "running"},
        "due_soon": {"due_on": "2026-04-14", "clock_state": "fixed"},
        "due_later": {"due_on": "2026-05-20", "clock_state": "running"},
        "paused_overdue": {"due_on": "2026-04-01", "clock_state": "paused", "status": Status.CONSULTING},
        "correction": {"due_on": None, "clock_state": "waiting_applicant", "status": Status.AWAITING_CORRECTION},
        "fee": {"due_on": None, "clock_state": "paused", "status": Status.AWAITING_FEE},
        "consulting": {"due_on": None, "clock_state": "paused", "status": Status.CONSULTING},
        "closed_overdue": {"due_on": "2026-04-01", "clock_state": "running", "status": Status.CLOSED},
    }
    for name, fields in updates.items():
        Application.objects.filter(pk=cases[name].pk).update(**fields)
    return cases
