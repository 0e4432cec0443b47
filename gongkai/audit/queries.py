from gongkai.audit.models import AuditEntry


def audit_entries_for_agency(agency, *, action: str | None = None, date_from=None, date_to=None):
    """An agency's entries; ``agency=None`` gives the platform's own (areas, calendar, system admins)."""
    entries = AuditEntry.objects.filter(agency=agency) if agency else AuditEntry.objects.filter(agency__isnull=True)
    entries = entries.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries
