"""Form helpers: a service refusal shown next to its field, and error messages that name the field."""

from django import forms

from gongkai.errors import ServiceError


def attach_service_error(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class NamedErrorsMixin:
    """Error messages that name the field and say what to do.

    Django's defaults (「这个字段是必填项」, 「输入一个有效的 Email 地址」) do not say which field is
    meant, and read badly in an error summary that lists every problem of the page at once.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {**field.error_messages, **named_messages(field)}


def named_messages(field) -> dict:
    label = field.label or ""
    picked = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
    messages = {
        "required": f"请选择“{label}”。" if picked else f"请填写“{label}”。",
        "invalid_choice": f"“{label}”的选项无效，请从列表中重新选择。",
        "max_length": f"“{label}”不能超过%(limit_value)d个字符（现有%(show_value)d个）。",
        "min_length": f"“{label}”至少需要%(limit_value)d个字符（现有%(show_value)d个）。",
        "max_value": f"“{label}”不能大于%(limit_value)s。",
        "min_value": f"“{label}”不能小于%(limit_value)s。",
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = f"“{label}”格式不正确，请填写如 name@example.cn 的地址。"
    elif isinstance(field, forms.DateField):
        messages["required"] = f"请填写“{label}”（年-月-日，如2026-01-05）。"
        messages["invalid"] = f"“{label}”不是有效日期，请按年-月-日填写，如2026-01-05。"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"“{label}”应填写整数。"
    return messages
