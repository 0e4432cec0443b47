from django.urls import path

from gongkai.supervision import assessment_views, plan_views, views

app_name = "supervision_staff"
urlpatterns = [
    path("supervision/", views.index, name="index"),
    path("supervision/urges/<int:urge_id>/read", views.urge_read_view, name="urge_read"),
    path("supervision/cases/", views.case_list, name="cases"),
    path("supervision/cases/<int:application_id>/", views.case_detail, name="case"),
    path("supervision/monitor/", views.monitor_overview, name="monitor"),
    path("supervision/monitor/<str:agency_code>/", views.agency_findings, name="agency_findings"),
    path("supervision/schemes/", assessment_views.scheme_list, name="schemes"),
    path("supervision/assessments/", assessment_views.assessment_list, name="assessments"),
    path("supervision/assessments/<int:assessment_id>/", assessment_views.assessment_detail, name="assessment"),
    path("supervision/assessments/<int:assessment_id>.xlsx", assessment_views.assessment_xlsx, name="assessment_xlsx"),
    path("supervision/assessments/<int:assessment_id>/agencies/<str:agency_code>/", assessment_views.agency_assessment,
         name="agency_assessment"),
    path("supervision/plans/", plan_views.plan_list, name="plans"),
    path("supervision/plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("supervision/plans/lookback/<int:year>/", plan_views.plan_lookback, name="plan_lookback"),
    path("supervision/plans/lookback/<int:year>.xlsx", plan_views.plan_lookback_xlsx, name="plan_lookback_xlsx"),
    path("supervision/plans/<int:plan_id>.xlsx", plan_views.plan_xlsx, name="plan_xlsx"),
    path("supervision/tasks/<int:task_id>/report", plan_views.task_report, name="task_report"),
    path("supervision/task-reports/<int:report_id>/review", plan_views.report_review, name="report_review"),
    path("supervision/notices/", plan_views.notice_list, name="notices"),
    path("supervision/notices/<int:notice_id>/", plan_views.notice_detail, name="notice"),
    path("supervision/notices/<int:notice_id>.<str:fmt>", plan_views.notice_file, name="notice_file"),
    path("supervision/notice-items/<int:item_id>/answer", plan_views.notice_answer, name="notice_answer"),
]
