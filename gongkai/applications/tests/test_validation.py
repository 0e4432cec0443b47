"""The applicant checks of 条例第29条, as the public form and the API see them."""

import pytest

from gongkai.applications.validation import applicant_problems, clean_applicant
from gongkai.errors import ServiceError
from gongkai.pii.detectors import id_check_char

ID17 = "32010219851204301"


def details(**overrides):
    data = {"applicant_type": "natural", "applicant_name": "张晓明", "id_type": "resident_id",
            "id_number": ID17 + id_check_char(ID17), "phone": "13912345678", "email": "zxm@example.cn",
            "description": "请公开城乡低保资金发放情况", "provision_form": "email"}
    data.update(overrides)
    return data


def test_every_wrong_field_is_reported_once():
    _, problems = applicant_problems(details(applicant_name="", phone="12345", postcode="1234",
                                             id_number=ID17 + "0" if id_check_char(ID17) != "0" else ID17 + "1"))
    assert [(p.field, p.code) for p in problems] == [
        ("applicant_name", "APPLICATION_FIELD_REQUIRED"), ("id_number", "ID_NUMBER_INVALID"),
        ("phone", "PHONE_INVALID"), ("postcode", "POSTCODE_INVALID")]


def test_a_missing_email_for_email_delivery_is_one_problem_not_two():
    _, problems = applicant_problems(details(email=""))
    assert [(p.field, p.code) for p in problems] == [("email", "EMAIL_REQUIRED")]


def test_the_api_still_gets_the_first_problem():
    with pytest.raises(ServiceError) as caught:
        clean_applicant(details(applicant_name="", phone="12345"))
    assert caught.value.field == "applicant_name"


def test_clean_details_pass_normalised():
    data = clean_applicant(details(id_number=(ID17 + id_check_char(ID17)).lower(), applicant_name=" 张晓明 "))
    assert data["applicant_name"] == "张晓明" and data["id_number"] == data["id_number"].upper()
