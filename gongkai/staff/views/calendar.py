import calendar as month_calendar
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.staff.forms import DeadlineForm, NoticeForm
from gongkai.web.forms import attach_service_error
from gongkai.web.scope import current_agency
from gongkai.web.workspace import workspace
from gongkai.workdays import services
from gongkai.workdays.calendar import WorkdayCalendar
from gongkai.workdays.models import HolidayNotice
from gongkai.workdays.queries import thin_notice_years


def _year_grid(calendar: WorkdayCalendar, year: int):
    """Twelve month tables; each cell is (day, css class, title) or None."""
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                info = calendar.day_info(day)
                working = info["working"]
                if not working:
                    named_holiday = info["holiday_name"] or info["source"] == "notice" or day.weekday() < 5
                    css, title = ("cal-off", "法定节假日") if named_holiday else ("cal-weekend", "周末")
                    if info["source"] == "statutory_estimate" and info["holiday_name"]:
                        title = f"{info['holiday_name']}（按放假办法推算，待通知确认）"
                else:
                    css, title = ("cal-swap", "调休上班") if day.weekday() >= 5 else ("", "工作日")
                row.append((day.day, css, title))
            weeks.append(row)
        months.append((month, weeks))
    return months


@login_required
def calendar_home(request):
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2004), 2100)
    form = DeadlineForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = calendar.add_working_days(form.cleaned_data["start"], form.cleaned_data["working_days"])
    return render(request, "staff/calendar.html", workspace(
        request, current_agency(request), section="calendar",
        year=year, year_confirmed=calendar.is_confirmed(dt.date(year, 1, 1)), months=_year_grid(calendar, year),
        notices=HolidayNotice.objects.prefetch_related("ranges"), form=form, result=result,
        may_manage=access.can(request.user, Perm.MANAGE_CALENDAR), thin_years=thin_notice_years(),
    ))


@login_required
def notice_new(request):
    if not access.can(request.user, Perm.MANAGE_CALENDAR):
        raise PermissionDenied("只有系统管理员可以录入节假日安排。")
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = form.range_rows()
            notice = services.notice_create(
                actor=request.user, year=form.cleaned_data["year"], title=form.cleaned_data["title"],
                document_number=form.cleaned_data["document_number"], issued_on=form.cleaned_data["issued_on"],
                ranges=services.parse_ranges(rows),
            )
        except forms.ValidationError as error:
            form.add_error("ranges", error)
        except ServiceError as error:
            attach_service_error(form, error)
        else:
            messages.success(request, f"已录入《{notice.title}》，相关期限将按新日历计算。")
            return redirect(f"{_calendar_url()}?year={notice.year}")
    return render(request, "staff/form_page.html", workspace(
        request, current_agency(request), section="calendar", form=form, heading="录入节假日安排通知", submit_label="保存",
    ))


def _calendar_url():
    from django.urls import reverse

    return reverse("staff:calendar")


@login_required
@require_POST
def notice_remove(request, notice_id):
    if not access.can(request.user, Perm.MANAGE_CALENDAR):
        raise PermissionDenied("只有系统管理员可以撤销节假日安排。")
    notice = get_object_or_404(HolidayNotice, pk=notice_id)
    services.notice_delete(actor=request.user, notice=notice)
    messages.success(request, f"已撤销《{notice.title}》。")
    return redirect("staff:calendar")
