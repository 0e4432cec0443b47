"""The 政民互动 column: consultations, answers, FAQ, 回应关切 and press conferences on one page,
government-wide and per agency, with the year's figures; nothing held back or unpublished shows."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gongkai.conftest import BEIJING, on
from gongkai.consultations import services as consultation_services
from gongkai.consultations.tests.conftest import comment, consultation_data, opened
from gongkai.disclosure import conferences
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import Genre
from gongkai.disclosure.tests.conftest import item_data
from gongkai.disclosure.tests.test_responses import publish, response_draft
from gongkai.enquiries import services as enquiry_services
from gongkai.enquiries.tests.conftest import ask
from gongkai.portal import participation

START = dt.date(2026, 10, 12)  # a Monday
DAY = dt.date(2026, 10, 26)  # the page is read on this Monday
pytestmark = [pytest.mark.django_db, on(START, dt.time(14))]
ATOM = "{http://www.w3.org/2005/Atom}"


def at(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=BEIJING))


@pytest.fixture
def records(world, time_machine):
    """Agency A's and B's 政民互动 over two weeks, through the real services; read on DAY."""
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    ensure_catalogue(world.agency_b)
    publish(world, response_draft(world))  # 关于城区供水情况的说明
    response_draft(world, title="尚未发布的回应关切")
    conferences.conference_create(actor=world.second_a, agency=world.agency_a, data={
        "topic": "县级财政专项资金管理新闻发布会", "held_at": dt.datetime(2026, 10, 12, 10, tzinfo=BEIJING),
        "place": "县政府新闻发布厅", "speakers": "县财政局局长 王某某", "summary": "解读管理办法。"})

    ended = opened(world, title="关于《测试县老旧小区改造实施方案（征求意见稿）》的公告", starts_on=START,
                   ends_on=dt.date(2026, 10, 21))
    kept, held = comment(ended), comment(ended, body="这条意见与征集内容无关，应不予公开。")
    consultation_services.comment_moderate(actor=world.drafter_a, comment=kept, publish=True)
    consultation_services.comment_moderate(actor=world.drafter_a, comment=held, publish=False, reason="与征集内容无关")
    world.ended = ended
    world.running = opened(world, title="关于《测试县养老服务设施布局规划（征求意见稿）》的公告", starts_on=START,
                           ends_on=dt.date(2026, 11, 30))
    consultation_services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                              data=consultation_data(title="尚未发布的征集草稿", starts_on=START,
                                                                     ends_on=dt.date(2026, 11, 30)))
    other = consultation_services.consultation_create(
        actor=world.drafter_b, agency=world.agency_b,
        data=consultation_data(title="关于《测试县学前教育发展规划（征求意见稿）》的公告", starts_on=START,
                               ends_on=dt.date(2026, 11, 30)))
    consultation_services.consultation_open(actor=world.drafter_b, consultation=other)

    published, _ = ask(world.agency_a, subject="医保缴费时间")
    private, _ = ask(world.agency_a, subject="不愿公开的留言", allow_publish=False)
    personal, _ = ask(world.agency_a, subject="涉及个人情况的留言")
    ask(world.agency_a, subject="尚未答复的留言")
    elsewhere, _ = ask(world.agency_b, subject="教育局收到的留言")
    at(time_machine, dt.date(2026, 10, 14))
    enquiry_services.answer(actor=world.drafter_a, enquiry=published, text="集中缴费期为每年9月1日至12月31日。")
    enquiry_services.answer(actor=world.drafter_a, enquiry=private, text="已电话答复。")
    enquiry_services.answer(actor=world.drafter_a, enquiry=personal, text="您的情况已核实。", personal=True,
                            personal_reason="涉及个人医保缴费记录")
    enquiry_services.answer(actor=world.drafter_b, enquiry=elsewhere, text="已答复。")
    enquiry_services.faq_add(actor=world.drafter_a, enquiry=published, question="城乡居民医保何时缴费？",
                             answer="每年9月1日至12月31日。")

    at(time_machine, DAY)
    consultation_services.feedback_publish(actor=world.drafter_a, consultation=ended, summary="收到意见2条，采纳1条。",
                                           dispositions={kept.pk: ("adopted", "")})
    return world


def test_agency_column_shows_both_apps_and_only_its_own_public_records(records, client):
    page = client.get(reverse("portal:agency_participation", args=[records.agency_a.code])).content.decode()
    open_part = page[page.index('id="hudong-open"'):page.index('id="closed-heading"')]
    assert "养老服务设施布局规划" in open_part and "老旧小区改造" not in open_part
    closed_part = page[page.index('id="hudong-closed"'):page.index('id="answers-heading"')]
    assert "老旧小区改造" in closed_part and "收到意见2条，采纳（含部分采纳）1条，2026年10月26日公布采纳情况" in closed_part
    assert "医保缴费时间" in page and "城乡居民医保何时缴费？" in page
    assert "关于城区供水情况的说明" in page and "县级财政专项资金管理新闻发布会" in page
    for hidden in ("尚未发布的征集草稿", "不愿公开的留言", "涉及个人情况的留言", "尚未答复的留言", "尚未发布的回应关切",
                   "应不予公开", "13800138000"):
        assert hidden not in page, hidden
    for elsewhere in ("学前教育发展规划", "教育局收到的留言"):  # agency B's
        assert elsewhere not in page, elsewhere


def test_government_wide_column_gathers_every_public_agency(records, client):
    page = client.get(reverse("portal:participation")).content.decode()
    assert "学前教育发展规划" in page and "教育局收到的留言" in page and "医保缴费时间" in page
    assert "测试县教育局" in page  # rows name their agency on the government-wide page
    assert "不愿公开的留言" not in page and "尚未发布的征集草稿" not in page


def test_inactive_agencies_drop_out_of_the_government_wide_column(records, client):
    from gongkai.orgs import services as org_services

    org_services.agency_update(actor=None, agency=records.agency_b, changes={"is_active": False})
    page = client.get(reverse("portal:participation")).content.decode()
    assert "学前教育发展规划" not in page and "教育局收到的留言" not in page and "医保缴费时间" in page
    assert client.get(reverse("portal:agency_participation", args=[records.agency_b.code])).status_code == 404


def test_the_years_figures_come_from_both_apps_for_the_given_day(records):
    agency = participation.figures([records.agency_a.pk], DAY)
    assert (agency.start, agency.end) == (dt.date(2026, 1, 1), DAY)
    assert (agency.enquiries.received, agency.enquiries.answered, agency.enquiries.answered_on_time) == (4, 3, 3)
    assert agency.enquiries.on_time_rate == 100.0 and agency.enquiries.median_working_days == 2
    assert (agency.consultations.opened, agency.consultations.comments_received, agency.consultations.comments_adopted,
            agency.consultations.feedback_published, agency.consultations.feedback_on_time) == (2, 2, 1, 1, 1)
    both = participation.figures([records.agency_a.pk, records.agency_b.pk], DAY)
    assert (both.enquiries.received, both.consultations.opened) == (5, 3)
    # The day before anything happened, the year had nothing.
    empty = participation.figures([records.agency_a.pk], dt.date(2026, 10, 11))
    assert (empty.enquiries.received, empty.consultations.opened, empty.enquiries.on_time_rate) == (0, 0, None)


def test_the_page_shows_the_figures_and_links_the_forms_and_feeds(records, client):
    code = records.agency_a.code
    page = client.get(reverse("portal:agency_participation", args=[code])).content.decode()
    figures = page[page.index('id="hudong-figures"'):page.index("</table>", page.index('id="hudong-figures"'))]
    assert "2026年互动情况" in page and "2026年1月1日至2026年10月26日" in page
    assert "<td>4件</td>" in figures and "3件（按时答复率100.0%）" in figures and "2个工作日" in figures
    assert "<td>2次</td>" in figures and "2条，采纳（含部分采纳）1条" in figures and "1次，其中按时1次" in figures
    for name in ("consultations_public:agency_feed", "enquiries_public:feed"):
        assert f'<link rel="alternate" type="application/atom+xml" title="{records.agency_a.name}' in page
        assert f'href="{reverse(name, args=[code])}"' in page
    assert f'href="{reverse("enquiries_public:ask", args=[code])}"' in page
    assert f'href="{reverse("consultations_public:receipt")}"' in page
    wide = client.get(reverse("portal:participation")).content.decode()
    assert f'type="application/atom+xml" title="意见征集" href="{reverse("consultations_public:feed")}"' in wide
    assert f'type="application/atom+xml" title="留言答复" href="{reverse("enquiries_public:feed_all")}"' in wide
    assert f'href="{reverse("enquiries_public:ask_any")}"' in wide


def test_one_nav_entry_lights_on_the_hub_and_on_both_apps_pages(records, client):
    code = records.agency_a.code
    for url in (reverse("portal:participation"), reverse("consultations_public:all"),
                reverse("consultations_public:detail", args=[code, records.running.pk]),
                reverse("enquiries_public:column"), reverse("enquiries_public:faq", args=[code])):
        page = client.get(url).content.decode()
        nav = page[page.index('aria-label="主导航"'):page.index("</nav>", page.index('aria-label="主导航"'))]
        assert f'<a href="{reverse("portal:participation")}" aria-current="page">政民互动</a>' in nav, url
        assert ">意见征集<" not in nav and ">留言咨询<" not in nav
        if url != reverse("portal:participation"):  # the apps' breadcrumbs lead back to the column
            assert f'href="{reverse("portal:participation")}">政民互动</a> ›' in page or \
                f'href="{reverse("portal:agency_participation", args=[code])}">政民互动</a> ›' in page, url
    home = client.get(reverse("portal:home")).content.decode()
    assert 'aria-current="page">政民互动' not in home


def test_the_agency_page_links_its_column(records, client):
    page = client.get(reverse("portal:agency_detail", args=[records.agency_a.code])).content.decode()
    assert f'href="{reverse("portal:agency_participation", args=[records.agency_a.code])}" id="participation-link"' in page


def test_query_count_does_not_grow_with_the_records(records, client, django_assert_max_num_queries):
    for _ in range(6):
        consultation_services.consultation_open(
            actor=records.drafter_a, consultation=consultation_services.consultation_create(
                actor=records.drafter_a, agency=records.agency_a,
                data=consultation_data(starts_on=DAY, ends_on=dt.date(2026, 11, 30))))
        enquiry, _ = ask(records.agency_b)
        enquiry_services.answer(actor=records.drafter_b, enquiry=enquiry, text="已答复。")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("portal:participation")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("portal:agency_participation", args=[records.agency_a.code])).status_code == 200


def atom_entries(client, url) -> dict[str, ET.Element]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def test_responses_feed_lists_published_responses_only(records, client):
    gone = publish(records, response_draft(records, title="已撤回的回应关切"))
    disclosure_services.item_withdraw(actor=records.admin_a, item=gone, reason="内容需更正")
    mine = atom_entries(client, reverse("portal:responses_feed", args=[records.agency_a.code]))
    assert list(mine) == ["关于城区供水情况的说明"]
    entry = mine["关于城区供水情况的说明"]
    item = records.agency_a.items.get(title="关于城区供水情况的说明", status="published")
    assert entry.find(f"{ATOM}link").get("href").endswith(reverse("portal:item", args=[records.agency_a.code, item.pk]))
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == records.agency_a.name
    assert atom_entries(client, reverse("portal:responses_feed", args=[records.agency_b.code])) == {}
    assert list(atom_entries(client, reverse("portal:responses_feed_all"))) == ["关于城区供水情况的说明"]


def test_conferences_feed_lists_the_records_and_no_unpublished_transcript(records, client):
    draft = disclosure_services.item_create(actor=records.drafter_a, agency=records.agency_a, data=item_data(
        records.agency_a, title="尚未发布的发布会实录", genre=Genre.objects.get(code="58"),
        catalogue_node=records.agency_a.catalogue_nodes.get(code="hygq")))
    conferences.conference_create(actor=records.second_a, agency=records.agency_a, data={
        "topic": "城区供水保障新闻发布会", "held_at": dt.datetime(2026, 10, 20, 15, tzinfo=BEIJING),
        "speakers": "县住建局局长 李某某", "summary": "通报供水管网改造进展。", "transcript": draft})
    conferences.conference_create(actor=None, agency=records.agency_b, data={
        "topic": "教育局新闻发布会", "held_at": dt.datetime(2026, 10, 13, 10, tzinfo=BEIJING), "speakers": "局长"})
    url = reverse("portal:conferences_feed", args=[records.agency_a.code])
    mine = atom_entries(client, url)
    assert list(mine) == ["城区供水保障新闻发布会", "县级财政专项资金管理新闻发布会"]  # newest held first
    assert "县住建局局长 李某某" in mine["城区供水保障新闻发布会"].findtext(f"{ATOM}summary")
    assert "尚未发布的发布会实录" not in client.get(url).content.decode()
    assert set(atom_entries(client, reverse("portal:conferences_feed_all"))) == {
        "城区供水保障新闻发布会", "县级财政专项资金管理新闻发布会", "教育局新闻发布会"}

    from gongkai.orgs import services as org_services

    org_services.agency_update(actor=None, agency=records.agency_b, changes={"is_active": False})
    assert "教育局新闻发布会" not in atom_entries(client, reverse("portal:conferences_feed_all"))
    assert client.get(reverse("portal:conferences_feed", args=[records.agency_b.code])).status_code == 404


def test_the_list_pages_and_the_hub_offer_both_feeds(records, client):
    code = records.agency_a.code
    alternate = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    hub = client.get(reverse("portal:agency_participation", args=[code])).content.decode()
    for title, name in (("回应关切", "portal:responses_feed"), ("新闻发布会", "portal:conferences_feed")):
        assert alternate.format(records.agency_a.name + title, reverse(name, args=[code])) in hub
    wide = client.get(reverse("portal:participation")).content.decode()
    for title, name in (("回应关切", "portal:responses_feed_all"), ("新闻发布会", "portal:conferences_feed_all")):
        assert alternate.format(title, reverse(name)) in wide
    listing = client.get(reverse("portal:conferences", args=[code])).content.decode()
    assert alternate.format(records.agency_a.name + "新闻发布会", reverse("portal:conferences_feed", args=[code])) in listing
    column = client.get(reverse("portal:catalogue", args=[code, "hygq"])).content.decode()
    assert alternate.format(records.agency_a.name + "回应关切", reverse("portal:responses_feed", args=[code])) in column
    other_column = client.get(reverse("portal:catalogue", args=[code, "yjs"])).content.decode()
    assert reverse("portal:responses_feed", args=[code]) not in other_column


def test_both_column_pages_carry_the_column_tags(records, client):
    from gongkai.portal.tests.test_site_identity import metas

    agency = metas(client.get(reverse("portal:agency_participation", args=[records.agency_a.code])))
    assert (agency["ColumnName"], agency["ColumnType"]) == ("政民互动", "互动交流")
    assert agency["ColumnDescription"] == f"{records.agency_a.name}·政民互动"
    wide = metas(client.get(reverse("portal:participation")))
    assert (wide["ColumnName"], wide["ColumnType"], wide["ColumnDescription"]) == ("政民互动", "互动交流", "政民互动")
    # Other columns keep the site's type.
    assert metas(client.get(reverse("portal:guide", args=[records.agency_a.code])))["ColumnType"] == "政府信息公开"
