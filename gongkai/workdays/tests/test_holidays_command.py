import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.workdays.calendar import add_working_days
from gongkai.workdays.models import HolidayNotice

pytestmark = pytest.mark.django_db

NOTICE = {
    "year": 2027, "title": "国务院办公厅关于2027年部分节假日安排的通知", "document_number": "国办发明电〔2026〕X号",
    "ranges": [{"kind": "holiday", "start": "2027-01-01", "end": "2027-01-03", "label": "元旦"}],
}


def write(tmp_path, data):
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_add_a_2027_notice_from_a_file(tmp_path, capsys):
    call_command("holidays", "add", write(tmp_path, NOTICE))
    assert "已录入" in capsys.readouterr().out
    assert add_working_days(__import__("datetime").date(2026, 12, 31), 1).due.isoformat() == "2027-01-04"
    call_command("holidays", "list", "--json")
    assert json.loads(capsys.readouterr().out)[0]["ranges"][0]["label"] == "元旦"


@pytest.mark.parametrize(
    ("data", "code"),
    [({**NOTICE, "ranges": [{"kind": "holiday", "start": "2027-01-03", "end": "2027-01-01"}]}, "RANGE_INVERTED"),
     ({**NOTICE, "ranges": [{"kind": "holiday", "start": "2027-01-01", "end": "2027-01-03"},
                            {"kind": "workday", "start": "2027-01-03", "end": "2027-01-03"}]}, "RANGE_OVERLAP"),
     ({**NOTICE, "year": "soon"}, "NOTICE_FILE_INVALID"),
     ("{not json", "NOTICE_FILE_INVALID")],
)
def test_bad_files_are_refused_with_a_code(tmp_path, data, code):
    with pytest.raises(CommandError, match=code):
        call_command("holidays", "add", write(tmp_path, data))
    assert HolidayNotice.objects.count() == 0


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="NOTICE_FILE_NOT_FOUND"):
        call_command("holidays", "add", str(tmp_path / "missing.json"))


def test_only_system_admins_may_add_notices_from_the_command_line(world, tmp_path):
    with pytest.raises(CommandError, match="PERMISSION_DENIED"):
        call_command("holidays", "add", write(tmp_path, NOTICE), "--as", "admin_a")
    call_command("holidays", "add", write(tmp_path, NOTICE), "--as", "sysadmin")
    assert HolidayNotice.objects.get().created_by == world.sysadmin
