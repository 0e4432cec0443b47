from django.urls import path

from gongkai.staff.views import agencies, audit, calendar, home, people, platform_roles

app_name = "staff"
urlpatterns = [
    path("login/", home.SignInView.as_view(), name="login"),
    path("logout/", home.SignOutView.as_view(), name="logout"),
    path("", home.dashboard, name="home"),
    path("switch/", home.switch_agency, name="switch_agency"),
    path("password/", home.change_own_password, name="password"),
    path("agencies/", agencies.agency_list, name="agency_list"),
    path("agencies/new/", agencies.agency_new, name="agency_new"),
    path("areas/new/", agencies.area_new, name="area_new"),
    path("a/<str:code>/", agencies.agency_overview, name="agency"),
    path("a/<str:code>/edit/", agencies.agency_edit, name="agency_edit"),
    path("a/<str:code>/units/", agencies.unit_add, name="unit_add"),
    path("a/<str:code>/units/<int:unit_id>/delete/", agencies.unit_remove, name="unit_delete"),
    path("a/<str:code>/people/", people.people_list, name="people"),
    path("a/<str:code>/people/new/", people.person_new, name="person_new"),
    path("a/<str:code>/people/<int:user_id>/", people.person_detail, name="person"),
    path("a/<str:code>/people/<int:user_id>/roles/", people.person_grant_role, name="person_grant"),
    path("a/<str:code>/people/<int:user_id>/roles/<int:membership_id>/revoke/", people.person_revoke_role, name="person_revoke"),
    path("a/<str:code>/people/<int:user_id>/active/", people.person_set_active, name="person_active"),
    path("a/<str:code>/people/<int:user_id>/password/", people.person_set_password, name="person_password"),
    path("a/<str:code>/audit/", audit.audit_log, name="audit"),
    path("a/<str:code>/audit/export/", audit.audit_export, name="audit_export"),
    path("audit/", audit.platform_audit_log, name="platform_audit"),
    path("audit/export/", audit.platform_audit_export, name="platform_audit_export"),
    path("platform-roles/", platform_roles.platform_roles, name="platform_roles"),
    path("platform-roles/<int:membership_id>/revoke/", platform_roles.platform_role_revoke, name="platform_role_revoke"),
    path("calendar/", calendar.calendar_home, name="calendar"),
    path("calendar/notices/new/", calendar.notice_new, name="notice_new"),
    path("calendar/notices/<int:notice_id>/delete/", calendar.notice_remove, name="notice_delete"),
]
