"""Demo applications for the demo county: every state the workbench shows, a few closed replies,
one appeal. Written for gongkai; names and requests are invented."""

import datetime as dt
import random

from django.utils import timezone

from gongkai.applications import appeals, handling, intake, letters
from gongkai.applications.models import LetterKind
from gongkai.applications.replies import ReplyType
from gongkai.pii.detectors import id_check_char

REQUESTS = [
    ("natural", "王建国", "请公开2025年湖沟镇农村危房改造补助资金的拨付情况。"),
    ("natural", "刘桂兰", "申请获取清河县2025年城乡居民最低生活保障标准调整的文件。"),
    ("commercial", "清河县恒丰建材有限公司", "请提供县财政局2025年政府采购供应商投诉的处理决定。"),
    ("natural", "陈志强", "请公开人民路道路改造工程的立项批复及资金预算。"),
    ("legal_service", "江北正源律师事务所", "申请公开县市场监管局2025年食品安全抽检不合格产品处理决定。"),
    ("research", "青山市社会科学研究所", "申请获取清河县2021—2025年教育经费支出统计数据。"),
    ("natural", "赵丽华", "请公开城关镇2026年度征地补偿安置方案及补偿标准。"),
    ("public_interest", "清河县绿水环保志愿者协会", "请公开清河污水处理厂2025年各月出水水质监测报告。"),
    ("natural", "孙晓东", "请提供县人社局2025年公益性岗位招聘的报名和录用情况。"),
    ("other", "清河县城关镇东街社区居民委员会", "请公开东街老旧小区改造项目的设计方案和施工单位。"),
    ("natural", "周海燕", "申请获取我家宅基地审批档案（湖沟镇，2010年前后）。"),
    ("natural", "吴德明", "请公开县财政局2025年政府采购项目的中标结果汇总。"),
]

AGENCY_FOR = ["czj", "mzj", "czj", "zjj", "scj", "czj", "cgz", "zrj", "rsj", "zjj", "hgz", "czj"]


def _person_id(rng) -> str:
    body = f"9901{rng.randint(10, 99)}19{rng.randint(55, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + id_check_char(body)


def build_applications(agencies: dict, *, seed: int = 31) -> int:
    rng = random.Random(seed)
    today = timezone.localdate()
    arrivals = []
    for n, ((kind, name, text), key) in enumerate(zip(REQUESTS, AGENCY_FOR, strict=True)):
        data = {"applicant_type": kind, "applicant_name": name, "contact_person": "" if kind == "natural" else "李明",
                "id_type": "resident_id" if kind == "natural" else "uscc",
                "id_number": _person_id(rng) if kind == "natural" else f"52990121MJ{rng.randint(1000000, 9999999)}X",
                "phone": f"139{rng.randint(10000000, 99999999)}", "email": f"applicant{n}@example.cn",
                "address": f"清河县人民路{rng.randint(1, 200)}号", "postcode": "999100", "description": text,
                "provision_form": rng.choice(["email", "post", "pick_up"])}
        received = today - dt.timedelta(days=[3, 8, 12, 20, 26, 33, 40, 45, 55, 70, 90, 120][n])
        arrivals.append((received, n, agencies[key], data, rng.choice(["post", "in_person", "email"])))
    made = [None] * len(arrivals)
    # Registered in the order they arrived, each with its 受理回执 of that day, so 文号 run with the dates.
    for received, n, agency, data, channel in sorted(arrivals, key=lambda a: (a[0], a[1])):
        made[n], _secret = intake.register(actor=None, agency=agency, data=data, channel=channel, received_on=received,
                                           issue_receipt=False)
        handling.issue_letter(actor=None, letter=letters.compose(made[n], LetterKind.RECEIPT), on=received)
    # Open in several states, each notice issued on the day it was sent, as staff would after review.
    sent = made[1].received_on + dt.timedelta(days=2)
    handling.issue_letter(actor=None, on=sent, letter=handling.request_correction(
        actor=None, application=made[1], items="请写明所需文件的名称或文号。", deadline=today + dt.timedelta(days=14),
        on=sent))
    sent = made[2].received_on + dt.timedelta(days=3)
    handling.issue_letter(actor=None, on=sent, letter=handling.start_consultation(
        actor=None, application=made[2], party="被投诉的中标供应商", on=sent))
    intake.supervise(actor=None, application=made[6], on=True, note="涉及征地补偿，请优先办理")
    handling.issue_letter(actor=None, letter=handling.extend(
        actor=None, application=made[3], days=20, reason="涉及多个年度的资金凭证，需调取档案核对"))
    # Closed with replies of different kinds
    closing = [
        (made[7], ReplyType.PUBLIC_PROVIDED, "", ""),
        (made[8], ReplyType.PARTIAL, "X15", "录用人员身份证号等个人信息已作区分处理。"),
        (made[9], ReplyType.UNAVAILABLE_NOT_EXIST, "", "经检索，本机关未制作或获取该项目的设计方案。"),
        (made[10], ReplyType.WITHHELD_PROCESS, "X16-2", "所申请的审批过程稿属于过程性信息。"),
        (made[11], ReplyType.PUBLIC_ALREADY, "", ""),
    ]
    for application, reply_type, code, reason in sorted(closing, key=lambda c: c[0].received_on):
        letter = handling.decide_reply(actor=None, application=application, reply_type=reply_type, reason_code=code,
                                       reason=reason)
        # Answered 15 days after receipt, recorded with that day (the letter's date and 文号 year).
        handling.issue_letter(actor=None, letter=letter, on=application.received_on + dt.timedelta(days=15))
    appeals.appeal_add(actor=None, application=made[10], kind="review", body="清河县人民政府",
                       filed_on=today - dt.timedelta(days=10), case_number=f"清政复〔{(today - dt.timedelta(days=10)).year}〕3号")
    return len(made)
