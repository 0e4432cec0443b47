"""Drafting, opening and closing consultations: the period rule, permissions and audit rows."""

import datetime as dt

import pytest

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import on
from gongkai.consultations import rules, services
from gongkai.consultations.models import Consultation, ConsultationAttachment, Status
from gongkai.consultations.tests.conftest import consultation_data, opened
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_create_stores_a_draft_with_sanitised_body_and_attachment_and_an_audit_row(world):
    consultation = services.consultation_create(
        actor=world.drafter_a, agency=world.agency_a,
        data=consultation_data(draft_body="<p>第一条 <b>总则</b></p><p style='color:red'>第二条</p>"),
        files=[("规划草案.pdf", PDF)])
    assert consultation.status == Status.DRAFT
    assert consultation.draft_body == "<p>第一条 <b>总则</b></p><p>第二条</p>"
    assert list(consultation.attachments.values_list("original_name", flat=True)) == ["规划草案.pdf"]
    row = AuditEntry.objects.get(object_type="consultations.consultation", object_id=str(consultation.pk))
    assert row.action == Action.CREATE and row.after["attachments"] == ["规划草案.pdf"]


def test_a_draft_with_script_or_a_bad_attachment_is_refused_and_nothing_is_saved(world):
    with pytest.raises(ServiceError) as refused:
        services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                     data=consultation_data(draft_body="<script>alert(1)</script>第一条"))
    assert refused.value.code == "SCRIPT_NOT_ALLOWED"
    with pytest.raises(ServiceError) as refused:
        services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data(),
                                     files=[("规划草案.pdf", b"MZ\x90\x00 not a pdf")])
    assert refused.value.code == "ATTACHMENT_TYPE_NOT_ALLOWED"
    assert not Consultation.objects.exists() and not ConsultationAttachment.objects.exists()


def test_a_major_decision_of_29_days_is_refused_and_allowed_with_a_reason(world):
    short = consultation_data(kind="major_decision", ends_on=dt.date(2026, 3, 30))
    with pytest.raises(ServiceError) as refused:
        services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=short)
    assert refused.value.code == "PERIOD_TOO_SHORT" and refused.value.field == "short_period_reason"
    assert not Consultation.objects.exists()
    short["short_period_reason"] = "上级要求月底前报送，征求意见时间相应缩短。"
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=short)
    services.consultation_open(actor=world.drafter_a, consultation=consultation)
    assert Consultation.objects.get().status == Status.OPENED


def test_the_rule_is_checked_again_on_opening(world, settings):
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                                data=consultation_data(kind="major_decision"))
    settings.GONGKAI_CONSULTATION_MAJOR_MIN_DAYS = 31
    with pytest.raises(ServiceError) as refused:
        services.consultation_open(actor=world.drafter_a, consultation=consultation)
    assert refused.value.code == "PERIOD_TOO_SHORT"
    consultation.refresh_from_db()
    assert consultation.status == Status.DRAFT and consultation.opened_on is None


def test_a_decision_entry_of_another_agency_or_for_another_kind_is_refused(world):
    own = services.decision_entry_add(actor=world.drafter_a, agency=world.agency_a, year=2026, title="县城区停车收费调整")
    other = services.decision_entry_add(actor=world.drafter_b, agency=world.agency_b, year=2026, title="学区划分调整")
    with pytest.raises(ServiceError) as refused:
        services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                     data=consultation_data(kind="major_decision", decision_entry=other))
    assert refused.value.code == "DECISION_ENTRY_INVALID"
    with pytest.raises(ServiceError) as refused:
        services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                     data=consultation_data(kind="plan", decision_entry=own))
    assert refused.value.code == "DECISION_ENTRY_KIND"
    with pytest.raises(ServiceError) as refused:
        services.decision_entry_add(actor=world.drafter_a, agency=world.agency_a, year=2026, title="县城区停车收费调整")
    assert refused.value.code == "DECISION_DUPLICATE"
    made = services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                        data=consultation_data(kind="major_decision", decision_entry=own))
    assert made.decision_entry == own


