"""政策解读 in several forms (文字, 图解, 问答, 视频, ...): the rules of each form and the policy's
interpretations grouped by form. A policy may have several 解读, one per form or more; each points
at the policy (``Item.interprets``) and the policy's page lists them all (linked both ways)."""

from gongkai.disclosure.models import InterpretationForm, Item
from gongkai.disclosure.responses import web_url
from gongkai.errors import ServiceError

FORMS = frozenset(InterpretationForm.values)
IMAGE_KINDS = frozenset({"png", "jpeg", "gif"})  # attachment kinds (attachments.sniff) that are pictures


def clean_form(data: dict, merged: dict) -> None:
    """Checks the form and the video link of an item's data, normalising ``data`` in place.

    An interpretation saved without a form (an import, an older caller) is a 文字解读."""
    if "video_url" in data:
        data["video_url"] = web_url(data["video_url"], code="ITEM_VIDEO_URL_INVALID", field="video_url", label="视频链接")
        merged["video_url"] = data["video_url"]
    form = merged.get("interpretation_form") or ""
    if form and form not in FORMS:
        raise ServiceError("ITEM_INTERPRETATION_FORM_INVALID", "解读形式应为文字解读、图解、问答、视频、新闻发布会或专家解读。",
                           field="interpretation_form")
    if merged.get("interprets") is None:
        if form:
            raise ServiceError("ITEM_INTERPRETATION_POLICY_REQUIRED", "选择了解读形式，请填写被解读政策文件的索引号。",
                               field="interprets_index")
        return
    if not form:
        data["interpretation_form"] = InterpretationForm.TEXT
    elif form == InterpretationForm.VIDEO and not merged.get("video_url"):
        raise ServiceError("ITEM_VIDEO_URL_REQUIRED", "视频解读请填写视频的网址（https:// 或 http:// 开头）。", field="video_url")


def require_image(form: str, kinds) -> None:
    """A 图解 is a picture: it needs at least one image attachment (PNG, JPEG or GIF)."""
    if form == InterpretationForm.GRAPHIC and not IMAGE_KINDS & set(kinds):
        raise ServiceError("ITEM_GRAPHIC_IMAGE_REQUIRED", "图解须上传至少一张图片附件（PNG、JPEG 或 GIF）。",
                           field="attachments")


def by_form(interpretations) -> list[tuple[str, list[Item]]]:
    """(form label, items) in the order of InterpretationForm, forms without items left out."""
    groups: dict[str, list[Item]] = {}
    for item in interpretations:
        groups.setdefault(item.interpretation_form or InterpretationForm.TEXT, []).append(item)
    return [(form.label, groups[form.value]) for form in InterpretationForm if form.value in groups]
