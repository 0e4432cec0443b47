from django.urls import path

from gongkai.reports.external import views as external_views

app_name = "reports_external"
urlpatterns = [
    path("reports/external/", external_views.external_list, name="list"),
    path("reports/external/new/", external_views.external_new, name="new"),
    path("reports/external/upload/", external_views.external_upload, name="upload"),
    path("reports/external/<int:pk>/", external_views.external_report, name="report"),
]
