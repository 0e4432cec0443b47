"""Public pages of the 政府信息公开 column: catalogue, item pages, guide, feeds."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.disclosure import conferences, guide, interpretations, responses
from gongkai.disclosure.models import CatalogueNode, ConcernResponse
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.taxonomy import ANNUAL_REPORT_NODE, CONCERN_RESPONSE_NODE
from gongkai.orgs.queries import public_agencies
from gongkai.portal.views import column_tree
from gongkai.reports.filing.publishing import published_versions

PER_PAGE = 20


def _agency(code):
    return get_object_or_404(public_agencies(), code=code.upper())


def _node(agency, node_code):
    return get_object_or_404(CatalogueNode, agency=agency, code=node_code)


def _items_under(agency, node):
    ids = [node.pk] + list(node.children.values_list("pk", flat=True))
    return public_items().filter(agency=agency, catalogue_node_id__in=ids)


def catalogue_page(request, code, node_code):
    agency = _agency(code)
    node = _node(agency, node_code)
    items = _items_under(agency, node)
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4 and year[0] != "0":
        items = items.filter(published_on__year=int(year))
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    annual_reports = published_versions(agency)
    return render(request, "portal/catalogue.html", {
        "agency": agency, "node": node, "page": page, "nav": "agencies", "year": year,
        "tree": column_tree(agency, len(annual_reports)),
        "annual_reports": annual_reports if node.code == ANNUAL_REPORT_NODE else [],
        # The 回应关切 column is the list page of the responses: it offers their feed (participation_feeds).
        "responses_feed": reverse("portal:responses_feed", args=[agency.code])
        if node.code == CONCERN_RESPONSE_NODE else "",
    })


def item_page(request, code, item_id):
    agency = _agency(code)
    item = get_object_or_404(public_items().select_related("interprets", "interprets__agency"), agency=agency, pk=item_id)
    concern = ConcernResponse.objects.filter(item=item).select_related("item").first()
    return render(request, "portal/item.html", {
        "agency": agency, "item": item, "nav": "agencies",
        "attachments": item.attachments.all(),
        "interpretations": interpretations.by_form(public_items().filter(interprets=item).order_by("published_on", "id")),
        "concern": concern, "timing": responses.timing(concern) if concern else None,
        "conferences": item.press_conferences.filter(agency__is_active=True).select_related("agency"),
        "updated": item.version > 1,
    })


def conference_list(request, code):
    agency = _agency(code)
    page = Paginator(conferences.conferences_of(agency), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/conferences.html", {"agency": agency, "page": page, "nav": "agencies"})


def conference_page(request, code, conference_id):
    agency = _agency(code)
    conference = get_object_or_404(conferences.conferences_of(agency), pk=conference_id)
    return render(request, "portal/conference.html", {
        "agency": agency, "conference": conference, "nav": "agencies",
        "transcript": conferences.public_transcript(conference), "related": conferences.public_related(conference),
    })


def guide_page(request, code):
    agency = _agency(code)
    return render(request, "portal/guide.html", {**guide.guide_context(agency), "agency": agency, "nav": "agencies"})


# Attachment kinds (recognised by content, disclosure/attachments.py) a page may show inline: the
# pictures of a 图解. Served with their own image type, and nosniff (settings) keeps it that.
INLINE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}


def attachment_download(request, code, item_id, attachment_id):
    """Attachments are served only while their item is public (media files are not web-served);
    ``?inline=1`` shows a picture in the page instead of downloading it."""
    agency = _agency(code)
    item = get_object_or_404(public_items(), agency=agency, pk=item_id)
    attachment = get_object_or_404(item.attachments, pk=attachment_id)
    if request.GET.get("inline") == "1" and attachment.kind in INLINE_TYPES:
        return FileResponse(attachment.file.open("rb"), content_type=INLINE_TYPES[attachment.kind],
                            filename=attachment.original_name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class AgencyFeed(Feed):
    """Atom feed of an agency's newest items, optionally of one catalogue category."""

    feed_type = Atom1Feed

    def get_object(self, request, code, node_code=None):
        agency = _agency(code)
        return agency, (_node(agency, node_code) if node_code else None)

    def title(self, obj):
        agency, node = obj
        return f"{agency.name}{'·' + node.name if node else ''} 政府信息公开"

    def link(self, obj):
        agency, node = obj
        if node:
            return reverse("portal:catalogue", args=[agency.code, node.code])
        return reverse("portal:agency_detail", args=[agency.code])

    def subtitle(self, obj):
        return f"{obj[0].name}主动公开的政府信息"

    def items(self, obj):
        agency, node = obj
        items = _items_under(agency, node) if node else public_items().filter(agency=agency)
        return items.order_by("-last_published_at", "-id")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or ""

    def item_link(self, item):
        return reverse("portal:item", args=[item.agency.code, item.pk])

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


