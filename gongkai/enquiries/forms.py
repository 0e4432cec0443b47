from django import forms

from gongkai.applications.models import IdType, ProvisionForm
from gongkai.applications.replies import ApplicantType
from gongkai.enquiries.models import Channel, Kind, RefusalReason
from gongkai.enquiries.validation import message_problems
from gongkai.orgs.queries import public_agencies
from gongkai.web.forms import NamedErrorsMixin, named_messages
from gongkai.web.widgets import DateInput


class EnquiryForm(NamedErrorsMixin, forms.Form):
    """The public's message. Lengths and formats are checked by enquiries.validation (the same
    rules the service applies), every problem shown at once."""

    kind = forms.ChoiceField(label="留言类型", choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.CONSULT,
                             required=False, help_text="发现网站内容错误、链接失效等，请选择“纠错”。")
    subject = forms.CharField(label="标题", required=False, strip=False)
    body = forms.CharField(label="留言内容", widget=forms.Textarea(attrs={"rows": 6}), required=False, strip=False,
                           help_text="请写明具体问题，不要填写身份证号等个人信息。")
    name = forms.CharField(label="姓名", required=False, strip=False)
    phone = forms.CharField(label="联系电话", required=False, strip=False)
    email = forms.CharField(label="电子邮箱", required=False, strip=False, help_text="填写后将收到查询码和答复通知")
    allow_publish = forms.BooleanField(label="同意在网站上公开我的留言和答复（不公开姓名和联系方式）", required=False,
                                       initial=True)

    def clean(self):
        data = super().clean()
        cleaned, problems = message_problems(data)
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return cleaned


class AnyAgencyEnquiryForm(EnquiryForm):
    """The government-wide entry: the asker picks the agency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = forms.ModelChoiceField(label="留言给哪个机关", queryset=public_agencies().order_by("path"),
                                                       empty_label="请选择机关")
        self.fields["agency"].error_messages["required"] = "请选择留言给哪个机关。"
        self.order_fields(["agency", *[f for f in self.fields if f != "agency"]])

    def clean(self):
        agency = self.cleaned_data.get("agency")
        data = super().clean()
        data["agency"] = agency
        return data


class RegisterForm(EnquiryForm):
    """Staff record a message that came by phone, letter, visit or the 12345 platform."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extra = {
            "channel": forms.ChoiceField(label="留言渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]),
            "received_on": forms.DateField(label="受理日期", widget=DateInput, help_text="答复时限自这一天起计算"),
        }
        self.fields = {**extra, **self.fields}
        for field in extra.values():
            field.error_messages = {**field.error_messages, **named_messages(field)}

    def clean(self):
        extra = {k: self.cleaned_data.get(k) for k in ("channel", "received_on")}
        return {**super().clean(), **extra}


class TrackForm(NamedErrorsMixin, forms.Form):
    code = forms.CharField(label="查询码", max_length=16)
    secret = forms.CharField(label="查询密码", max_length=16)


class ConvertForm(NamedErrorsMixin, forms.Form):
    """What an application needs beyond a message (第29条): staff complete it, e.g. after a call."""

    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices, initial=ApplicantType.NATURAL)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    phone = forms.CharField(label="联系电话（空则用留言中的）", max_length=30, required=False)
    provision_form = forms.ChoiceField(label="获取信息的方式", choices=ProvisionForm.choices, initial=ProvisionForm.EMAIL)
    address = forms.CharField(label="通信地址", max_length=200, required=False)


REFUSAL_CHOICES = RefusalReason.choices
