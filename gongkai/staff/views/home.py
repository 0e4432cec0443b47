from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from gongkai.audit.queries import audit_entries_for_agency
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.services import user_set_password
from gongkai.web.scope import SESSION_KEY, current_agency
from gongkai.web.workspace import workspace
from gongkai.workdays.calendar import WorkdayCalendar


class SignInView(auth_views.LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def dashboard_panels(request, agency) -> list[dict]:
    """The cards other apps put on the dashboard (settings.GONGKAI_DASHBOARD_PANELS).

    The workspace sits below the apps whose work it shows, so it asks them rather than importing
    them: each listed function takes (request, agency) and returns {"template", "context"}, or None
    when it has nothing for this person.
    """
    panels = (import_string(path)(request, agency) for path in settings.GONGKAI_DASHBOARD_PANELS)
    return [panel for panel in panels if panel is not None]


@login_required
def dashboard(request):
    agency = current_agency(request)
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    next_year = today.year + 1
    context = workspace(
        request, agency, section="home",
        today=today,
        today_is_working=calendar.is_working_day(today),
        reply_deadline=calendar.add_working_days(today, 20),
        next_year=next_year,
        next_year_confirmed=next_year in calendar.announced_years,
        subordinate_count=access.agencies_visible_to(request.user).filter(path__startswith=agency.path).exclude(pk=agency.pk).count() if agency else 0,
        recent_audit=audit_entries_for_agency(agency)[:8] if agency and access.can(request.user, "view_audit", agency) else [],
        panels=dashboard_panels(request, agency),
    )
    return render(request, "staff/dashboard.html", context)


@login_required
@require_POST
def switch_agency(request):
    try:
        agency_id = int(request.POST.get("agency", ""))
    except ValueError as exc:
        raise Http404("no such agency") from exc
    agency = access.agencies_visible_to(request.user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404("agency not visible")
    request.session[SESSION_KEY] = agency.pk
    return redirect("staff:agency", code=agency.code)


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    new_password = forms.CharField(label="新密码", widget=forms.PasswordInput, help_text="至少8位，含大写字母、小写字母、数字、符号中的至少3类，不能包含用户名或过于常见。")
    new_password_again = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("old_password") and not self.user.check_password(data["old_password"]):
            self.add_error("old_password", "当前密码不正确。")
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致。")
        return data


@login_required
def change_own_password(request):
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_set_password(actor=request.user, user=request.user, password=form.cleaned_data["new_password"])
        except ServiceError as error:
            form.add_error("new_password", error.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("staff:home")
    return render(request, "staff/form_page.html", workspace(
        request, current_agency(request), section="password", form=form, heading="修改密码", submit_label="保存",
    ))
