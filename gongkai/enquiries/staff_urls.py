from django.urls import path

from gongkai.enquiries import staff_views as views

app_name = "enquiries_staff"
urlpatterns = [
    path("enquiries/", views.inbox, name="inbox"),
    path("enquiries/new/", views.register, name="register"),
    path("enquiries/<int:pk>/", views.message, name="message"),
    path("enquiries/<int:pk>/do/<slug:action>/", views.act, name="act"),
]
