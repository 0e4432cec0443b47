from django.urls import path

from gongkai.reports import views
from gongkai.reports.filing import views as filing_views

app_name = "reports_staff"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<int:year>.<str:fmt>", views.download, name="download"),
    path("reports/<int:year>/build/", views.build_in_background, name="build"),
    path("reports/start/", filing_views.start, name="start"),
    path("reports/overview/", filing_views.overview, name="overview"),
    path("reports/filed/<int:pk>/", filing_views.detail, name="filing"),
    path("reports/filed/<int:pk>/text/", filing_views.save_narrative, name="filing_text"),
    path("reports/filed/<int:pk>/cells/", filing_views.save_cells, name="filing_cells"),
    path("reports/filed/<int:pk>/step/<slug:name>/", filing_views.step, name="filing_step"),
    path("reports/filed/<int:pk>/download.<str:fmt>", filing_views.download, name="filing_download"),
]
