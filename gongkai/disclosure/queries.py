"""Named reads that encode rules: what the public sees, what waits for whom, what is late."""

from django.db.models import Count, Q

from gongkai.disclosure import workflow
from gongkai.disclosure.catalogue import settings_for
from gongkai.disclosure.models import Disclosure, Item, Status
from gongkai.orgs import access


def public_items():
    """Items the portal shows: published, proactively disclosed, agency active."""
    return (
        Item.objects.filter(status=Status.PUBLISHED, disclosure=Disclosure.PROACTIVE, agency__is_active=True)
        .select_related("agency", "catalogue_node", "genre", "topic")
    )


def public_counts_by_node(agency) -> dict[int, int]:
    rows = public_items().filter(agency=agency).values("catalogue_node").annotate(n=Count("id"))
    return {row["catalogue_node"]: row["n"] for row in rows}


def agency_items(agency):
    return Item.objects.filter(agency=agency).select_related("catalogue_node", "genre", "created_by")


def awaiting_review_by(user, agency):
    """Items at a review level whose permission ``user`` holds in ``agency``."""
    levels = settings_for(agency).review_levels
    mine = [level for level in range(1, levels + 1) if access.can(user, workflow.perm_for(levels, level), agency)]
    return agency_items(agency).filter(status=Status.IN_REVIEW, review_level__in=mine).order_by("updated_at")


def drafts_of(agency):
    return agency_items(agency).filter(status=Status.DRAFT).order_by("-updated_at")


def search_staff_items(agency, text: str):
    text = (text or "").strip()
    items = agency_items(agency)
    if text:
        items = items.filter(Q(title__icontains=text) | Q(document_number__icontains=text) | Q(index_number__icontains=text))
    return items
