"""行政规范性文件 of the demo county, so table 二（一） of its annual reports counts something.

A county's departments and its government make a few such documents a year, each numbered in its
own 规 series (清财规〔2025〕1号), and now and then repeal an old one when a new one replaces it.
Written for gongkai (titles and text invented), published through the disclosure services on the
dates they came out; table 二 counts 制发 by published_on and 废止 by the repeal date
(reports/computation/compute.py).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.disclosure import search_sync, services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Genre, TopicCategory
from gongkai.disclosure.taxonomy import NORMATIVE_DOCUMENT_NODE

# (agency key, 文号 series, years before this one, month, day, subject, topic (parent, child), what it
# settles, the older document it replaces (repealed on this one's date) or "")
DOCUMENTS = [
    ("czj", "清财规", 3, 4, 12, "清河县县级财政专项资金管理暂行办法", ("财政、金融、审计", "财政"),
     "专项资金的设立、分配和拨付", ""),
    ("czj", "清财规", 1, 2, 18, "清河县县级财政专项资金管理办法", ("财政、金融、审计", "财政"),
     "专项资金的设立、分配、拨付、绩效评价和信息公开", "清河县县级财政专项资金管理暂行办法"),
    ("czj", "清财规", 1, 6, 9, "清河县惠民惠农财政补贴资金“一卡通”发放管理办法", ("财政、金融、审计", "财政"),
     "补贴资金的申报审核、发放到户、公示和监督检查", ""),
    ("mzj", "清民规", 1, 3, 20, "清河县临时救助实施细则", ("民政、扶贫、救灾", "社会福利"),
     "临时救助的对象范围、救助标准、申请审批和紧急程序", ""),
    ("jyj", "清教规", 1, 4, 8, "清河县义务教育阶段学校招生入学管理办法", ("科技、教育", "教育"),
     "学区划分、报名材料、随迁子女入学和招生信息公开", ""),
    ("zjj", "清建规", 1, 7, 15, "清河县住宅专项维修资金使用管理办法", ("城乡建设、环境保护", "城乡建设（含住房）"),
     "维修资金的使用范围、业主表决、应急使用和账目公布", ""),
    ("qhxzf", "清政规", 4, 9, 1, "清河县农村集体资产管理暂行办法", ("农业、林业、水利", "农业、畜牧业、渔业"),
     "农村集体资产的清产核资、承包租赁和收益分配", ""),
    ("qhxzf", "清政规", 1, 5, 6, "清河县重大行政决策程序规定", ("综合政务", "政务公开"),
     "重大行政决策的目录管理、公众参与、合法性审查和决策后评估", ""),
    ("qhxzf", "清政规", 1, 11, 20, "清河县农村集体资产监督管理办法", ("农业、林业、水利", "农业、畜牧业、渔业"),
     "农村集体资产的台账管理、交易公开、收益分配和审计监督", "清河县农村集体资产管理暂行办法"),
    ("qhxzf", "清政规", 0, 2, 26, "清河县政府信息公开申请办理规定", ("综合政务", "政务公开"),
     "政府信息公开申请的登记、补正、征求意见、答复和文书送达", ""),
]
BODY = [
    "各乡镇人民政府、街道办事处，县直各有关单位：",
    "《{subject}》已经{maker}研究同意，现印发给你们，请认真贯彻执行。",
    "本{short}所称事项，包括{settles}。各单位应当按照本办法规定的程序和时限办理，"
    "办理结果除依法不予公开的以外，通过县政府门户网站政府信息公开专栏向社会公开。",
    "本{short}由{agency}负责解释，自印发之日起三十日后施行，有效期五年。{replaces}",
]


def _day(today: dt.date, years_back: int, month: int, day: int) -> dt.date | None:
    """The date ``years_back`` years before today's year; None if it has not come yet this year."""
    on = dt.date(today.year - years_back, month, day)
    return on if on <= today else None


def build_normative_documents(agencies: dict) -> int:
    """Publish the DOCUMENTS whose dates have come; a replacing document repeals the one it replaces."""
    today = timezone.localdate()
    genre = Genre.objects.get(name="通知")
    topics = {(t.parent.name, t.name): t for t in TopicCategory.objects.filter(parent__isnull=False).select_related("parent")}
    fallback_topic = TopicCategory.objects.get(name="政务公开")
    serials: dict[tuple[str, int], int] = {}
    published: dict[str, object] = {}
    with transaction.atomic(), search_sync.batched():
        for key, series, years_back, month, day, subject, topic, settles, replaces in sorted(
                DOCUMENTS, key=lambda d: (-d[2], d[3], d[4])):
            issued = _day(today, years_back, month, day)
            if issued is None:
                continue
            agency = agencies[key]
            ensure_catalogue(agency)
            node = CatalogueNode.objects.get(agency=agency, code=NORMATIVE_DOCUMENT_NODE)
            serials[(series, issued.year)] = serial = serials.get((series, issued.year), 0) + 1
            maker = "县人民政府常务会议" if agency.kind == "government" else "局党组会议"
            body = "\n\n".join(p.format(subject=subject, short=subject[-2:], maker=maker, settles=settles, agency=agency.name,
                                        replaces=f"《{replaces}》同时废止。" if replaces else "") for p in BODY)
            data = {
                "title": f"{agency.name}关于印发《{subject}》的通知", "written_on": issued, "catalogue_node": node,
                "genre": genre, "topic": topics.get(topic, fallback_topic), "disclosure": "proactive",
                "summary": f"印发《{subject}》，规范{settles.split('、')[0]}等事项。", "body": body.strip(),
                "keywords": subject.removeprefix("清河县"),
                "document_number": f"{series}〔{issued.year}〕{serial}号",
                "published_on": min(issued + dt.timedelta(days=3), today),
            }
            item = services.item_create(actor=None, agency=agency, data=data)
            services.item_submit(actor=None, item=item)
            while True:  # through every review step, as the agency's reviewers would
                item.refresh_from_db()
                if item.status != "in_review":
                    break
                services.item_approve(actor=None, item=item)
            published[subject] = item
            if replaces in published:
                services.item_set_validity(actor=None, item=published[replaces], validity="repealed", on_date=issued)
    return len(published)
