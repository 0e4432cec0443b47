from django.urls import path

from gongkai.consultations import staff_views as views

app_name = "consultations_staff"
urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/new/", views.consultation_new, name="new"),
    path("consultations/queue/", views.moderation_queue, name="queue"),
    path("consultations/catalogue/", views.decision_entry_add, name="entry_add"),
    path("consultations/comments/<int:comment_id>/moderate/", views.comment_moderate, name="moderate"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("consultations/<int:pk>/open/", views.consultation_open, name="open"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<int:pk>/final-item/", views.final_item, name="final_item"),
    path("consultations/<int:pk>/comments/", views.comment_register, name="register"),
    path("consultations/<int:pk>/feedback/", views.feedback_edit, name="feedback"),
]
