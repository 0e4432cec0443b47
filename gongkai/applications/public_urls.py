from django.urls import path

from gongkai.applications import public_views as views

app_name = "apply"
urlpatterns = [
    path("apply/", views.choose_agency, name="choose"),
    path("agencies/<str:code>/apply/", views.apply, name="form"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.status, name="status"),
    path("track/<str:code>/submitted/", views.submitted, name="submitted"),
    path("track/<str:code>/correction/", views.correction, name="correction"),
    path("track/<str:code>/letters/<int:letter_id>.<str:fmt>", views.letter_download, name="letter"),
]
