from django.urls import path

from gongkai.portal import staff_views

app_name = "portal_staff"
urlpatterns = [
    path("", staff_views.site_identity_edit, name="site_identity"),
]
