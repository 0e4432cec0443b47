from django import forms

from gongkai.disclosure.models import (
    CatalogueNode,
    ConcernLevel,
    ConcernResponse,
    Disclosure,
    ExemptionReason,
    Genre,
    InterpretationForm,
    Item,
    TopicCategory,
    Validity,
)
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.responses import CONCERN_FIELDS
from gongkai.disclosure.taxonomy import CONCERN_RESPONSE_GENRE, PRESS_CONFERENCE_GENRE
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


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; ``datetime-local`` accepts only the ISO wire format."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


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
    interpretation_form = forms.ChoiceField(label="解读形式", required=False,
                                            choices=[("", "（不是政策解读）")] + InterpretationForm.choices,
                                            help_text="图解须上传图片附件；视频须填写视频链接")
    video_url = forms.CharField(label="视频链接", max_length=500, required=False,
                                help_text="视频解读或发布会录像的网址，以 https:// 或 http:// 开头")
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}), required=False,
                           help_text="可直接粘贴文字（空行分段），或使用简单 HTML（段落、加粗、列表、表格、链接）。")
    attachments = MultipleFileField(label="附件", required=False, help_text="PDF、Word、Excel 或图片，单个不超过 20 MB")
    # 回应关切 only (体裁“回应关切”); shown in a fieldset of their own.
    concern_description = forms.CharField(label="回应的关切事项", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                          help_text="公众关注的问题或传言，简要说明")
    concern_source_url = forms.CharField(label="关切来源链接", max_length=500, required=False,
                                         help_text="如网络报道、留言的网址（可选）")
    concern_surfaced_at = forms.DateTimeField(label="关切出现时间", required=False, widget=DateTimeInput())
    concern_level = forms.ChoiceField(label="关切级别", choices=ConcernLevel.choices, initial=ConcernLevel.GENERAL,
                                      required=False, help_text="重大突发事件须5小时内发布权威信息、24小时内召开新闻发布会；一般关切48小时内回应")
    concern_responded_at = forms.DateTimeField(label="首次回应时间", required=False, widget=DateTimeInput(),
                                               help_text="先通过政务微博等其他渠道发布的，填写最早发布时间；留空则按本条信息发布时间计算")
    concern_response_channel = forms.CharField(label="首次回应渠道", max_length=100, required=False)

    CONCERN_PREFIX = "concern_"

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

    def main_fields(self):
        return [f for f in self if not f.name.startswith(self.CONCERN_PREFIX)]

    def concern_fields(self):
        return [f for f in self if f.name.startswith(self.CONCERN_PREFIX)]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("attachments", "interprets_index") and not k.startswith(self.CONCERN_PREFIX)}
        data["interprets"] = self.cleaned_data.get("interprets_index")
        data["exemption_reason"] = data.get("exemption_reason") or ""
        return data

    def concern_data(self) -> dict | None:
        """The concern a 回应关切 answers, or None for any other genre (left out of the item)."""
        genre = self.cleaned_data.get("genre")
        if genre is None or genre.code != CONCERN_RESPONSE_GENRE:
            return None
        return {name: self.cleaned_data.get(self.CONCERN_PREFIX + name) for name in CONCERN_FIELDS}

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
            "interpretation_form": item.interpretation_form, "video_url": item.video_url,
            **ItemForm.concern_initial(item),
        }

    @staticmethod
    def concern_initial(item: Item) -> dict:
        concern = ConcernResponse.objects.filter(item=item).first()
        if concern is None:
            return {}
        return {ItemForm.CONCERN_PREFIX + name: getattr(concern, name) for name in CONCERN_FIELDS}


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ValidityForm(NamedErrorsMixin, forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on_date = forms.DateField(label="日期", required=False, widget=DateInput())


class PressConferenceForm(NamedErrorsMixin, forms.Form):
    topic = forms.CharField(label="发布会主题", max_length=200)
    held_at = forms.DateTimeField(label="召开时间", widget=DateTimeInput())
    place = forms.CharField(label="地点", max_length=200, required=False)
    speakers = forms.CharField(label="发布人", widget=forms.Textarea(attrs={"rows": 3}), help_text="每行一位，如：县财政局局长 王某某")
    summary = forms.CharField(label="内容摘要", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    video_url = forms.CharField(label="视频链接", max_length=500, required=False, help_text="以 https:// 或 http:// 开头")
    transcript = forms.ModelChoiceField(label="文字实录", queryset=Item.objects.none(), required=False,
                                        help_text="本机构体裁为“新闻发布会”的信息（先登记并发布实录）")
    related_indexes = forms.CharField(label="相关政策与回应（索引号）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text="每行一个已发布信息的索引号")

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transcript"].queryset = Item.objects.filter(agency=agency, genre__code=PRESS_CONFERENCE_GENRE)

    def clean_related_indexes(self):
        numbers = [n.strip() for n in self.cleaned_data.get("related_indexes", "").split() if n.strip()]
        found = {i.index_number: i for i in public_items().filter(index_number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"找不到这些索引号对应的已发布信息：{'、'.join(missing)}")
        return [found[n] for n in dict.fromkeys(numbers)]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "related_indexes"}
        data["related_items"] = self.cleaned_data.get("related_indexes") or []
        return data

    @staticmethod
    def initial_for(conference) -> dict:
        return {
            "topic": conference.topic, "held_at": conference.held_at, "place": conference.place,
            "speakers": conference.speakers, "summary": conference.summary, "video_url": conference.video_url,
            "transcript": conference.transcript_id,
            "related_indexes": "\n".join(conference.related_items.values_list("index_number", flat=True)),
        }


class ItemFileForm(NamedErrorsMixin, forms.Form):
    file = forms.FileField(
        label="信息文件",
        help_text="CSV（UTF-8 或 GBK/GB18030 编码，Excel、WPS 另存的“CSV（逗号分隔）”均可）、XLSX 或 JSON Lines；"
                  "第一行为列名，可用英文列名或中文列名（如“标题”“成文日期”）。",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.jsonl,.ndjson"}),
    )
