from gongkai.audit.models import AuditEntry


def audit_entries_for_agency(agency, *, action: str | None = None, date_from=None, date_to=None, actor_id=None,
                             object_type: str | None = None, object_id: str | None = None):
    """An agency's entries; ``agency=None`` gives the platform's own (areas, calendar, system admins)."""
    entries = AuditEntry.objects.filter(agency=agency) if agency else AuditEntry.objects.filter(agency__isnull=True)
    entries = entries.select_related("actor", "agency")
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if object_type:
        entries = entries.filter(object_type=object_type)
        if object_id:
            entries = entries.filter(object_id=object_id)
    return entries


def audit_actors(agency):
    """(id, label) of everyone with an entry in the agency's log (or the platform's), for the person filter."""
    entries = AuditEntry.objects.filter(agency=agency) if agency else AuditEntry.objects.filter(agency__isnull=True)
    seen = {}
    for actor_id, label in entries.exclude(actor=None).order_by("actor_id", "-at").values_list("actor_id", "actor_label"):
        seen.setdefault(actor_id, label)
    return sorted(seen.items(), key=lambda pair: pair[1])


def audit_object_types(agency) -> list[str]:
    entries = AuditEntry.objects.filter(agency=agency) if agency else AuditEntry.objects.filter(agency__isnull=True)
    return sorted(entries.order_by().values_list("object_type", flat=True).distinct())
