"""Records the statistics are counted from, made through the services, with the dates a story needs.

The third quarter of 2025 in the 财政局 (agency A) of the test world, counted by hand:

Items (主动公开, 成文 → 发布, working days between, 目录):
  1  07-01 → 07-10   7 WD  on time  预算决算 (under 财政信息)
  2  07-01 → 08-01  23 WD  late     规章 (under 政策文件)
  3  08-04 → 09-01  20 WD  on time  行政规范性文件 (under 政策文件) — the 20th day still counts
  4  08-04 → 09-02  21 WD  late     工作动态 (a top-level category)
  5  09-15 → 09-15   0 WD  on time  预算决算, withdrawn afterwards (it was published)
  not counted: one published 06-30 (Q2), one 依申请公开 registered in July
  → 5 published: July 1, August 1, September 3; 财政信息 2, 政策文件 2, 工作动态 1; 3 on time (60%)

Applications (received → closed, reply type, due date by the clock):
  a1  07-01 → 07-15  予以公开   natural     10 WD; due 07-29, in time
  a2  07-07 → 08-20  部分公开   commercial  32 WD; due 08-04, closed late → overdue in August
  a3  09-01 → open               natural     due 09-28 (a 调休 Sunday) → overdue in September, still open
  a4  06-10 → 07-03  无法提供   natural     17 WD; received in Q2, closed in Q3, due 07-08
  → received 3 (natural 2, commercial 1), closed 3 (3.1, 3.2, 3.4 one each), overdue 2 (1 open),
    median handling of 10, 17, 32 = 17 WD
"""

import datetime as dt
import json

import pytest

from gongkai.applications import handling, intake
from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant
from gongkai.disclosure.item_files import ImportRefused
from gongkai.disclosure.item_import import import_items as run_import
from gongkai.disclosure.models import Item

D = dt.date


def item_row(agency, title, *, catalogue, written_on, published_on, disclosure="proactive"):
    return {
        "agency_code": agency.code, "index_number": "", "title": title, "document_number": "", "publisher": "",
        "written_on": written_on, "published_on": published_on, "catalogue": catalogue,
        "topic": "财政、金融、审计/财政", "genre": "通知", "keywords": "", "summary": "", "disclosure": disclosure,
        "exemption_reason": "" if disclosure == "proactive" else "X16-1",
        "reassess_on": "" if disclosure == "proactive" else "2027-01-01", "validity": "valid",
        "validity_changed_on": "", "body": "正文。",
    }


def import_items(tmp_path, rows: list[dict]) -> None:
    """Items as a legacy site hands them over: published, with their own 成文 and 发布 dates."""
    path = tmp_path / f"items-{len(list(tmp_path.iterdir()))}.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    try:
        run_import(path, actor=None)
    except ImportRefused as refused:
        raise AssertionError([p.as_dict() for p in refused.problems]) from refused


def register(actor, agency, *, received_on, **overrides) -> Application:
    application, _secret = intake.register(actor=actor, agency=agency, data=applicant(**overrides),
                                           channel="in_person", received_on=received_on, issue_receipt=False)
    return application


def close(actor, application, reply_type, *, closed_on, reason="", reason_code=""):
    """Decide and issue the 答复书, then date the closure as the story needs (services close today)."""
    letter = handling.decide_reply(actor=actor, application=application, reply_type=reply_type, reason=reason,
                                   reason_code=reason_code)
    handling.issue_letter(actor=actor, letter=letter)
    Application.objects.filter(pk=application.pk).update(closed_on=closed_on, replied_on=closed_on)


@pytest.fixture
def quarter(world, tmp_path):
    """The third quarter of 2025 in agency A, as the module docstring counts it."""
    a = world.agency_a
    import_items(tmp_path, [
        item_row(a, "一季度预算执行情况", catalogue="yjs", written_on="2025-07-01", published_on="2025-07-10"),
        item_row(a, "财政规章", catalogue="gz", written_on="2025-07-01", published_on="2025-08-01"),
        item_row(a, "财政规范性文件", catalogue="xzgfxwj", written_on="2025-08-04", published_on="2025-09-01"),
        item_row(a, "财政工作动态", catalogue="gzdt", written_on="2025-08-04", published_on="2025-09-02"),
        item_row(a, "后来撤回的预算说明", catalogue="yjs", written_on="2025-09-15", published_on="2025-09-15"),
        item_row(a, "二季度的信息", catalogue="yjs", written_on="2025-06-30", published_on="2025-06-30"),
        item_row(a, "依申请公开的信息", catalogue="yjs", written_on="2025-07-15", published_on="2025-07-15",
                 disclosure="on_request"),
    ])
    from gongkai.disclosure import services

    services.item_withdraw(actor=world.admin_a, item=Item.objects.get(title="后来撤回的预算说明"), reason="内容有误")
    actor = world.drafter_a
    a1 = register(actor, a, received_on=D(2025, 7, 1))
    close(actor, a1, "public_provided", closed_on=D(2025, 7, 15))
    a2 = register(actor, a, received_on=D(2025, 7, 7), applicant_type="commercial", applicant_name="某某商贸有限公司")
    close(actor, a2, "partial", closed_on=D(2025, 8, 20), reason="部分内容涉及商业秘密。", reason_code="X15")
    world.open_case = register(actor, a, received_on=D(2025, 9, 1))
    a4 = register(actor, a, received_on=D(2025, 6, 10))
    close(actor, a4, "unavailable_not_exist", closed_on=D(2025, 7, 3), reason="经检索没有该信息。")
    return world
