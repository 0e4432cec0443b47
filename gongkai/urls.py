from django.urls import include, path

from gongkai.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("a11y/large-text", web_views.toggle_large_text, name="large_text"),
    path("staff/a/<str:code>/", include("gongkai.disclosure.staff_urls")),
    path("staff/", include("gongkai.staff.urls")),
    path("", include("gongkai.portal.urls")),
]

handler403 = "gongkai.web.errors.forbidden"
handler404 = "gongkai.web.errors.not_found"
