"""Assessment (考核) services: load the preset schemes, edit an indicator's points, run a scheme
for a period, add manual findings, let an agency respond (申辩), decide responses, finalise, and
read the results. Every write checks its permission, runs in one transaction and is audited."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.supervision import scoring
from gongkai.supervision.indicators import INDICATORS, evaluate
from gongkai.supervision.models import (
    Assessment,
    AssessmentFinding,
    AssessmentState,
    Finding,
    ResponseState,
    RuleKind,
    Scheme,
    SchemeArea,
    SchemeIndicator,
)
from gongkai.supervision.oversight import require_oversee, subordinate_agencies
from gongkai.supervision.presets import PRESETS

RESPONSE_MAX = 2000


def presets_load(*, actor) -> list[Scheme]:
    """Create the preset schemes not yet loaded (by preset key); loaded ones are left as edited."""
    if not access.is_system_admin(actor):
        raise PermissionDeniedError("只有系统管理员可以载入考核方案。")
    created = []
    with transaction.atomic():
        for preset in PRESETS:
            if Scheme.objects.filter(preset=preset["key"]).exists():
                continue
            scheme = Scheme.objects.create(name=preset["name"], description=preset["description"], preset=preset["key"],
                                           fail_below=preset["fail_below"], bonus_above=preset["bonus_above"],
                                           bonus_max=preset["bonus_max"])
            for i, (area_name, points, skippable, rules) in enumerate(preset["areas"]):
                area = SchemeArea.objects.create(scheme=scheme, name=area_name, points=points, skippable=skippable,
                                                 sort_order=i)
                for j, (name, kind, code, cap, per, veto_at) in enumerate(rules):
                    SchemeIndicator.objects.create(area=area, name=name, kind=kind, indicator=code, points=cap,
                                                   per_finding=per, veto_at=veto_at, sort_order=j)
            record(actor=actor, action=Action.SCHEME_LOAD, obj=scheme, after={"preset": preset["key"]},
                   note=f"载入预置考核方案：{scheme.name}")
            created.append(scheme)
    return created


def _decimal(value, label, field) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError("NUMBER_INVALID", f"{label}应为数字，如 0.5。", field=field) from None
    if number < 0 or number > 1000:
        raise ServiceError("NUMBER_INVALID", f"{label}应在0到1000之间。", field=field)
    return number


RULE_FIELDS = ["name", "points", "per_finding", "veto_at"]


def rule_update(*, actor, rule: SchemeIndicator, points, per_finding, veto_at: int) -> SchemeIndicator:
    """Change an indicator's cap, deduction per finding and veto line (the scheme is data)."""
    if not access.is_system_admin(actor):
        raise PermissionDeniedError("只有系统管理员可以修改考核方案。")
    if rule.area.scheme.assessments.filter(state=AssessmentState.OPEN).exists():
        raise ServiceError("SCHEME_IN_USE", "该方案有正在申辩期的考核，定稿后再修改。")
    points, per = _decimal(points, "分值", "points"), _decimal(per_finding, "每个问题扣（加）分", "per_finding")
    if not isinstance(veto_at, int) or veto_at < 1:
        raise ServiceError("NUMBER_INVALID", "否决线应为正整数。", field="veto_at")
    with transaction.atomic():
        before = snapshot(rule, RULE_FIELDS)
        rule.points, rule.per_finding, rule.veto_at = points, per, veto_at
        rule.save(update_fields=["points", "per_finding", "veto_at"])
        record(actor=actor, action=Action.SCHEME_RULE_UPDATE, obj=rule, before=before, after=snapshot(rule, RULE_FIELDS))
    return rule


