"""Keeping the search index in step with items, inside the same transaction as the change."""

import contextlib
import datetime as dt
import threading

from django.urls import reverse
from django.utils import timezone

from gongkai.disclosure.sanitize import text_of


def key_for(item) -> str:
    return key_for_id(item.pk)


def key_for_id(item_id: int) -> str:
    return f"item:{item_id}"


def document_for(item):
    return document(
        key=key_for(item), agency_code=item.agency.code, index_number=item.index_number or "", title=item.title,
        summary=item.summary, public_body=item.public_body, document_number=item.document_number,
        keywords=item.keywords, attachments_text="\n".join(a.text for a in item.attachments.all()),
        published_on=item.published_on, category=item.catalogue_node.code, genre=item.genre.code,
        validity=item.validity, url=url_for(item.agency.code, item.pk),
    )


def document(*, key, agency_code, index_number, title, summary, public_body, document_number, keywords,
             attachments_text, published_on, category, genre, validity, url, public_text=None):
    """The search document of an item given as plain values (imports build it before the item has
    an id); ``public_text`` is ``text_of(public_body)`` when the caller already has it."""
    from gongkai.search.index import SearchDocument

    if public_text is None:
        public_text = text_of(public_body)
    # Ordered and shown by the official 发布日期, not by when the row last changed.
    published = timezone.make_aware(dt.datetime.combine(published_on, dt.time(12)))
    return SearchDocument(
        key=key, agency_code=agency_code, index_number=index_number, title=title,
        body=" ".join(filter(None, [summary, public_text, document_number, keywords])),
        attachments_text=attachments_text, published_at=published, category=category, genre=genre,
        validity=validity, url=url,
    )


def url_for(agency_code: str, pk: int) -> str:
    return reverse("portal:item", args=[agency_code, pk])


def url_maker():
    """``url_for`` for many items of one run: one ``reverse()`` per agency instead of per item."""
    placeholder = str(2**62)  # an id no item has
    templates: dict[str, str] = {}

    def make(agency_code: str, pk: int) -> str:
        if agency_code not in templates:
            templates[agency_code] = url_for(agency_code, int(placeholder))
        return templates[agency_code].replace(placeholder, str(pk))

    return make


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


_batch = threading.local()  # .item_ids: the items a batched() block has synced so far, or None


def sync(item) -> None:
    from gongkai.search.index import index_documents, remove_documents

    pending = getattr(_batch, "item_ids", None)
    if pending is not None:
        pending.add(item.pk)
        return
    if item.is_public:
        index_documents([document_for(item)])
    else:
        remove_documents([key_for(item)])


@contextlib.contextmanager
def batched():
    """Inside the block, sync() only notes the item; leaving it, every noted item is indexed (or
    removed) as it then stands, in one call each. For bulk builders that change many items in one
    transaction (the demo county): run the block inside that transaction, so the index is still in
    step with the items when it commits. An exception drops the notes with the transaction.

    Why: on PostgreSQL each sync adds to the document-frequency row of every term of the item
    (postgres_grams.flush), and in one transaction the superseded row versions of a common term
    cannot be pruned before the commit, so each update walks all earlier ones and the demo's
    build grew with the square of its publications (figures: docs/architecture.md, "Search kept
    in step"); batched, each term's row is written once.
    """
    from gongkai.disclosure.models import Item
    from gongkai.search.index import index_documents, remove_documents

    if getattr(_batch, "item_ids", None) is not None:  # nested: the outer block indexes
        yield
        return
    _batch.item_ids = set()
    try:
        yield
        item_ids = _batch.item_ids
    finally:
        _batch.item_ids = None
    items = list(Item.objects.filter(pk__in=item_ids).select_related("agency", "catalogue_node", "genre")
                 .prefetch_related("attachments"))
    index_documents(document_for(item) for item in items if item.is_public)
    shown = {item.pk for item in items if item.is_public}
    remove_documents(key_for_id(pk) for pk in sorted(item_ids - shown))
