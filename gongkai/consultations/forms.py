from django import forms

from gongkai.consultations.comments import BODY_MAX_CHARS, NAME_MAX_CHARS
from gongkai.consultations.models import Channel, Consultation, DecisionCatalogueEntry, Disposition, Kind
from gongkai.disclosure.forms import MultipleFileField
from gongkai.web.forms import NamedErrorsMixin
from gongkai.web.widgets import DateInput


class ConsultationForm(NamedErrorsMixin, forms.Form):
    title = forms.CharField(label="征集标题", max_length=200,
                            help_text="如：关于《××县“十五五”养老服务体系建设规划（征求意见稿）》公开征求意见的公告")
    kind = forms.ChoiceField(label="草案类型", choices=Kind.choices)
    decision_entry = forms.ModelChoiceField(label="重大行政决策事项目录条目", required=False,
                                            queryset=DecisionCatalogueEntry.objects.none(),
                                            help_text="草案属于本机关年度决策事项目录的，请选择对应条目。")
    draft_body = forms.CharField(label="草案正文", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    explanation = forms.CharField(label="起草说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label="草案文件及说明材料", required=False, help_text="PDF、Word、Excel 或图片")
    starts_on = forms.DateField(label="征集开始日期", widget=DateInput())
    ends_on = forms.DateField(label="征集截止日期", widget=DateInput(),
                              help_text="重大行政决策事项征求意见期限一般不少于30日（《重大行政决策程序暂行条例》第十五条）。")
    short_period_reason = forms.CharField(label="缩短征集期的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accepts_online = forms.BooleanField(label="接受网上提交意见", required=False, initial=True)
    requires_name = forms.BooleanField(label="要求提交人填写姓名或单位名称", required=False)
    channel_letter = forms.CharField(label="信函地址", max_length=200, required=False)
    channel_email = forms.CharField(label="电子邮箱", max_length=100, required=False)
    channel_meeting = forms.CharField(label="座谈会、听证会安排", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contact = forms.CharField(label="联系人及电话", max_length=200, required=False)

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_entry"].queryset = DecisionCatalogueEntry.objects.filter(agency=agency)

    @staticmethod
    def initial_for(consultation: Consultation) -> dict:
        return {name: getattr(consultation, name) for name in
                ["title", "kind", "decision_entry", "draft_body", "explanation", "starts_on", "ends_on",
                 "short_period_reason", "accepts_online", "requires_name", "channel_letter", "channel_email",
                 "channel_meeting", "contact"]}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "attachments"}

    def uploaded(self):
        return [(f.name, f.read()) for f in self.cleaned_data.get("attachments") or []]


class DecisionEntryForm(NamedErrorsMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="决策事项", max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(NamedErrorsMixin, forms.Form):
    """Lengths are checked by the service (comments.clean_comment), so the messages are its own."""

    name = forms.CharField(label="姓名或单位名称", required=False,
                           widget=forms.TextInput(attrs={"maxlength": NAME_MAX_CHARS, "autocomplete": "name"}))
    phone = forms.CharField(label="联系电话（不公开）", required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label="电子邮箱（不公开）", required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    body = forms.CharField(label="意见内容", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=f"请写明对草案哪一条的意见及理由，不超过{BODY_MAX_CHARS}字。经审核后公开（不公开联系方式）。")

    def __init__(self, *args, requires_name=False, **kwargs):
        super().__init__(*args, **kwargs)
        if requires_name:
            self.fields["name"].label = "姓名或单位名称（必填）"


class RegisterCommentForm(NamedErrorsMixin, forms.Form):
    channel = forms.ChoiceField(label="来源渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(label="收到日期", widget=DateInput())
    name = forms.CharField(label="姓名或单位名称", required=False)
    phone = forms.CharField(label="联系电话", required=False)
    email = forms.CharField(label="电子邮箱", required=False)
    body = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 4}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FinalItemForm(forms.Form):
    index_number = forms.CharField(label="正式文件的索引号", max_length=40, required=False,
                                   help_text="留空则取消关联。")


DISPOSITION_CHOICES = [("", "（未填）")] + Disposition.choices
