"""Audit rows as a clerk reads them: Chinese names for objects and fields, values as shown in the
forms (choice labels, 是/否, the related object's name), and only what changed.

Names come from the models' own ``verbose_name``s through the documented ``Model._meta`` API, so a
field renamed in a model is renamed here too; a row whose model or field no longer exists falls
back to its stored name rather than failing.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

LONG_TEXT = 80
# Keys that services add to a snapshot beside the model's fields (disclosure.services._picture).
EXTRA_LABELS = {"body_sha256": "正文（指纹）", "public_body_sha256": "公开正文（指纹）", "attachments": "附件",
                "attachment": "附件", "roles": "角色", "step_on": "办理日期"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def model_for(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_for(object_type)
    return str(model._meta.verbose_name) if model else object_type


def model_field(model, name: str):
    """The model's own (concrete) field of that name; a snapshot key may also name a reverse
    relation (an agency's ``office``) or something no longer on the model."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.concrete else None


def field_label(model, name: str) -> str:
    field = model_field(model, name)
    if field is not None:
        return str(field.verbose_name)
    try:  # a reverse relation: the related model's name
        return str(model._meta.get_field(name).related_model._meta.verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return EXTRA_LABELS.get(name, name)


class Reader:
    """Turns stored values into text; related objects are looked up once per page, not per row."""

    def __init__(self):
        self._related: dict[tuple, str] = {}

    def changes(self, entry) -> list[Change]:
        model = model_for(entry.object_type)
        before, after = entry.before or {}, entry.after or {}
        return [Change(name, field_label(model, name), self.text(model, name, before.get(name)),
                       self.text(model, name, after.get(name)))
                for name in entry.changed_fields()]

    def text(self, model, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        field = model_field(model, name)
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(self.text(model, name, v) for v in value)
        if isinstance(value, dict):
            value = "；".join(f"{k}：{v}" for k, v in value.items())
        if field is not None and field.choices:
            return str(dict(field.choices).get(value, value))
        if isinstance(field, models.ForeignKey) and isinstance(value, int | str):
            return self.related(field.related_model, value)
        text = value if isinstance(value, str) else str(value)
        return text if len(text) <= LONG_TEXT else text[:LONG_TEXT - 1] + "…"

    def related(self, model, pk) -> str:
        key = (model._meta.label_lower, str(pk))
        if key not in self._related:
            found = model._default_manager.filter(pk=pk).first()
            self._related[key] = f"{found}" if found is not None else f"#{pk}（已删除）"
        return self._related[key]
