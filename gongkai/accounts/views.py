"""The second-factor pages: enrol an authenticator, verify a code (or use a security key) at
sign-in, renew recovery codes, register, name and remove security keys; and the 安全管理员's reset
of someone's second factor."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.accounts import security_keys as keys
from gongkai.accounts import twofactor
from gongkai.errors import ServiceError
from gongkai.orgs.roles import Perm
from gongkai.web.actions import run_and_return
from gongkai.web.scope import agency_for

User = get_user_model()


class CodeForm(forms.Form):
    token = forms.CharField(label="验证码", max_length=16, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
    }))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/staff/"


def _qr_svg(data: str) -> str:
    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg"):]  # inline in the page: without the XML declaration


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def enrol(request):
    if twofactor.is_enrolled(request.user):
        return redirect("accounts:verify")
    device = twofactor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.enrol_confirm(request, token=form.cleaned_data["token"])
        except ServiceError as error:
            form.add_error("token", error.message)
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/enrol.html", {
        "form": form, "qr": mark_safe(_qr_svg(device.config_url)), "secret": _grouped(secret), "next": _next(request),
    })


@login_required
def verify(request):
    if not twofactor.is_enrolled(request.user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            twofactor.verify(request, token=form.cleaned_data["token"])
        except ServiceError as error:
            form.add_error("token", error.message)
        else:
            return redirect(_next(request))
    return render(request, "accounts/verify.html", {
        "form": form, "next": _next(request), "has_keys": keys.has_keys(request.user),
    })


@login_required
def recovery_codes(request):
    if request.method == "POST":
        try:
            codes = twofactor.recovery_codes_renew(actor=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("staff:home")
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/staff/"})
    return render(request, "accounts/recovery_renew.html", {
        "left": twofactor.recovery_codes_left(request.user), "keys": keys.keys_of(request.user).count(),
    })


@login_required
def security_keys(request):
    new = request.GET.get("new", "")
    return render(request, "accounts/security_keys.html", {
        "keys": keys.keys_of(request.user), "new": int(new) if new.isdigit() else None,
        "name_max_length": keys.NAME_MAX_LENGTH,
    })


@login_required
@require_POST
def security_key_rename(request, key_id):
    return run_and_return(request, lambda: keys.security_key_rename(actor=request.user, key_id=key_id,
                                                                    name=request.POST.get("name", "")),
                          "已保存安全密钥的名称。", "accounts:security_keys")


@login_required
@require_POST
def security_key_remove(request, key_id):
    return run_and_return(request, lambda: keys.security_key_remove(actor=request.user, key_id=key_id),
                          "已移除安全密钥。身份验证器和恢复码仍可使用。", "accounts:security_keys")


@login_required
@require_POST
def reset_second_factor(request, code, user_id):
    agency = agency_for(request, code, Perm.MANAGE_SECURITY)
    person = get_object_or_404(User.objects.filter(memberships__agency=agency).distinct(), pk=user_id)
    return run_and_return(request, lambda: twofactor.second_factor_reset(actor=request.user, user=person),
                          "已重置双因素认证，该人员下次登录时须重新绑定身份验证器。", "staff:person",
                          code=agency.code, user_id=person.pk)
