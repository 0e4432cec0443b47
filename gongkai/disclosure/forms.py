from django import forms

from gongkai.disclosure.models import (
    CatalogueNode,
    Disclosure,
    ExemptionReason,
    Genre,
    Item,
    TopicCategory,
    Validity,
)
from gongkai.disclosure.queries import public_items
from gongkai.web.forms import NamedErrorsMixin
from gongkai.web.widgets import DateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def tree_choices(nodes, *, own_label: str = "", leaves_only: bool = False) -> list:
    """Choices in tree order, each branch an <optgroup> under its parent's name, so a long list
    (全国政务公开目录, 主题分类) reads as the tree it is rather than interleaving the branches.
    A parent with children is offered first in its own group (``own_label``) unless only the leaves
    may be chosen; the choices accepted stay those of the field's queryset."""
    nodes = list(nodes)
    children: dict[int, list] = {}
    for node in nodes:
        if node.parent_id:
            children.setdefault(node.parent_id, []).append(node)
    choices = [("", "---------")]
    for top in (n for n in nodes if not n.parent_id):
        branch = children.get(top.pk, [])
        if not branch:
            if not leaves_only:
                choices.append((top.pk, top.name))
            continue
        own = [] if leaves_only else [(top.pk, f"{top.name}{own_label}")]
        choices.append((top.name, own + [(child.pk, child.name) for child in branch]))
    return choices


class ItemForm(NamedErrorsMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=300)
    document_number = forms.CharField(label="文号", max_length=100, required=False, help_text="有正式文号的必须填写，如 清财发〔2026〕12号")
    publisher = forms.CharField(label="发布机构", max_length=100, required=False, help_text="留空则为本机构全称")
    written_on = forms.DateField(label="成文日期", widget=DateInput())
    catalogue_node = forms.ModelChoiceField(label="目录分类", queryset=CatalogueNode.objects.none())
    topic = TopicChoiceField(label="主题分类", queryset=TopicCategory.objects.filter(parent__isnull=False).select_related("parent"))
    genre = forms.ModelChoiceField(label="体裁", queryset=Genre.objects.all())
    keywords = forms.CharField(label="关键词", max_length=200, required=False)
    summary = forms.CharField(label="内容概述", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disclosure = forms.ChoiceField(label="公开属性", choices=Disclosure.choices, widget=forms.RadioSelect, initial=Disclosure.PROACTIVE)
    exemption_reason = forms.ChoiceField(label="不公开理由", choices=[("", "（主动公开无需填写）")] + ExemptionReason.choices, required=False)
    reassess_on = forms.DateField(label="复审日期", required=False, widget=DateInput(),
                                  help_text="依申请公开或不予公开的信息，到期重新评估能否公开（第十八条）")
    interprets_index = forms.CharField(label="解读的政策（索引号）", max_length=40, required=False,
                                       help_text="政策解读请填写被解读政策文件的索引号")
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}), required=False,
                           help_text="可直接粘贴文字（空行分段），或使用简单 HTML（段落、加粗、列表、表格、链接）。")
    attachments = MultipleFileField(label="附件", required=False, help_text="PDF、Word、Excel 或图片，单个不超过 20 MB")

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = CatalogueNode.objects.filter(agency=agency).select_related("parent")
        self.fields["catalogue_node"].queryset = nodes
        self.fields["catalogue_node"].choices = tree_choices(nodes, own_label="（本级）")
        self.fields["topic"].choices = tree_choices(TopicCategory.objects.select_related("parent"), leaves_only=True)

    def clean_interprets_index(self):
        number = self.cleaned_data.get("interprets_index", "").strip()
        if not number:
            return None
        policy = public_items().filter(index_number=number).first()
        if policy is None:
            raise forms.ValidationError("找不到该索引号对应的已发布政策文件。")
        return policy

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("attachments", "interprets_index")}
        data["interprets"] = self.cleaned_data.get("interprets_index")
        data["exemption_reason"] = data.get("exemption_reason") or ""
        return data

    def uploaded(self) -> list[tuple[str, bytes]]:
        return [(f.name, f.read()) for f in self.cleaned_data.get("attachments") or []]

    @staticmethod
    def initial_for(item: Item) -> dict:
        return {
            "title": item.title, "document_number": item.document_number, "publisher": item.publisher,
            "written_on": item.written_on, "catalogue_node": item.catalogue_node_id, "topic": item.topic_id,
            "genre": item.genre_id, "keywords": item.keywords, "summary": item.summary, "disclosure": item.disclosure,
            "exemption_reason": item.exemption_reason, "reassess_on": item.reassess_on, "body": item.body,
            "interprets_index": item.interprets.index_number if item.interprets_id else "",
        }


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ValidityForm(NamedErrorsMixin, forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on_date = forms.DateField(label="日期", required=False, widget=DateInput())


class ItemFileForm(NamedErrorsMixin, forms.Form):
    file = forms.FileField(
        label="信息文件",
        help_text="CSV（UTF-8 或 GBK/GB18030 编码，Excel、WPS 另存的“CSV（逗号分隔）”均可）、XLSX 或 JSON Lines；"
                  "第一行为列名，可用英文列名或中文列名（如“标题”“成文日期”）。",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.jsonl,.ndjson"}),
    )
