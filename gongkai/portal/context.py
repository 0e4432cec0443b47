from django.utils.functional import SimpleLazyObject

from gongkai.portal import site_identity
from gongkai.portal.metadata import COLUMN_TYPE


class SiteView:
    """What the footer and the <meta> tags show of the site's identity (site_identity.py)."""

    def __init__(self, request):
        self.identity = site_identity.current()
        self.domain = self.identity.site_domain or request.get_host()
        self.error_report_link = site_identity.error_report_link(self.identity)
        self.police_link = site_identity.police_link(self.identity)
        self.column_type = COLUMN_TYPE

    def __getattr__(self, name):
        return getattr(self.identity, name)


def site_identity_context(request):
    # Lazy: only pages that show the footer or the tags (the portal's) read the row.
    return {"site_identity": SimpleLazyObject(lambda: SiteView(request))}
