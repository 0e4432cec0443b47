"""Last year's requests of the demo county, so its annual reports have figures to show.

Registered on the day each arrived and answered through the handling services on the day the reply
was signed (the services' dates for steps recorded afterwards), so receipts, replies, their 文号 and
「本机关于…收到」 carry the case's own dates and year. Two cases received in December are answered
in January, so table 三 carries them over (结转下年度).
"""

import datetime as dt
import random

from django.utils import timezone

from gongkai.applications import appeals, handling, intake, letters
from gongkai.applications.models import LetterKind
from gongkai.applications.replies import ReplyType
from gongkai.demo.applications import _person_id

# (agency key, applicant type, name, what is asked for, reply type, reason code, reason, month, days to answer)
LAST_YEAR = [
    ("czj", "natural", "赵春梅", "请公开本县2025年城乡居民医疗保险财政补助资金的安排情况。", ReplyType.PUBLIC_PROVIDED, "", "", 2, 12),
    ("czj", "natural", "孙立新", "申请获取县财政局2024年度部门决算。", ReplyType.PUBLIC_ALREADY, "", "", 3, 5),
    ("czj", "commercial", "清河县顺达物流有限公司", "请提供县级物流园区建设补助资金的分配文件。", ReplyType.PARTIAL, "X15",
     "资金分配表中其他企业的银行账户信息已作区分处理。", 4, 18),
    ("czj", "natural", "钱卫东", "请公开某乡镇干部个人的收入情况。", ReplyType.WITHHELD_THIRD_PARTY, "X15",
     "所申请信息为第三方个人信息，公开会对其合法权益造成损害。", 5, 15),
    ("czj", "legal_service", "江北明德律师事务所", "申请获取县财政局内部会议的讨论记录。", ReplyType.WITHHELD_PROCESS, "X16-2",
     "所申请的讨论记录属于过程性信息。", 6, 16),
    ("czj", "natural", "周海燕", "请公开2019年以前的一笔已销毁的票据存根。", ReplyType.UNAVAILABLE_NOT_EXIST, "",
     "经检索，该票据存根已按档案管理规定销毁，本机关不掌握。", 7, 10),
    ("czj", "natural", "吴国平", "请公开县财政局2025年第三季度“三公”经费支出明细。", ReplyType.PUBLIC_PROVIDED, "", "", 12, 24),
    ("mzj", "natural", "郑秀英", "申请获取本县2025年临时救助标准的文件。", ReplyType.PUBLIC_ALREADY, "", "", 3, 4),
    ("mzj", "natural", "冯建军", "请公开城关镇低保对象名单中本人家庭的审核意见。", ReplyType.WITHHELD_ADMIN_QUERY, "",
     "本人家庭的低保审核意见由城关镇人民政府社会救助窗口依照《社会救助暂行办法》向申请人本人提供查询。", 5, 9),
    ("mzj", "other", "湖沟镇老年协会", "请提供养老服务补贴的申领条件和程序。", ReplyType.PUBLIC_PROVIDED, "", "", 8, 11),
    ("jyj", "natural", "褚丽华", "申请获取城关小学2025年学区划分方案。", ReplyType.PUBLIC_ALREADY, "", "", 4, 3),
    ("jyj", "research", "江北师范学院教育研究所", "请提供县域义务教育学校教师配备统计数据。", ReplyType.UNAVAILABLE_NEEDS_CREATION, "",
     "所需统计口径与本机关现有统计不同，需另行加工制作。", 9, 19),
    ("jyj", "natural", "卫志刚", "请公开我对某教师的投诉处理结果。", ReplyType.NOT_PROCESSED_PETITION, "",
     "该申请属于投诉事项，已告知通过投诉处理渠道办理。", 10, 8),
    ("zjj", "commercial", "清河县宏基建筑工程有限公司", "请公开人民路改造工程施工许可的批准文件。", ReplyType.PUBLIC_PROVIDED, "", "",
     6, 14),
    ("zjj", "natural", "蒋红梅", "申请获取本小区物业维修资金的使用审批材料。", ReplyType.PARTIAL, "X15",
     "业主个人信息已作区分处理。", 11, 17),
    ("zjj", "natural", "沈建华", "请公开老旧小区改造项目的招标文件。", ReplyType.PUBLIC_PROVIDED, "", "", 12, 26),
    ("qhxzf", "natural", "韩立军", "请公开县政府2025年第十二次常务会议关于征地补偿的决定。", ReplyType.PUBLIC_PROVIDED, "", "",
     7, 15),
]


def _contact(rng, kind, name, n):
    person = kind == "natural"
    return {"applicant_type": kind, "applicant_name": name, "contact_person": "" if person else "王磊",
            "id_type": "resident_id" if person else "uscc",
            "id_number": _person_id(rng) if person else f"52990121MJ{rng.randint(1000000, 9999999)}X",
            "phone": f"138{rng.randint(10000000, 99999999)}", "email": f"lastyear{n}@example.cn",
            "address": f"清河县建设路{rng.randint(1, 200)}号", "postcode": "999100", "provision_form": "email"}


def register_on(agency, data: dict, received: dt.date):
    """An application that came in person on ``received``, registered with its 受理回执 of that day."""
    application, _secret = intake.register(actor=None, agency=agency, data=data, channel="in_person",
                                           received_on=received, issue_receipt=False)
    handling.issue_letter(actor=None, letter=letters.compose(application, LetterKind.RECEIPT), on=received)
    return application


def build_last_year(agencies: dict, *, seed: int = 25) -> int:
    rng = random.Random(seed)
    today = timezone.localdate()
    year = today.year - 1
    for n, (key, kind, name, text, reply_type, code, reason, month, days) in enumerate(LAST_YEAR):
        data = {**_contact(rng, kind, name, n), "description": text}
        received = dt.date(year, month, 3 + n)
        application = register_on(agencies[key], data, received)
        letter = handling.decide_reply(actor=None, application=application, reply_type=reply_type,
                                       reason_code=code, reason=reason)
        # A case of late December built in early January is answered on the day the demo is built.
        handling.issue_letter(actor=None, letter=letter, on=min(received + dt.timedelta(days=days), today))
        if reply_type == ReplyType.WITHHELD_THIRD_PARTY:
            application.refresh_from_db()
            appeals.appeal_add(actor=None, application=application, kind="review", body="清河县人民政府",
                               filed_on=dt.date(year, 8, 20), case_number=f"清政复〔{year}〕11号")
    return len(LAST_YEAR)
