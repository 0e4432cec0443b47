from django.urls import path

from gongkai.stats import views

app_name = "stats_staff"
urlpatterns = [
    path("stats/", views.index, name="index"),
    path("stats/ranking/", views.ranking, name="ranking"),
    path("stats/ranking/<int:year>-Q<int:quarter>.xlsx", views.ranking_download, name="ranking_xlsx"),
]
