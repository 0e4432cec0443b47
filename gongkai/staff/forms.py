import datetime as dt
import re

from django import forms

from gongkai.orgs.models import Agency, AgencyKind, Area, AreaLevel
from gongkai.orgs.roles import PLATFORM_ROLES, Role
from gongkai.web.forms import NamedErrorsMixin
from gongkai.web.widgets import DateInput
from gongkai.workdays.models import DayKind


class AreaForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label="区划名称", max_length=100)
    code = forms.CharField(label="行政区划代码", max_length=12, help_text="6位（县级以上）或9/12位（乡镇街道）数字")
    level = forms.ChoiceField(label="层级", choices=AreaLevel.choices)
    parent = forms.ModelChoiceField(label="上级区划", queryset=Area.objects.all(), required=False, empty_label="（无上级区划）")


class AgencyCreateForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    code = forms.CharField(
        label="机构代码", max_length=20,
        help_text="组织机构代码或统一社会信用代码，用作索引号前段码，建立后不可修改。",
    )
    kind = forms.ChoiceField(label="机构类型", choices=AgencyKind.choices)
    area = forms.ModelChoiceField(label="行政区划", queryset=Area.objects.all())
    parent = forms.ModelChoiceField(label="上级机关", queryset=Agency.objects.order_by("path"), required=False,
                                    empty_label="（无上级机关）")
    description = forms.CharField(label="机构职能", widget=forms.Textarea, required=False)


class AgencyEditForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label="机构名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    description = forms.CharField(label="机构职能", widget=forms.Textarea, required=False)
    is_active = forms.BooleanField(label="启用（停用后不在门户显示）", required=False)
    office_name = forms.CharField(label="信息公开工作机构名称", max_length=100, required=False)
    office_address = forms.CharField(label="办公地址", max_length=200, required=False)
    office_postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    office_hours = forms.CharField(label="办公时间", max_length=200, required=False)
    office_phone = forms.CharField(label="联系电话", max_length=50, required=False)
    office_fax = forms.CharField(label="传真", max_length=50, required=False)
    office_email = forms.EmailField(label="电子邮箱", required=False)
    office_website = forms.URLField(label="网址", required=False, assume_scheme="https")

    OFFICE_PREFIX = "office_"

    def agency_changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if not k.startswith(self.OFFICE_PREFIX)}

    def office_changes(self) -> dict:
        return {k.removeprefix(self.OFFICE_PREFIX): v for k, v in self.cleaned_data.items() if k.startswith(self.OFFICE_PREFIX)}


class UnitForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label="科室名称", max_length=100)
    phone = forms.CharField(label="电话", max_length=50, required=False)


def role_choices(include_system_admin: bool):
    """Agency roles; the platform roles are held without an agency (roles.PLATFORM_ROLES)."""
    return [(value, label) for value, label in Role.choices if include_system_admin or value not in PLATFORM_ROLES]


class PersonCreateForm(NamedErrorsMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=30, help_text="3至30位字母、数字或“_.-”，用于登录。")
    full_name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, help_text="至少8位，含大写字母、小写字母、数字、符号中的至少3类，不能包含用户名或过于常见。")
    roles = forms.MultipleChoiceField(label="角色", choices=role_choices(False), widget=forms.CheckboxSelectMultiple)


class GrantRoleForm(NamedErrorsMixin, forms.Form):
    role = forms.ChoiceField(label="角色", choices=role_choices(False))


class SetPasswordForm(NamedErrorsMixin, forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)


DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
SEPARATORS_RE = re.compile(r"(^|\s)(至|到|~|～|－|—|-)(\s|$)|[，,、]")


class NoticeForm(NamedErrorsMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="通知标题", max_length=200)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = forms.DateField(label="发布日期", required=False, widget=DateInput())
    ranges = forms.CharField(
        label="放假与调休安排",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一段：类型 起始日 [结束日] [节日]。类型写“放假”或“上班”（调休上班）。"
        "例：放假 2027-02-06 2027-02-13 春节；上班 2027-02-14 春节",
    )

    KIND_WORDS = {"放假": DayKind.HOLIDAY, "休息": DayKind.HOLIDAY, "上班": DayKind.WORKDAY, "调休": DayKind.WORKDAY,
                  "holiday": DayKind.HOLIDAY, "workday": DayKind.WORKDAY}

    def range_rows(self) -> list[dict]:
        """Lines → rows for workdays.services.parse_ranges; anything unclear becomes a field error.

        Dates may be separated by spaces, 至, ~, － or -; a line with a date-like fragment that is not
        a full YYYY-MM-DD date is refused rather than guessed at.
        """
        rows = []
        for number, line in enumerate(self.cleaned_data["ranges"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            kind_word, _, rest = re.sub(r"\s+", " ", line).partition(" ")
            kind = self.KIND_WORDS.get(kind_word)
            dates = ["{}-{:0>2}-{:0>2}".format(*d.split("-")) for d in DATE_RE.findall(rest)]
            if kind is None or not dates:
                raise forms.ValidationError(f"第{number}行应以“放假”或“上班”开头，后接日期（YYYY-MM-DD）。")
            if len(dates) > 2:
                raise forms.ValidationError(f"第{number}行有{len(dates)}个日期；每行只写一段：起始日和结束日。")
            label = SEPARATORS_RE.sub(" ", DATE_RE.sub(" ", rest)).strip()
            if any(ch.isdigit() for ch in label):
                raise forms.ValidationError(f"第{number}行的日期“{label}”无法识别，请写作 YYYY-MM-DD。")
            rows.append({"kind": kind, "start": dates[0], "end": dates[-1], "label": label})
        return rows


class DeadlineForm(NamedErrorsMixin, forms.Form):
    start = forms.DateField(label="起算日期", widget=DateInput())
    working_days = forms.IntegerField(label="工作日数", min_value=0, max_value=400, initial=20)

    def clean_start(self):
        # The calendar knows 2004 onwards (holiday notices); past 2100 the count runs off Python's dates.
        start = self.cleaned_data["start"]
        if not dt.date(2004, 1, 1) <= start <= dt.date(2100, 12, 31):
            raise forms.ValidationError("起算日期应在2004年1月1日至2100年12月31日之间。")
        return start


class PlatformRoleForm(NamedErrorsMixin, forms.Form):
    """The 安全管理员's grant of a platform role (系统管理员, 审计管理员, 安全管理员) to an existing account."""

    username = forms.CharField(label="用户名", max_length=150, help_text="已有账号的用户名；一个账号只能担任一种平台管理员角色（三权分立）。")
    role = forms.ChoiceField(label="平台角色", choices=[(value, label) for value, label in Role.choices if value in PLATFORM_ROLES])
