from django.urls import path

from gongkai.consultations import public_views as views

app_name = "consultations_public"
urlpatterns = [
    path("consultations/", views.all_open, name="all"),
    path("consultations/feed.atom", views.ConsultationFeed(), name="feed"),
    path("consultations/receipt/", views.receipt, name="receipt"),
    path("agencies/<str:code>/consultations/", views.agency_list, name="agency"),
    path("agencies/<str:code>/consultations/feed.atom", views.ConsultationFeed(), name="agency_feed"),
    path("agencies/<str:code>/consultations/<int:pk>/", views.detail, name="detail"),
    path("agencies/<str:code>/consultations/<int:pk>/thanks/", views.thanks, name="thanks"),
    path("agencies/<str:code>/consultations/<int:pk>/attachments/<int:attachment_id>/", views.attachment,
         name="attachment"),
]
