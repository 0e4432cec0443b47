from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("2fa/enrol/", views.enrol, name="enrol"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("a/<str:code>/people/<int:user_id>/2fa/reset/", views.reset_second_factor, name="reset_second_factor"),
]
