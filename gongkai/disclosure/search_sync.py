"""Keeping the search index in step with items, inside the same transaction as the change."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gongkai.disclosure.sanitize import text_of


def key_for(item) -> str:
    return f"item:{item.pk}"


def document_for(item):
    from gongkai.search.index import SearchDocument

    # Ordered and shown by the official 发布日期, not by when the row last changed.
    published = timezone.make_aware(dt.datetime.combine(item.published_on, dt.time(12)))
    return SearchDocument(
        key=key_for(item), agency_code=item.agency.code, index_number=item.index_number or "", title=item.title,
        body=" ".join(filter(None, [item.summary, text_of(item.public_body), item.document_number, item.keywords])),
        attachments_text="\n".join(a.text for a in item.attachments.all()),
        published_at=published, category=item.catalogue_node.code, genre=item.genre.code, validity=item.validity,
        url=reverse("portal:item", args=[item.agency.code, item.pk]),
    )


def agency_visibility_changed(agency) -> None:
    """An agency taken off (or put back on) the portal takes its items out of (or back into) search."""
    from gongkai.disclosure.models import Item, Status
    from gongkai.search.index import index_documents, remove_documents

    items = Item.objects.filter(agency=agency, status=Status.PUBLISHED).select_related(
        "agency", "catalogue_node", "genre").prefetch_related("attachments")
    if agency.is_active:
        index_documents(document_for(item) for item in items if item.is_public)
    else:
        remove_documents(key_for(item) for item in items)


def sync(item) -> None:
    from gongkai.search.index import index_documents, remove_documents

    if item.is_public:
        index_documents([document_for(item)])
    else:
        remove_documents([key_for(item)])
