import uuid

from django import forms
from django.conf import settings

from gongkai.applications.models import Channel, IdType, ProvisionForm
from gongkai.applications.replies import ApplicantType, ReplyType
from gongkai.applications.validation import applicant_problems
from gongkai.disclosure.forms import MultipleFileField
from gongkai.errors import ServiceError
from gongkai.web.forms import NamedErrorsMixin
from gongkai.web.widgets import DateInput


class ApplicationForm(NamedErrorsMixin, forms.Form):
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices, widget=forms.RadioSelect,
                                       initial=ApplicantType.NATURAL)
    applicant_name = forms.CharField(label="姓名或名称", max_length=100)
    contact_person = forms.CharField(label="联系人（法人或其他组织填写）", max_length=50, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices)
    id_number = forms.CharField(label="证件号码", max_length=40)
    phone = forms.CharField(label="联系电话", max_length=30)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="填写后将收到查询码和办理通知")
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    description = forms.CharField(label="所需政府信息的名称、文号或其他特征描述", widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text="请尽量写明信息名称、文号、发文机关、大致时间等，便于准确检索。")
    provision_form = forms.ChoiceField(label="获取信息的方式", choices=ProvisionForm.choices, widget=forms.RadioSelect,
                                       initial=ProvisionForm.EMAIL)
    identity_files = MultipleFileField(label="身份证明（可选）", required=False,
                                       help_text="身份证件或营业执照的扫描件、照片（PDF 或图片）")
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4().hex

    def clean_identity_files(self):
        return _within_caps(self.cleaned_data.get("identity_files") or [], "identity_files")

    def clean(self):
        """Run the intake service's checks on every field that passed its own, so all problems show at once."""
        cleaned = super().clean()
        _, problems = applicant_problems(self.applicant_data())
        for problem in problems:
            if problem.field in self.fields and problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def applicant_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("identity_files", "submission_key")}

    def uploaded(self):
        return [(f.name, f.read()) for f in self.cleaned_data.get("identity_files") or []]


class RegisterForm(ApplicationForm):
    channel = forms.ChoiceField(label="申请方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(label="收到申请日期", widget=DateInput(),
                                  help_text="按第三十一条：当面为提交日，邮寄为签收日，平常信函为确认日，传真和电子邮件为双方确认之日。")

    field_order = ["channel", "received_on"]

    def clean_identity_files(self):  # staff scanning what came by post or in person: no public caps
        return self.cleaned_data.get("identity_files") or []


class TrackForm(NamedErrorsMixin, forms.Form):
    code = forms.CharField(label="查询码", max_length=16)
    secret = forms.CharField(label="查询密码", max_length=16, widget=forms.PasswordInput)


class CorrectionForm(NamedErrorsMixin, forms.Form):
    text = forms.CharField(label="补正内容", widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label="补正材料（可选）", required=False)

    def clean_files(self):
        return _within_caps(self.cleaned_data.get("files") or [], "files")


def _within_caps(files, field: str):
    """The public's files, refused by their count and sizes before any of them is read."""
    from gongkai.applications.intake import check_upload_caps

    try:
        check_upload_caps(len(files), sum(f.size for f in files), field=field)
    except ServiceError as error:
        raise forms.ValidationError(error.message, code=error.code) from None
    return files


def _reply_type_choices() -> list[tuple[str, str]]:
    """The reply types, with 行政查询 named for what it is: answered under 第36条第（七）项 (no 不予公开
    ground) and counted where settings.GONGKAI_ADMIN_QUERY_REPLY puts it."""
    row = ("表三（三）8" if settings.GONGKAI_ADMIN_QUERY_REPLY == ReplyType.WITHHELD_ADMIN_QUERY
           else "表三（六）3 其他处理")
    admin_query = f"属于行政查询事项：告知依照有关法律、行政法规办理（第三十六条第（七）项，计入{row}）"
    return [("", "请选择")] + [(value, admin_query if value == ReplyType.WITHHELD_ADMIN_QUERY else label)
                               for value, label in ReplyType.choices]


class ReplyForm(forms.Form):
    reply_type = forms.ChoiceField(label="答复类型", choices=_reply_type_choices)
    reason_code = forms.ChoiceField(label="不予公开理由（第十四至十六条）", required=False, choices=[
        ("", "（不涉及）"), ("X14-1", "X14-1 国家秘密"), ("X14-2", "X14-2 法律、行政法规禁止公开"),
        ("X14-3", "X14-3 危及三安全一稳定"), ("X15", "X15 第三方合法权益"), ("X16-1", "X16-1 内部事务信息"),
        ("X16-2", "X16-2 过程性信息"), ("X16-3", "X16-3 行政执法案卷")])
    reason = forms.CharField(label="理由与依据", widget=forms.Textarea(attrs={"rows": 3}), required=False)
