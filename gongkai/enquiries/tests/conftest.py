import datetime as dt

import pytest

from gongkai.conftest import BEIJING
from gongkai.enquiries import services

MESSAGE = {"kind": "consult", "subject": "城乡居民医保缴费时间", "body": "请问2027年度城乡居民医保集中缴费期从几月开始？逾期能否补缴？",
           "name": "李明", "phone": "13800138000", "email": "liming@example.cn", "allow_publish": True}


def message(**overrides) -> dict:
    return {**MESSAGE, **overrides}


def ask(agency, **overrides):
    """A message from the public through the real service; returns (enquiry, secret)."""
    return services.submit_online(agency=agency, data=message(**overrides))


@pytest.fixture
def travel(time_machine):
    """Move the clock to 9:00 Beijing time on a day, inside one test (messages received on
    different days)."""

    def to(day: dt.date):
        time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=BEIJING))

    return to
