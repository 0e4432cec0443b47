import csv
import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from gongkai.audit import security_events as events
from gongkai.audit.display import Reader, object_type_label
from gongkai.audit.models import Action
from gongkai.audit.queries import audit_actors, audit_entries_for_agency, audit_object_types
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.web.cells import safe_row
from gongkai.web.scope import agency_for, current_agency
from gongkai.web.workspace import workspace

EXPORT_COLUMNS = ["时间", "操作人", "动作", "对象类型", "对象编号", "对象", "变更字段", "变更前", "变更后", "说明"]


def _filters(request):
    def parse(name):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    action = request.GET.get("action") or None
    actor = request.GET.get("actor", "")
    return {"action": action if action in Action.values else None, "date_from": parse("from"), "date_to": parse("to"),
            "actor_id": int(actor) if actor.isdigit() else None, "object_type": request.GET.get("type") or None,
            "object_id": request.GET.get("id") or None}


# Where a clerk can open the object a row is about (the staff page, in the row's agency).
OBJECT_PAGES = {
    "disclosure.item": "disclosure_staff:item",
    "applications.application": "applications_staff:case",
    "reports.annualreport": "reports_staff:filing",
    "auth.user": "staff:person",
}


def object_url(entry) -> str:
    if entry.object_type == "orgs.agency" and entry.agency is not None and str(entry.agency_id) == entry.object_id:
        return reverse("staff:agency", args=[entry.agency.code])
    name = OBJECT_PAGES.get(entry.object_type)
    if name is None or entry.agency is None or not entry.object_id.isdigit():
        return ""
    return reverse(name, args=[entry.agency.code, int(entry.object_id)])


def _rows(page):
    reader = Reader()
    return [{"entry": e, "type_label": object_type_label(e.object_type), "url": object_url(e),
             "changes": reader.changes(e)} for e in page]


def _log_page(request, agency, *, scope_agency, export_url: str, heading: str):
    filters = _filters(request)
    page = Paginator(audit_entries_for_agency(scope_agency, **filters), 50).get_page(request.GET.get("page"))
    object_types = [(t, object_type_label(t)) for t in audit_object_types(scope_agency)]
    return render(request, "staff/audit_log.html", workspace(
        request, agency, section="audit" if scope_agency else "platform_audit", page=page, rows=_rows(page),
        filters=filters, actions=Action.choices, actors=audit_actors(scope_agency), object_types=object_types,
        query=request.GET.urlencode(), export_url=export_url, heading=heading,
    ))


@login_required
def audit_log(request, code):
    agency = agency_for(request, code, Perm.VIEW_AUDIT)
    return _log_page(request, agency, scope_agency=agency, heading=f"审计日志：{agency.name}",
                     export_url=reverse("staff:audit_export", args=[agency.code]))


@login_required
def platform_audit_log(request):
    _require_platform_admin(request)
    return _log_page(request, current_agency(request), scope_agency=None, heading="平台审计日志（区划、日历、平台角色、登录）",
                     export_url=reverse("staff:platform_audit_export"))


def _require_platform_admin(request):
    if not access.can(request.user, Perm.VIEW_AUDIT):  # a platform-wide right: the 审计管理员's
        raise PermissionDenied("只有审计管理员可以查看平台审计日志。")


def _row(entry) -> list:
    import json

    def dump(value):
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    return [
        timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_label, entry.get_action_display(),
        entry.object_type, entry.object_id, entry.object_repr, "、".join(entry.changed_fields()),
        dump(entry.before), dump(entry.after), entry.note,
    ]


@login_required
def audit_export(request, code):
    agency = agency_for(request, code, Perm.VIEW_AUDIT)
    return _export(request, agency, agency.code)


@login_required
def platform_audit_export(request):
    _require_platform_admin(request)
    return _export(request, None, "platform")


def _export(request, agency, name: str):
    entries = audit_entries_for_agency(agency, **_filters(request)).order_by("at", "id")
    events.exported(actor=request.user, obj=agency or request.user, agency=agency,
                    note=f"导出审计日志（{request.GET.urlencode() or '全部'}）")
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("审计日志")
        sheet.append(EXPORT_COLUMNS)
        for entry in entries.iterator():
            sheet.append(safe_row(_row(entry)))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{name}-{stamp}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(EXPORT_COLUMNS)
    for entry in entries.iterator():
        writer.writerow(safe_row(_row(entry)))
    # UTF-8 with BOM so that Excel/WPS on Windows open the Chinese text correctly.
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{name}-{stamp}.csv"'
    return response
