"""Atom feeds of published answers, per agency and government-wide (django.contrib.syndication)."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.timezone import make_aware

from gongkai.enquiries import queries
from gongkai.orgs.queries import public_agencies


def _noon(day: dt.date) -> dt.datetime:
    # Answers carry a date, not a time: noon keeps the day the same in every reader's time zone nearby.
    return make_aware(dt.datetime.combine(day, dt.time(12)))


class AnswersFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code=None):
        return get_object_or_404(public_agencies(), code=code.upper()) if code else None

    def title(self, agency):
        return f"{agency.name if agency else settings.GONGKAI_SITE_NAME} 留言答复"

    def link(self, agency):
        if agency:
            return reverse("enquiries_public:agency", args=[agency.code])
        return reverse("enquiries_public:column")

    def subtitle(self, agency):
        return f"{agency.name if agency else '各机关'}公开答复的网民留言"

    def items(self, agency):
        rows = queries.published_for_agency(agency) if agency else queries.published_answers().order_by(
            "-published_on", "-id")
        return rows[:50]

    def item_title(self, enquiry):
        return f"[{enquiry.get_kind_display()}] {enquiry.subject}"

    def item_description(self, enquiry):
        return enquiry.answer

    def item_author_name(self, enquiry):
        return enquiry.agency.name

    def item_link(self, enquiry):
        return reverse("enquiries_public:detail", args=[enquiry.agency.code, enquiry.pk])

    def item_pubdate(self, enquiry):
        return _noon(enquiry.published_on)

    def item_updateddate(self, enquiry):
        return _noon(enquiry.published_on)
