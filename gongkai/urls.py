from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from gongkai.applications import api as applications_api
from gongkai.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the same icon.
    path("favicon.ico", RedirectView.as_view(url=static("gongkai/favicon.svg"), permanent=True)),
    path("a11y/large-text", web_views.toggle_large_text, name="large_text"),
    path("api/v1/applications", applications_api.submit, name="api_submit"),
    path("api/v1/applications/<str:code>", applications_api.status, name="api_status"),
    path("api/v1/openapi.json", applications_api.openapi, name="api_openapi"),
    path("staff/a/<str:code>/", include("gongkai.disclosure.staff_urls")),
    path("staff/a/<str:code>/", include("gongkai.applications.staff_urls")),
    path("staff/a/<str:code>/", include("gongkai.reports.staff_urls")),
    path("staff/a/<str:code>/", include("gongkai.reports.external.urls")),
    path("staff/a/<str:code>/", include("gongkai.stats.staff_urls")),
    path("staff/tasks/", include("gongkai.jobs.urls")),
    # Security keys' browser ceremonies (django-otp-webauthn; accounts/security_keys.py).
    path("staff/account/2fa/webauthn/", include("django_otp_webauthn.urls")),
    path("staff/account/", include("gongkai.accounts.urls")),
    path("staff/a/<str:code>/", include("gongkai.supervision.urls")),
    path("staff/a/<str:code>/", include("gongkai.consultations.staff_urls")),
    path("staff/a/<str:code>/", include("gongkai.enquiries.staff_urls")),
    path("staff/site/", include("gongkai.portal.staff_urls")),
    path("staff/", include("gongkai.staff.urls")),
    path("", include("gongkai.applications.public_urls")),
    path("", include("gongkai.consultations.public_urls")),
    path("", include("gongkai.enquiries.public_urls")),
    path("", include("gongkai.supervision.public_urls")),
    path("", include("gongkai.portal.urls")),
]

handler403 = "gongkai.web.errors.forbidden"
handler404 = "gongkai.web.errors.not_found"
