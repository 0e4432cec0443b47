import datetime as dt

import pytest

from gongkai.disclosure.catalogue import ensure_catalogue


@pytest.fixture
def desk(world):
    """World plus the reviewers of agency A (to publish a final document)."""
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    ensure_catalogue(world.agency_b)
    return world


def consultation_data(**overrides) -> dict:
    data = {
        "title": "关于《测试县养老服务设施布局规划（征求意见稿）》公开征求意见的公告",
        "kind": "plan",
        "draft_body": "第一条 为完善养老服务设施布局，制定本规划。\n\n第二条 本规划期限为2026年至2030年。",
        "explanation": "根据县政府工作安排起草。",
        "starts_on": dt.date(2026, 3, 2),
        "ends_on": dt.date(2026, 3, 31),
        "short_period_reason": "",
        "accepts_online": True,
        "requires_name": False,
        "channel_letter": "测试县人民路1号 测试县财政局",
        "channel_email": "yjzj@example.cn",
        "channel_meeting": "",
        "contact": "王科长 0999-1000001",
    }
    data.update(overrides)
    return data


def opened(world, **overrides):
    """A consultation of agency A, created and opened by its drafter."""
    from gongkai.consultations import services

    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                                data=consultation_data(**overrides))
    return services.consultation_open(actor=world.drafter_a, consultation=consultation)


def comment(consultation, body="建议在城东新区增设一处社区养老服务中心。", **data):
    from gongkai.consultations import services

    return services.comment_submit(consultation=consultation, data={"body": body, **data})
