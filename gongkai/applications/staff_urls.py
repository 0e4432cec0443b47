from django.urls import path

from gongkai.applications import staff_views as views
from gongkai.applications import template_views

app_name = "applications_staff"
urlpatterns = [
    path("applications/", views.workbench, name="workbench"),
    path("applications/new/", views.register, name="register"),
    path("applications/ledger/", views.ledger, name="ledger"),
    path("applications/<int:application_id>/", views.case, name="case"),
    path("letter-templates/", template_views.template_list, name="templates"),
    path("letter-settings/", template_views.letter_style, name="letter_style"),
    path("letter-templates/<slug:kind>/", template_views.template_edit, name="template"),
    path("applications/<int:application_id>/personal/", views.reveal, name="reveal"),
    path("applications/<int:application_id>/files/<int:file_id>/", views.application_file, name="file"),
    path("applications/<int:application_id>/do/<slug:action>/", views.act, name="act"),
    path("applications/<int:application_id>/letters/<int:letter_id>/issue/", views.issue, name="issue"),
    path("applications/<int:application_id>/letters/<int:letter_id>.<str:fmt>", views.letter_file, name="letter"),
]
