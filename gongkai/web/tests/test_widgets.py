"""Every date field in a form renders the ISO value a native date picker accepts, whatever the locale."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from gongkai.applications.forms import RegisterForm
from gongkai.disclosure.forms import ItemForm, ValidityForm
from gongkai.staff.forms import DeadlineForm, NoticeForm

DATED_FORMS = [ItemForm, ValidityForm, RegisterForm, NoticeForm, DeadlineForm]


@pytest.mark.parametrize("form_class", DATED_FORMS, ids=lambda c: c.__name__)
def test_date_fields_render_iso_under_the_chinese_locale(form_class):
    date_fields = {name: f for name, f in form_class.base_fields.items() if isinstance(f, forms.DateField)}
    assert date_fields, f"{form_class.__name__} has no date field any more; update DATED_FORMS"
    with translation.override("zh-hans"):
        for name, field in date_fields.items():
            html = field.widget.render(name, dt.date(2026, 11, 1))
            assert 'type="date"' in html and 'value="2026-11-01"' in html, (name, html)


def test_an_iso_value_posted_back_is_accepted_under_the_chinese_locale():
    with translation.override("zh-hans"):
        form = DeadlineForm({"start": "2026-11-01", "working_days": "20"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2026, 11, 1)
