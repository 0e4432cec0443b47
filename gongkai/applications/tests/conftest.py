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
