import io

import pytest
from django.core.management import call_command

from gongkai.audit.models import AuditEntry
from gongkai.conftest import on
from gongkai.demo import county
from gongkai.demo.tests.conftest import DEMO_DAY
from gongkai.orgs import access
from gongkai.orgs.models import Agency, AgencyKind
from gongkai.orgs.roles import Role

pytestmark = [pytest.mark.django_db, on(DEMO_DAY)]


def test_demo_builds_a_county_with_every_role_and_prints_logins(demo, django_user_model):
    out = demo
    county_gov = Agency.objects.get(name="清河县人民政府")
    below = Agency.objects.filter(parent=county_gov)
    assert below.filter(kind=AgencyKind.DEPARTMENT).count() >= 10
    assert below.filter(area__level="township").count() >= 4
    roles = set(django_user_model.objects.values_list("memberships__role", flat=True))
    assert roles == set(Role.values)
    for username, *_ in county.PEOPLE:
        assert username in out
    assert county.PASSWORD in out
    # One authenticator secret for all demo accounts, printed with the logins (demo/builder.py).
    from gongkai.demo.builder import demo_authenticator_secret

    secret = demo_authenticator_secret()
    assert len(secret) == 32 and secret in out
    assert AuditEntry.objects.filter(action="create", object_type="orgs.agency").count() == Agency.objects.count()


def test_demo_is_idempotent(demo):
    count = Agency.objects.count()
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert Agency.objects.count() == count
    assert "已存在" in again.getvalue() and "已存在" not in demo


def test_demo_county_supervisor_reaches_every_department(demo, django_user_model):
    supervisor = django_user_model.objects.get(username="qh_jiandu")
    county_gov = Agency.objects.get(name="清河县人民政府")
    assert access.agencies_visible_to(supervisor).count() == Agency.objects.filter(path__startswith=county_gov.path).count()


def test_demo_agency_codes_have_valid_check_characters():
    for serial, (_key, _name, _kind, area, *_rest) in enumerate(county.AGENCIES, start=1):
        code = county.uscc(area, serial)
        assert len(code) == 18
        total = sum(county.USCC_CHARS.index(c) * w for c, w in zip(code[:17], county.USCC_WEIGHTS, strict=True))
        assert (total + county.USCC_CHARS.index(code[17])) % 31 == 0


def test_demo_has_last_years_reports_at_every_step_and_one_on_the_portal(demo, client):
    from django.urls import reverse

    from gongkai.reports.models import AnnualReport, ReportStatus

    statuses = set(AnnualReport.objects.values_list("status", flat=True))
    assert {ReportStatus.PUBLISHED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.IN_REVIEW} <= statuses
    assert not AnnualReport.objects.filter(submitted_late=True).exists()
    published = AnnualReport.objects.get(agency__name="清河县财政局")
    assert published.data["requests"]["total_processed"]["total"] == 6  # last year's casework was counted
    assert published.data["requests"]["carried_forward"]["total"] == 1
    column = client.get(reverse("portal:reports")).content.decode()
    assert "清河县财政局" in column and "清河县人民政府" in column


def test_two_agencies_generated_narratives_differ_beyond_their_names_and_numbers(demo):
    from django.conf import settings

    from gongkai.reports.computation.compute import build_report
    from gongkai.reports.computation.narrative import similarity
    from gongkai.reports.models import ReportVersion
    from gongkai.reports.rendering.drafting import draft_text
    from gongkai.reports.rendering.records import records_of

    year = ReportVersion.objects.values_list("report__year", flat=True).first()
    finance, civil = Agency.objects.get(name="清河县财政局"), Agency.objects.get(name="清河县民政局")
    drafts = {a: draft_text(build_report(a, year), records_of(a, year)) for a in (finance, civil)}
    ratio = similarity(drafts[finance]["一"], drafts[civil]["一"], a_name=finance.name, b_name=civil.name)
    assert ratio < settings.GONGKAI_NARRATIVE_SIMILARITY, ratio
    # And what they published is named: each agency's own catalogue sections.
    assert drafts[finance]["一"] != drafts[civil]["一"].replace(civil.name, finance.name)


def test_demo_has_a_policy_read_in_three_forms_a_concern_response_and_a_press_conference(demo, client):
    from django.urls import reverse

    from gongkai.demo.responses import POLICY_TITLE
    from gongkai.disclosure import responses
    from gongkai.disclosure.models import ConcernResponse, Item, PressConference

    policy = Item.objects.get(title=POLICY_TITLE)
    assert sorted(policy.interpretations.filter(status="published").values_list("interpretation_form", flat=True)) == [
        "graphic", "qa", "text"]
    assert policy.interpretations.get(interpretation_form="graphic").attachments.get().kind == "png"
    page = client.get(reverse("portal:item", args=[policy.agency.code, policy.pk])).content.decode()
    assert "<h3>文字解读</h3>" in page and "<h3>图解</h3>" in page and "<h3>问答</h3>" in page
    concern = ConcernResponse.objects.select_related("item").get()
    timing = responses.timing(concern)
    assert timing.elapsed_text == "3小时40分钟" and not timing.late
    conference = PressConference.objects.get()
    assert list(conference.related_items.all()) == [policy] and conference.transcript.status == "published"


def test_last_years_letters_carry_their_cases_dates_and_year(demo):
    from django.utils import timezone

    from gongkai.applications.letters.context import cn_date
    from gongkai.applications.models import Letter

    last_year = DEMO_DAY.year - 1
    letters = Letter.objects.filter(application__received_on__year=last_year).select_related("application")
    assert letters.count() >= 2 * 17  # each of last year's cases: its 受理回执 and its 答复书
    for letter in letters:
        application, signed = letter.application, timezone.localtime(letter.issued_at).date()
        assert f"〔{signed.year}〕" in letter.number, letter.number
        if letter.kind == "receipt":
            assert signed == application.received_on
        else:  # a reply of a December case may be signed in January; closed that day
            assert signed == application.closed_on == application.replied_on
            assert application.received_on < signed <= application.due_on, (application.received_on, signed)
        assert cn_date(application.received_on) in letter.body
    assert {timezone.localtime(le.issued_at).year for le in letters} == {last_year, DEMO_DAY.year}
    assert not letters.filter(issued_at__date=DEMO_DAY).exists()


def test_last_years_annual_report_counts_the_normative_documents_made_and_repealed(demo):
    from gongkai.reports.models import AnnualReport

    finance = AnnualReport.objects.get(agency__name="清河县财政局").data["active"]["normative_documents"]
    # 2025: two issued; the 2023 暂行办法 repealed by the new one; both new ones in force.
    assert (finance["issued"], finance["repealed"], finance["in_force"]) == (2, 1, 2)
    county_gov = AnnualReport.objects.get(agency__name="清河县人民政府").data["active"]["normative_documents"]
    assert (county_gov["issued"], county_gov["repealed"], county_gov["in_force"]) == (2, 1, 2)


def test_the_draft_names_the_normative_documents_repealed_as_well_as_made(demo):
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.rendering.drafting import documents_sentence

    finance = AnnualReport.objects.get(agency__name="清河县财政局").data
    assert documents_sentence(finance, "2021") == "制发文件方面，行政规范性文件本年制发2件、本年废止1件、现行有效2件。"
