from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("2fa/enrol/", views.enrol, name="enrol"),
    path("2fa/verify/", views.verify, name="verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("2fa/keys/", views.security_keys, name="security_keys"),
    path("2fa/keys/<int:key_id>/rename/", views.security_key_rename, name="security_key_rename"),
    path("2fa/keys/<int:key_id>/remove/", views.security_key_remove, name="security_key_remove"),
    path("a/<str:code>/people/<int:user_id>/2fa/reset/", views.reset_second_factor, name="reset_second_factor"),
]
