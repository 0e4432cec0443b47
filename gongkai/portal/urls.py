from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_index, name="agency_index"),
    path("agencies/<str:code>/", views.agency_detail, name="agency_detail"),
]