def assessment_start(*, actor, scheme: Scheme, office: Agency, title: str, start: dt.date, end: dt.date,
                     respond_by: dt.date, assessor: str = "", exempt_areas=()) -> Assessment:
    """Run ``scheme`` over the office's subordinate agencies for [start, end]: every automatic
    indicator's findings in the period become the assessment's findings, each traceable to its record."""
    require_oversee(actor, office)
    title = (title or "").strip()
    if not title:
        raise ServiceError("TITLE_REQUIRED", "请填写考核名称，如“2026年第三季度政务公开考核”。", field="title")
    if start > end:
        raise ServiceError("PERIOD_INVALID", "考核期的开始日期不能晚于结束日期。", field="start")
    if respond_by < end:
        raise ServiceError("RESPOND_BY_INVALID", "申辩截止日期不能早于考核期结束日期。", field="respond_by")
    bad = [a for a in exempt_areas if a.scheme_id != scheme.pk or not a.skippable]
    if bad:
        raise ServiceError("EXEMPT_INVALID", f"“{bad[0].name}”不是本方案中可不适用的一级指标。", field="exempt")
    agencies = {a.pk: a for a in subordinate_agencies(office).filter(is_active=True)}
    rules = [r for r in SchemeIndicator.objects.filter(area__scheme=scheme) if r.indicator in INDICATORS]
    codes = sorted({r.indicator for r in rules})
    hits = evaluate(agencies, start, end, codes=codes) if codes and agencies else []
    known = {(f.indicator, f.subject_type, f.subject_id): f.pk
             for f in Finding.objects.filter(agency_id__in=list(agencies), indicator__in=codes)}
    with transaction.atomic():
        assessment = Assessment.objects.create(scheme=scheme, office=office, title=title, start=start, end=end,
                                               respond_by=respond_by, assessor=assessor.strip()[:200], created_by=actor)
        assessment.exempt.set(exempt_areas)
        AssessmentFinding.objects.bulk_create([
            AssessmentFinding(assessment=assessment, agency_id=hit.agency_id, rule=rule, subject_repr=hit.subject_repr,
                              detail=hit.detail, finding_id=known.get((hit.indicator, hit.subject_type, hit.subject_id)))
            for hit in hits for rule in rules if rule.indicator == hit.indicator])
        record(actor=actor, action=Action.ASSESSMENT_START, obj=assessment, agency=office,
               after={"scheme": scheme.pk, "start": start.isoformat(), "end": end.isoformat(), "findings": len(hits)},
               note=f"开始考核：{title}")
    return assessment


def _require_open(assessment: Assessment):
    if assessment.state != AssessmentState.OPEN:
        raise ServiceError("ASSESSMENT_FINAL", "该考核已定稿，不能再修改。")


def finding_add(*, actor, assessment: Assessment, agency: Agency, rule: SchemeIndicator, subject: str,
                evidence: str) -> AssessmentFinding:
    """An assessor's manual finding (or bonus entry), with its evidence."""
    require_oversee(actor, assessment.office)
    _require_open(assessment)
    if rule.area.scheme_id != assessment.scheme_id:
        raise ServiceError("RULE_INVALID", "该指标不属于本考核的方案。", field="rule")
    if not subordinate_agencies(assessment.office).filter(pk=agency.pk).exists():
        raise ServiceError("AGENCY_NOT_SUBORDINATE", f"“{agency.name}”不是考核机关的下级机关。", field="agency")
    evidence, subject = (evidence or "").strip(), (subject or "").strip()
    if not evidence:
        raise ServiceError("EVIDENCE_REQUIRED", "请写明问题和证据（如网址、截图编号、检查时间）。", field="evidence")
    with transaction.atomic():
        entry = AssessmentFinding.objects.create(assessment=assessment, agency=agency, rule=rule, manual=True,
                                                 subject_repr=(subject or rule.name)[:300], detail=evidence[:500],
                                                 recorded_by=actor)
        record(actor=actor, action=Action.ASSESSMENT_ADD, obj=entry, agency=agency,
               after=snapshot(entry, ["rule", "subject_repr", "detail"]), note=f"{assessment.title}：人工检查")
    return entry


def finding_respond(*, actor, entry: AssessmentFinding, text: str, today: dt.date | None = None) -> AssessmentFinding:
    """申辩: the agency's office answers one finding before the assessment's deadline."""
    access.require(actor, Perm.EDIT_AGENCY, entry.agency)
    assessment = entry.assessment
    _require_open(assessment)
    today = today or timezone.localdate()
    if today > assessment.respond_by:
        raise ServiceError("RESPONSE_TOO_LATE", f"申辩截止日期（{assessment.respond_by:%Y年%m月%d日}）已过。")
    text = (text or "").strip()
    if not text or len(text) > RESPONSE_MAX:
        raise ServiceError("RESPONSE_INVALID", f"请填写申辩理由（不超过{RESPONSE_MAX}字）。", field="text")
    with transaction.atomic():
        before = snapshot(entry, ["response", "response_state"])
        entry.response, entry.response_state, entry.response_by = text, ResponseState.PENDING, actor
        entry.save(update_fields=["response", "response_state", "response_by"])
        record(actor=actor, action=Action.ASSESSMENT_RESPOND, obj=entry, agency=entry.agency, before=before,
               after=snapshot(entry, ["response", "response_state"]), note="提出申辩")
    return entry


def finding_decide(*, actor, entry: AssessmentFinding, accept: bool, note: str = "") -> AssessmentFinding:
    """The office accepts a response (the finding no longer counts) or rejects it."""
    require_oversee(actor, entry.assessment.office)
    _require_open(entry.assessment)
    if entry.response_state != ResponseState.PENDING:
        raise ServiceError("NO_PENDING_RESPONSE", "该问题没有待审核的申辩。")
    with transaction.atomic():
        before = snapshot(entry, ["response_state", "decision_note"])
        entry.response_state = ResponseState.ACCEPTED if accept else ResponseState.REJECTED
        entry.decision_note = (note or "").strip()[:300]
        entry.save(update_fields=["response_state", "decision_note"])
        record(actor=actor, action=Action.ASSESSMENT_DECIDE, obj=entry, agency=entry.agency, before=before,
               after=snapshot(entry, ["response_state", "decision_note"]), note="审核申辩")
    return entry


