from gongkai.audit.models import AuditEntry


def audit_entries_for_agency(agency, *, action: str | None = None, date_from=None, date_to=None):
    entries = AuditEntry.objects.filter(agency=agency).select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries
