"""行政复议 and 行政诉讼 records (条例第51条; annual report table 四)."""

from django.db import transaction

from gongkai.applications.models import Appeal
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm

FIELDS = ["kind", "body", "case_number", "filed_on", "stage", "outcome", "decided_on"]


def appeal_add(*, actor, application, kind: str, body: str, filed_on, case_number: str = "") -> Appeal:
    access.require(actor, Perm.HANDLE_APPLICATIONS, application.agency)
    if kind not in Appeal.Kind.values:
        raise ServiceError("APPEAL_KIND_INVALID", "请选择行政复议或行政诉讼（直接起诉/复议后起诉）。", field="kind")
    body = (body or "").strip()
    if not body:
        raise ServiceError("APPEAL_BODY_REQUIRED", "请填写复议机关或审理法院。", field="body")
    if filed_on is None:
        raise ServiceError("APPEAL_DATE_REQUIRED", "请填写申请复议或起诉的日期。", field="filed_on")
    if filed_on < application.received_on:
        raise ServiceError("APPEAL_DATE_INVALID", "复议或起诉日期不能早于收到申请的日期。", field="filed_on")
    for value, field, label in ((body, "body", "复议机关/审理法院"), (case_number, "case_number", "案号")):
        refuse_active_content(value, field=field, label=label)
    with transaction.atomic():
        appeal = Appeal.objects.create(application=application, kind=kind, body=body, filed_on=filed_on,
                                       case_number=(case_number or "").strip())
        record(actor=actor, action=Action.CREATE, obj=appeal, agency=application.agency, after=snapshot(appeal, FIELDS))
    return appeal


def appeal_decide(*, actor, appeal, outcome: str, decided_on=None, stage: str = "") -> Appeal:
    access.require(actor, Perm.HANDLE_APPLICATIONS, appeal.application.agency)
    if outcome not in Appeal.Outcome.values:
        raise ServiceError("APPEAL_OUTCOME_INVALID", "请选择审理结果。", field="outcome")
    if outcome != Appeal.Outcome.PENDING and decided_on is None:
        raise ServiceError("APPEAL_DECIDED_ON_REQUIRED", "已审结的请填写审结日期。", field="decided_on")
    refuse_active_content(stage, field="stage", label="阶段")
    with transaction.atomic():
        before = snapshot(appeal, FIELDS)
        appeal.outcome = outcome
        appeal.decided_on = decided_on if outcome != Appeal.Outcome.PENDING else None
        appeal.stage = (stage or appeal.stage).strip()
        appeal.save()
        record(actor=actor, action=Action.APPEAL_DECIDE, obj=appeal, agency=appeal.application.agency, before=before,
               after=snapshot(appeal, FIELDS))
    return appeal
