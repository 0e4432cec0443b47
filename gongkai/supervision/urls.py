from django.urls import path

from gongkai.supervision import assessment_views, views

app_name = "supervision_staff"
urlpatterns = [
    path("supervision/", views.index, name="index"),
    path("supervision/urges/<int:urge_id>/read", views.urge_read_view, name="urge_read"),
    path("supervision/cases/", views.case_list, name="cases"),
    path("supervision/cases/<int:application_id>/", views.case_detail, name="case"),
    path("supervision/monitor/", views.monitor_overview, name="monitor"),
    path("supervision/monitor/<str:agency_code>/", views.agency_findings, name="agency_findings"),
    path("supervision/assessments/", assessment_views.assessment_list, name="assessments"),
    path("supervision/assessments/<int:assessment_id>/", assessment_views.assessment_detail, name="assessment"),
    path("supervision/assessments/<int:assessment_id>.xlsx", assessment_views.assessment_xlsx, name="assessment_xlsx"),
    path("supervision/assessments/<int:assessment_id>/agencies/<str:agency_code>/", assessment_views.agency_assessment,
         name="agency_assessment"),
]
