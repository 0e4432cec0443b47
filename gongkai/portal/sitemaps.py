from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.disclosure.models import PressConference
from gongkai.disclosure.queries import public_items
from gongkai.orgs.queries import public_agencies


class AgencySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return public_agencies().order_by("code")

    def location(self, agency):
        return reverse("portal:agency_detail", args=[agency.code])


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_items().select_related(None).select_related("agency").only("id", "agency__code", "last_published_at").order_by("id")

    def location(self, item):
        return reverse("portal:item", args=[item.agency.code, item.pk])

    def lastmod(self, item):
        return item.last_published_at


class ConferenceSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return (PressConference.objects.filter(agency__in=public_agencies()).select_related("agency")
                .only("id", "agency__code", "updated_at").order_by("id"))

    def location(self, conference):
        return reverse("portal:conference", args=[conference.agency.code, conference.pk])

    def lastmod(self, conference):
        return conference.updated_at


SITEMAPS = {"agencies": AgencySitemap, "items": ItemSitemap, "conferences": ConferenceSitemap}
