from django import forms

from gongkai.portal.models import SiteIdentity
from gongkai.portal.site_identity import FIELDS
from gongkai.web.forms import NamedErrorsMixin


class SiteIdentityForm(NamedErrorsMixin, forms.ModelForm):
    """Only the fields; the checks and the write are site_identity.site_identity_update's."""

    class Meta:
        model = SiteIdentity
        fields = FIELDS
        # Plain text: the service checks the address and says what is wrong (no guessed scheme).
        field_classes = {"police_url": forms.CharField, "conac_url": forms.CharField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = []  # the service checks and explains (site_identity._validate)
        for name in ("police_url", "conac_url", "error_report_url"):
            self.fields[name].widget.attrs["inputmode"] = "url"
