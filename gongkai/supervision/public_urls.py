from django.urls import path

from gongkai.supervision import public_views

app_name = "supervision_public"
urlpatterns = [
    path("assessments/", public_views.results_index, name="index"),
    path("agencies/<str:code>/assessments/<int:pk>/", public_views.results_page, name="results"),
]
