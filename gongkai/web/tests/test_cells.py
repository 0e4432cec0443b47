"""Exports never hand a spreadsheet a formula typed by a user (one helper, every writer)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications.tests.conftest import register
from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.disclosure.item_files import COLUMNS, EXPORT_EXTRA, write_export
from gongkai.web.cells import safe_cell, safe_row

ATTACKS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_starts_become_text(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_numbers_and_none_are_unchanged():
    assert safe_row(["张三", 5, -3, 1.5, None, "", "a=b"]) == ["张三", 5, -3, 1.5, None, "", "a=b"]


@pytest.mark.django_db
def test_ledger_xlsx_keeps_an_applicant_name_as_text(world, login):
    register(world, applicant_name="=1+1张三")
    response = login(world.admin_a).get(reverse("applications_staff:ledger", args=[world.agency_a.code]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in sheet[2] if isinstance(c.value, str) and "张三" in c.value)
    assert cell.value == "'=1+1张三" and cell.data_type == "s"


@pytest.mark.django_db
def test_audit_csv_and_xlsx_exports_neutralise_formulas(world, login):
    record(actor=world.admin_a, action=Action.EDIT, obj=world.agency_a, agency=world.agency_a, note="@SUM(1)股")
    client = login(world.admin_a)
    url = reverse("staff:audit_export", args=[world.agency_a.code])
    text = client.get(url).content.decode("utf-8-sig")
    assert "'@SUM(1)股" in text and not any(v.startswith("@") for row in csv.reader(io.StringIO(text)) for v in row)
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'@SUM(1)股" in values and not any(v.startswith(("=", "@")) for v in values)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_item_exports_neutralise_formulas(fmt):
    row = dict.fromkeys([*COLUMNS, *EXPORT_EXTRA], "")
    row["title"] = "=cmd|' /C calc'!A0"
    out = io.BytesIO()
    write_export([row], fmt, out)
    if fmt == "csv":
        values = next(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
        assert values["title"] == "'=cmd|' /C calc'!A0"
    else:
        sheet = load_workbook(io.BytesIO(out.getvalue())).active
        assert "'=cmd|' /C calc'!A0" in [c.value for c in sheet[2]]
