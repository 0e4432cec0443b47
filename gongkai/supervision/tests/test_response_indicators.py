"""The 解读率 with several forms of 解读 per policy, and the 回应关切 timeliness indicator."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.conftest import BEIJING
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import CatalogueNode, Genre
from gongkai.disclosure.tests.conftest import item_data
from gongkai.supervision.indicators import INDICATORS, evaluate, interpretation_rate
from gongkai.supervision.models import Finding
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.conftest import publish

pytestmark = pytest.mark.django_db
D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def interpretation(county, policy, form, title, on, files=()):
    data = item_data(county.agency_a, title=title, written_on=on, published_on=on, interprets=policy,
                     interpretation_form=form, genre=Genre.objects.get(name="政策解读"),
                     catalogue_node=CatalogueNode.objects.get(agency=county.agency_a, code="zcjd"))
    item = disclosure_services.item_create(actor=county.drafter_a, agency=county.agency_a, data=data, files=files)
    disclosure_services.item_submit(actor=county.drafter_a, item=item)
    disclosure_services.item_approve(actor=county.first_a, item=item)
    return disclosure_services.item_approve(actor=county.second_a, item=item)


def test_a_policy_with_three_forms_is_interpreted_once_and_the_forms_are_counted(county):
    first = publish(county, written_on=D(2026, 9, 29), published_on=D(2026, 9, 30), node="xzgfxwj", title="办法一")
    publish(county, written_on=D(2026, 9, 29), published_on=D(2026, 9, 30), node="xzgfxwj", title="办法二")
    interpretation(county, first, "text", "办法一文字解读", D(2026, 9, 30))
    interpretation(county, first, "graphic", "一图读懂办法一", D(2026, 9, 30), files=[("图解.png", PNG)])
    interpretation(county, first, "qa", "办法一问答", D(2026, 10, 8))
    rate = interpretation_rate([county.agency_a.pk], D(2026, 9, 1), D(2026, 12, 31))[county.agency_a.pk]
    assert (rate.policies, rate.interpreted, rate.rate) == (2, 1, 0.5)
    assert rate.by_form == {"文字解读": 1, "图解": 1, "问答": 1}
    # Seen on 30 Sep, the 问答 was not yet published.
    early = interpretation_rate([county.agency_a.pk], D(2026, 9, 1), D(2026, 9, 30))[county.agency_a.pk]
    assert early.by_form == {"文字解读": 1, "图解": 1}
    # Three forms do not make three findings: the policy is interpreted, the other is not.
    missing = evaluate([county.agency_a.pk], D(2026, 9, 1), D(2026, 12, 31), codes=["interpretation_missing"])
    assert [h.subject_repr for h in missing] == ["办法二"]


def test_the_office_sees_the_rate_and_the_forms_on_the_monitoring_page(county, login):
    policy = publish(county, written_on=D(2026, 9, 29), published_on=D(2026, 9, 30), node="xzgfxwj", title="办法一")
    interpretation(county, policy, "qa", "办法一问答", D(2026, 9, 30))
    page = login(county.supervisor).get(reverse("supervision_staff:monitor", args=[county.county_gov.code]),
                                        {"start": "2026-01-01", "end": "2026-10-13"}).content.decode()
    table = page[page.index('id="interpretation-rate"'):]
    assert county.agency_a.name in table and "100%" in table and "问答" in table


def concern_response(county, *, title, surfaced_at, level, responded_at=None, publish_it=True):
    data = item_data(county.agency_a, title=title, written_on=surfaced_at.date(), published_on=surfaced_at.date(),
                     genre=Genre.objects.get(code="57"),
                     catalogue_node=CatalogueNode.objects.get(agency=county.agency_a, code="hygq"))
    item = disclosure_services.item_create(actor=county.drafter_a, agency=county.agency_a, data=data, concern={
        "description": title, "surfaced_at": surfaced_at, "level": level, "responded_at": responded_at})
    if publish_it:
        disclosure_services.item_submit(actor=county.drafter_a, item=item)
        disclosure_services.item_approve(actor=county.first_a, item=item)
        disclosure_services.item_approve(actor=county.second_a, item=item)
    return item


def test_concern_response_late_is_an_indicator_with_item_hits(county):
    surfaced = dt.datetime(2026, 10, 12, 9, 0, tzinfo=BEIJING)
    five_hours = concern_response(county, title="准时", surfaced_at=surfaced, level="general",
                                  responded_at=surfaced + dt.timedelta(hours=5))
    late = concern_response(county, title="超时", surfaced_at=surfaced, level="general",
                            responded_at=surfaced + dt.timedelta(hours=48, minutes=1))
    assert "concern_response_late" in INDICATORS and INDICATORS["concern_response_late"].label == "回应关切不及时"
    found = evaluate([county.agency_a.pk], D(2026, 10, 1), D(2026, 10, 31), codes=["concern_response_late"])
    assert [(h.subject_type, h.subject_id) for h in found] == [("disclosure.item", str(late.pk))]
    assert "48小时" in found[0].detail and found[0].occurred_on == D(2026, 10, 14)
    assert five_hours.pk != late.pk


def test_the_daily_run_opens_a_finding_for_an_unanswered_major_concern(county):
    surfaced = dt.datetime(2026, 10, 12, 9, 0, tzinfo=BEIJING)
    draft = concern_response(county, title="尚未发布的回应", surfaced_at=surfaced, level="major", publish_it=False)
    monitor_run(on=D(2026, 10, 13))
    finding = Finding.objects.get(indicator="concern_response_late")
    assert finding.subject_id == str(draft.pk)
    assert "仍未回应" in finding.detail and "未在24小时内召开新闻发布会" in finding.detail
