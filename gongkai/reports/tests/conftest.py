"""A clean hand-made report to break one rule at a time, and records an agency's year is built from."""

import copy
import datetime as dt
import json

import pytest
from django.utils import timezone

from gongkai.reports.computation.schema import OUTCOME_ROWS, REVIEW_GROUPS


def _row(natural=0, commercial=0, research=0, social_welfare=0, legal_service=0, other=0) -> dict:
    cells = {"natural": natural, "commercial": commercial, "research": research, "social_welfare": social_welfare,
             "legal_service": legal_service, "other": other}
    return {**cells, "total": sum(cells.values())}


def clean_report(fmt: str = "2021") -> dict:
    """A consistent report: 58+2 natural and 7 commercial new, every rule holds."""
    requests = {row: _row() for row in ("new", "carried_over", *OUTCOME_ROWS[fmt], "total_processed", "carried_forward")}
    requests["new"] = _row(natural=58, commercial=7, legal_service=1)
    requests["carried_over"] = _row(natural=2)
    requests["granted"] = _row(natural=30, commercial=4)
    requests["partial"] = _row(natural=10, commercial=1)
    requests["denied_internal_affairs"] = _row(natural=3)
    requests["unable_not_held"] = _row(natural=12, commercial=2, legal_service=1)
    other_row = "other_other" if fmt == "2021" else "other_processing"
    requests[other_row] = _row(natural=1)
    requests["total_processed"] = _row(natural=56, commercial=7, legal_service=1)
    requests["carried_forward"] = _row(natural=4)
    review = {group: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0} for group in REVIEW_GROUPS}
    review["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3}
    return {
        "agency": "某县人民政府办公室",
        "year": 2025,
        "format": fmt,
        "active": active_2019() if fmt == "2019" else {
            "regulations": {"issued": 0, "repealed": 0, "in_force": 3},
            "normative_documents": {"issued": 5, "repealed": 1, "in_force": 25},
            "licensing": {"decisions": 120},
            "punishment": {"decisions": 40},
            "coercion": {"decisions": 2},
            "fees": {"amount_10k_yuan": 12.5},
        },
        "requests": requests,
        "review_litigation": review,
    }


def active_2019() -> dict:
    """Table 二 of the 2019 trial format as an agency would fill it in (本年增/减 may be negative)."""
    return {
        "regulations": {"made": 0, "published": 0, "published_total": 3},
        "normative_documents": {"made": 6, "published": 5, "published_total": 31},
        "licensing": {"previous_items": 40, "change": -3, "decisions": 120},
        "other_management_services": {"previous_items": 12, "change": 2, "decisions": 310},
        "punishment": {"previous_items": 25, "change": 0, "decisions": 40},
        "coercion": {"previous_items": 4, "change": 1, "decisions": 2},
        "fees": {"previous_items": 3, "change": -1},
        "procurement": {"projects": 17, "total_amount": 236.8},
    }


def previous_of(report: dict) -> dict:
    """Last year's report whose 结转 and 现行有效 (2019: 对外公开总数量) agree with ``report`` (R6, W1 hold)."""
    previous = copy.deepcopy(report)
    previous["year"] = report["year"] - 1
    previous["requests"]["carried_forward"] = copy.deepcopy(report["requests"]["carried_over"])
    for row in ("regulations", "normative_documents"):
        cells = report["active"][row]
        if report["format"] == "2019":
            previous["active"][row]["published_total"] = cells["published_total"] - cells["published"]
        else:
            previous["active"][row]["in_force"] = cells["in_force"] - cells["issued"] + cells["repealed"]
    return previous


def clean_outline_report() -> dict:
    """A consistent 2008-outline report (format "2008") for 2015: 40 items in four categories."""
    review = {group: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0} for group in REVIEW_GROUPS}
    review["review"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    return {
        "agency": "某县人民政府办公室",
        "year": 2015,
        "format": "2008",
        "proactive": {"total": 40, "cumulative": 260, "categories": [
            {"name": "概况信息", "count": 3, "percent": 7.5}, {"name": "政策文件", "count": 12, "percent": 30.0},
            {"name": "工作动态", "count": 22, "percent": 55.0}, {"name": "其他", "count": 3, "percent": 7.5}]},
        "requests": {
            "received": 6, "channels": {"online": 3, "in_person": 2, "post": 1, "plain_letter": 0, "fax": 0,
                                        "email": 0, "oral": 0},
            "carried_over": 1,
            "outcomes": {"granted": 3, "partial": 1, "denied": 0, "not_responsible": 1, "not_exist": 1, "unclear": 0,
                         "other": 0},
            "answered": 6, "carried_forward": 1,
        },
        "fees": {"charged": {"cases": 1, "yuan": 35}, "waived": {"cases": 0, "yuan": 0}},
        "review_litigation": review,
    }


@pytest.fixture
def report() -> dict:
    return clean_report()


@pytest.fixture
def write(tmp_path):
    def to_file(value, name="report.json") -> str:
        path = tmp_path / name
        path.write_text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return to_file


# --- records -------------------------------------------------------------------------------------

def register(world, *, received_on, agency=None, channel="in_person", **overrides):
    from gongkai.applications import intake
    from gongkai.applications.tests.conftest import applicant

    application, _secret = intake.register(actor=world.drafter_a if agency is None else world.drafter_b,
                                           agency=agency or world.agency_a, data=applicant(**overrides),
                                           channel=channel, received_on=received_on)
    return application


def close_with(world, application, reply_type, *, closed_on, reason_code="", reason=""):
    """Decide and issue the 答复书; the service closes the case today, so move closed_on to the date
    the story needs (the services have no notion of back-dating a closure)."""
    from gongkai.applications import handling
    from gongkai.applications.models import Application

    letter = handling.decide_reply(actor=world.drafter_a, application=application, reply_type=reply_type,
                                   reason_code=reason_code, reason=reason)
    handling.issue_letter(actor=world.drafter_a, letter=letter)
    Application.objects.filter(pk=application.pk).update(closed_on=closed_on, replied_on=closed_on)


def abandon(world, application, *, closed_on):
    """第30条 视为放弃: request a correction, let the deadline pass, close; then date the closure."""
    from gongkai.applications import handling
    from gongkai.applications.models import Application, ClockEvent

    today = timezone.localdate()
    handling.request_correction(actor=world.drafter_a, application=application, items="请写明文件名称",
                                deadline=today + dt.timedelta(days=10))
    ClockEvent.objects.filter(application=application).update(until=today - dt.timedelta(days=1))  # time passes
    handling.close_abandoned(actor=world.drafter_a, application=application, why="no_correction")
    Application.objects.filter(pk=application.pk).update(closed_on=closed_on)


def import_items(tmp_path, rows: list[dict]) -> None:
    """Items as a legacy site would hand them over: published, with their own published_on."""
    from gongkai.disclosure.item_files import ImportRefused
    from gongkai.disclosure.item_import import import_items as run_import

    path = tmp_path / f"items-{len(list(tmp_path.iterdir()))}.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    try:
        run_import(path, actor=None)
    except ImportRefused as refused:
        raise AssertionError([p.as_dict() for p in refused.problems]) from refused


def item_row(agency, title, *, catalogue, published_on, validity="valid", changed_on="", disclosure="proactive"):
    return {
        "agency_code": agency.code, "index_number": "", "title": title, "document_number": "", "publisher": "",
        "written_on": published_on, "published_on": published_on, "catalogue": catalogue,
        "topic": "财政、金融、审计/财政", "genre": "通知", "keywords": "", "summary": "", "disclosure": disclosure,
        "exemption_reason": "" if disclosure == "proactive" else "X16-1", "reassess_on": "" if disclosure == "proactive" else "2027-01-01", "validity": validity,
        "validity_changed_on": changed_on, "body": "正文。",
    }
