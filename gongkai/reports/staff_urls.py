from django.urls import path

from gongkai.reports import views

app_name = "reports_staff"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/<int:year>.<str:fmt>", views.download, name="download"),
]
