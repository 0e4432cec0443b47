from django.urls import path

from gongkai.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:job_id>/file/", views.task_file, name="file"),
]