def test_opening_is_audited_with_before_and_after_and_freezes_the_draft(world):
    consultation = opened(world)
    row = AuditEntry.objects.get(action=Action.CONSULTATION_OPEN)
    assert row.before["status"] == "draft" and row.after["status"] == "opened" and row.after["opened_on"] == "2026-03-02"
    with pytest.raises(ServiceError) as refused:
        services.consultation_update(actor=world.drafter_a, consultation=consultation,
                                     data=consultation_data(title="改过的标题"))
    assert refused.value.code == "CONSULTATION_NOT_DRAFT"
    assert Consultation.objects.get().title == consultation_data()["title"]
    with pytest.raises(ServiceError) as refused:
        services.consultation_open(actor=world.drafter_a, consultation=consultation)
    assert refused.value.code == "CONSULTATION_ALREADY_OPEN"


def test_an_online_consultation_whose_end_has_passed_cannot_be_opened_an_offline_one_can(world):
    past = consultation_data(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 2, 27))
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=past)
    with pytest.raises(ServiceError) as refused:
        services.consultation_open(actor=world.drafter_a, consultation=consultation)
    assert refused.value.code == "PERIOD_PASSED"
    offline = services.consultation_create(actor=world.drafter_a, agency=world.agency_a,
                                           data={**past, "accepts_online": False})
    services.consultation_open(actor=world.drafter_a, consultation=offline)
    assert rules.phase(Consultation.objects.get(pk=offline.pk), dt.date(2026, 3, 2)) == rules.Phase.CLOSED


def test_staff_of_another_agency_and_reviewers_without_the_right_are_refused(world):
    with pytest.raises(PermissionDeniedError):
        services.consultation_create(actor=world.drafter_b, agency=world.agency_a, data=consultation_data())
    with pytest.raises(PermissionDeniedError):
        services.consultation_create(actor=world.leader_a, agency=world.agency_a, data=consultation_data())
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data())
    with pytest.raises(PermissionDeniedError):
        services.consultation_open(actor=world.admin_b, consultation=consultation)
    assert Consultation.objects.get().status == Status.DRAFT


def test_closing_early_needs_a_reason_and_ends_the_period_that_day(world):
    consultation = opened(world)
    with pytest.raises(ServiceError) as refused:
        services.consultation_close(actor=world.drafter_a, consultation=consultation, reason=" ")
    assert refused.value.code == "CLOSE_REASON_MISSING"
    services.consultation_close(actor=world.drafter_a, consultation=consultation, reason="草案已撤回，另行起草。")
    consultation.refresh_from_db()
    assert consultation.last_day == dt.date(2026, 3, 1)
    assert rules.phase(consultation, dt.date(2026, 3, 2)) == rules.Phase.CLOSED
    row = AuditEntry.objects.get(action=Action.CONSULTATION_CLOSE)
    assert row.before["closed_early_on"] is None and row.after["closed_early_on"] == "2026-03-02"


def test_a_draft_is_edited_with_its_attachments_and_the_change_audited(world, client, login):
    consultation = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data(),
                                                files=[("旧草案.pdf", PDF)])
    old = consultation.attachments.get()
    login(world.drafter_a)
    data = {k: v for k, v in consultation_data(title="关于《测试县养老服务设施布局规划（第二稿）》公开征求意见的公告").items()
            if k not in ("accepts_online", "requires_name")}
    data.update(accepts_online="on", remove=[str(old.pk)])
    response = client.post(f"/staff/a/{world.agency_a.code}/consultations/{consultation.pk}/edit/", data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert "第二稿" in consultation.title and not consultation.attachments.exists()
    row = AuditEntry.objects.get(action=Action.CONSULTATION_UPDATE)
    assert row.before["attachments"] == ["旧草案.pdf"] and row.after["attachments"] == []
    assert "第二稿" in row.after["title"] and "第二稿" not in row.before["title"]
