"""Atom feeds of the 政民互动 column's two disclosure lists: 回应关切 items and 新闻发布会 records, of
one agency or of every public agency (django.contrib.syndication, like the enquiries' answers feed).

They read the same public queries as the column (participation.py), so a draft or withdrawn
response never appears, nor a conference's transcript before it is published."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.disclosure.models import PressConference
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.taxonomy import CONCERN_RESPONSE_GENRE
from gongkai.orgs.queries import public_agencies

FEED_SIZE = 50


def _scope(agency) -> dict:
    return {"agency": agency} if agency else {"agency__in": public_agencies()}


class _ParticipationFeed(Feed):
    feed_type = Atom1Feed
    kind = ""

    def get_object(self, request, code=None):
        return get_object_or_404(public_agencies(), code=code.upper()) if code else None

    def title(self, agency):
        return f"{agency.name if agency else settings.GONGKAI_SITE_NAME} {self.kind}"

    def link(self, agency):
        if agency:
            return reverse("portal:agency_participation", args=[agency.code])
        return reverse("portal:participation")

    def item_author_name(self, obj):
        return obj.agency.name


class ResponsesFeed(_ParticipationFeed):
    """Published 回应关切 items, newest publication first."""

    kind = "回应关切"

    def subtitle(self, agency):
        return f"{agency.name if agency else '各机关'}对社会关切的回应"

    def items(self, agency):
        return (public_items().filter(**_scope(agency), genre__code=CONCERN_RESPONSE_GENRE)
                .select_related("agency", "concern").order_by("-last_published_at", "-id")[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        concern = getattr(item, "concern", None)
        lead = f"关切事项：{concern.description}\n" if concern and concern.description else ""
        return lead + (item.summary or "")

    def item_link(self, item):
        return reverse("portal:item", args=[item.agency.code, item.pk])

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ConferencesFeed(_ParticipationFeed):
    """新闻发布会 records, newest held first. A record is public once saved (disclosure/conferences.py);
    its transcript is left out here, the record's page links it once the item is published."""

    kind = "新闻发布会"

    def link(self, agency):
        return reverse("portal:conferences", args=[agency.code]) if agency else super().link(agency)

    def subtitle(self, agency):
        return f"{agency.name if agency else '各机关'}举行的新闻发布会"

    def items(self, agency):
        return (PressConference.objects.filter(**_scope(agency)).select_related("agency")
                .order_by("-held_at", "-id")[:FEED_SIZE])

    def item_title(self, conference):
        return conference.topic

    def item_description(self, conference):
        speakers = "、".join(conference.speaker_list())
        return "\n".join(part for part in (f"发布人：{speakers}" if speakers else "", conference.summary) if part)

    def item_link(self, conference):
        return reverse("portal:conference", args=[conference.agency.code, conference.pk])

    def item_pubdate(self, conference):
        return conference.held_at

    def item_updateddate(self, conference):
        return conference.updated_at