def assessment_finalise(*, actor, assessment: Assessment, today: dt.date | None = None) -> Assessment:
    require_oversee(actor, assessment.office)
    _require_open(assessment)
    today = today or timezone.localdate()
    if today <= assessment.respond_by:
        raise ServiceError("RESPONSE_PERIOD_OPEN", f"申辩期至{assessment.respond_by:%Y年%m月%d日}，之后才能定稿。")
    if assessment.findings.filter(response_state=ResponseState.PENDING).exists():
        raise ServiceError("RESPONSES_PENDING", "还有未审核的申辩，请先审核。")
    with transaction.atomic():
        assessment.state, assessment.finalised_at = AssessmentState.FINAL, timezone.now()
        assessment.save(update_fields=["state", "finalised_at"])
        record(actor=actor, action=Action.ASSESSMENT_FINALISE, obj=assessment, agency=assessment.office,
               before={"state": AssessmentState.OPEN}, after={"state": AssessmentState.FINAL}, note="考核定稿")
    return assessment


def assessment_publish(*, actor, assessment: Assessment, publish: bool = True) -> Assessment:
    """Put a final assessment's results and ranking on the portal, or take them off. Only final
    results go out: during the 申辩 period a score may still change."""
    require_oversee(actor, assessment.office)
    if publish and assessment.state != AssessmentState.FINAL:
        raise ServiceError("ASSESSMENT_NOT_FINAL", "考核定稿后才能公开结果。")
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        before = {"published": assessment.published_at is not None}
        if before["published"] == publish:
            return assessment
        assessment.published_at = timezone.now() if publish else None
        assessment.save(update_fields=["published_at"])
        record(actor=actor, action=Action.ASSESSMENT_PUBLISH, obj=assessment, agency=assessment.office, before=before,
               after={"published": publish}, note="在门户网站公开考核结果" if publish else "撤下门户网站上的考核结果")
    return assessment


def published_assessments():
    """What the portal lists: final assessments the office has published, newest period first."""
    return (Assessment.objects.filter(state=AssessmentState.FINAL, published_at__isnull=False, office__is_active=True)
            .select_related("office", "scheme"))


@dataclass
class Result:
    rank: int
    agency: Agency
    score: scoring.AgencyScore
    tied: bool = False


def results(assessment: Assessment) -> list[Result]:
    """Per-agency scores, ranked (不合格 by veto last; equal scores share a rank)."""
    scheme = Scheme.objects.prefetch_related("areas__indicators").get(pk=assessment.scheme_id)
    exempt = set(assessment.exempt.values_list("pk", flat=True))
    counts: dict[int, Counter] = {}
    for agency_id, rule_id, state in assessment.findings.values_list("agency_id", "rule_id", "response_state"):
        if state != ResponseState.ACCEPTED:
            counts.setdefault(agency_id, Counter())[rule_id] += 1
    agencies = list(subordinate_agencies(assessment.office).filter(is_active=True).order_by("sort_order", "code"))
    scored = [(a, scoring.score(scheme, counts.get(a.pk, Counter()), exempt_area_ids=exempt)) for a in agencies]
    scored.sort(key=lambda pair: (pair[1].final is None, -(pair[1].final or 0)))
    ranked, previous, rank = [], object(), 0
    for position, (agency, result) in enumerate(scored, start=1):
        if result.final != previous:
            rank, previous = position, result.final
        ranked.append(Result(rank, agency, result))
    ranks = Counter(r.rank for r in ranked)
    for r in ranked:
        r.tied = ranks[r.rank] > 1
    return ranked


def findings_of(user, assessment: Assessment, agency: Agency):
    """One agency's findings in an assessment: for the agency's own staff and for the office."""
    from gongkai.supervision.oversight import may_oversee

    if not (access.can(user, Perm.VIEW_WORK, agency) or may_oversee(user, assessment.office)):
        raise PermissionDeniedError("您无权查看该机关的考核问题。")
    if not subordinate_agencies(assessment.office).filter(pk=agency.pk).exists():
        raise PermissionDeniedError("该机关不在本次考核范围内。")
    return assessment.findings.filter(agency=agency).select_related("rule__area", "finding")


RULE_KINDS = dict(RuleKind.choices)


def assessments_covering(agency: Agency):
    """The assessments run by offices above ``agency``: the agency sees its findings in each."""
    ancestor_ids = [int(p) for p in agency.path.strip("/").split("/")[:-1] if p]
    return Assessment.objects.filter(office_id__in=ancestor_ids).select_related("office", "scheme")
