from django.urls import path

from gongkai.enquiries import staff_views as views

app_name = "enquiries_staff"
urlpatterns = [
    path("enquiries/", views.inbox, name="inbox"),
    path("enquiries/new/", views.register, name="register"),
    path("enquiries/<int:pk>/", views.message, name="message"),
    path("enquiries/<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("enquiries/faq/", views.faqs, name="faqs"),
    path("enquiries/faq/<int:faq_id>/edit/", views.faq_edit, name="faq_edit"),
    path("enquiries/faq/<int:faq_id>/remove/", views.faq_remove, name="faq_remove"),
]
