"""Form widgets shared by the staff and public forms."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker whose value is always ISO ``YYYY-MM-DD``.

    ``<input type=date>`` accepts only that wire format (HTML's "valid date string"); Django's plain
    DateInput renders the active locale's first input format instead (``2026/11/01`` under zh-hans),
    which the browser discards, so an unchanged form came back with the date missing.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
