"""Demo consultations for the county: one open for comment, one answered with 采纳情况反馈 and
linked to its final document, one whose feedback is overdue. Written for gongkai after the kind of
notice county governments publish; names and opinions are invented."""

import datetime as dt

from django.utils import timezone

from gongkai.consultations import services
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import CatalogueNode, Genre, Item, TopicCategory

CARE_PLAN = """<p>第一条 为完善全县养老服务设施布局，满足老年人就近养老需求，根据有关规定，结合本县实际，编制本规划。</p>
<p>第二条 规划期限为2026年至2035年，近期至2030年。</p>
<p>第三条 到2030年，城区每个社区建成一处社区养老服务站，每个乡镇建成一处区域养老服务中心，农村互助养老点覆盖百分之六十以上的行政村。</p>
<p>第四条 新建住宅小区按每百户不少于二十平方米的标准配建养老服务用房，与住宅同步规划、同步建设、同步验收、同步交付。</p>"""

PARKING_PLAN = """<p>一、调整范围：县城区政府定价管理的公共停车场（不含住宅小区内部停车场）。</p>
<p>二、收费标准：一类区域首小时3元，之后每小时2元；二类区域首小时2元，之后每小时1元；夜间（22时至次日7时）每次不超过5元。</p>
<p>三、免费时段：首30分钟免费；残疾人专用车辆、新能源车辆首2小时免费。</p>"""

RENEWAL_PLAN = """<p>一、改造对象：2000年底前建成、基础设施老化的城镇住宅小区，共12个。</p>
<p>二、改造内容：供排水管网、道路、照明、加装电梯、充电设施和适老化设施。</p>
<p>三、资金筹措：中央和省级补助、县级财政配套、居民合理分担相结合。</p>"""


def build_consultations(agencies) -> None:
    """Creates the demo consultations through the app's services, dated from today."""
    today = timezone.localdate()
    _open_care_plan(agencies["mzj"], today)
    _answered_parking_plan(agencies["qhxzf"], today)
    _overdue_renewal_plan(agencies["zjj"], today)


def _open(agency, data):
    consultation = services.consultation_create(actor=None, agency=agency, data=data)
    return services.consultation_open(actor=None, consultation=consultation)


def _open_care_plan(agency, today):
    consultation = _open(agency, {
        "title": "关于《清河县养老服务设施布局规划（2026—2035年）（征求意见稿）》公开征求意见的公告",
        "kind": "plan", "draft_body": CARE_PLAN,
        "explanation": "为科学布局养老服务设施，县民政局会同县自然资源局起草了本规划（征求意见稿），现向社会公开征求意见。",
        "starts_on": today - dt.timedelta(days=10), "ends_on": today + dt.timedelta(days=19),
        "channel_letter": "清河县民生路20号 清河县民政局养老服务股（邮编999100）",
        "channel_email": "mzj-yl@example.cn", "contact": "养老服务股 0999-6120401",
    })
    first = services.comment_submit(consultation=consultation, data={
        "name": "城关镇居民", "body": "建议东街社区养老服务站增设助餐点，方便独居老人就近用餐。"})
    services.comment_submit(consultation=consultation, data={
        "body": "第四条配建标准建议明确验收责任单位，避免配建用房长期闲置或挪作他用。", "phone": "13800000001"})
    services.comment_moderate(actor=None, comment=first, publish=True)


def _answered_parking_plan(agency, today):
    starts, ends = today - dt.timedelta(days=75), today - dt.timedelta(days=40)
    entry = services.decision_entry_add(actor=None, agency=agency, year=starts.year, title="县城区公共停车场收费标准调整",
                                        note="县发展和改革局承办，开展成本调查和听证。")
    services.decision_entry_add(actor=None, agency=agency, year=starts.year, title="县城区公交线网优化方案",
                                note="县交通运输局承办。")
    consultation = _open(agency, {
        "title": "关于《清河县城区公共停车场收费标准调整方案（征求意见稿）》公开征求意见的公告",
        "kind": "major_decision", "decision_entry": entry, "draft_body": PARKING_PLAN,
        "explanation": "本方案列入县政府年度重大行政决策事项目录，征求意见期为36日，并召开座谈会听取意见。",
        "starts_on": starts, "ends_on": ends, "accepts_online": False,
        "channel_letter": "清河县人民路88号县政府大楼 县发展和改革局价格管理股",
        "channel_email": "fgj-jg@example.cn",
        "channel_meeting": "在征集期内召开市民代表、经营者代表座谈会一次。", "contact": "价格管理股 0999-6120201",
    })
    opinions = [
        ("letter", starts + dt.timedelta(days=5), "张先生", "建议首30分钟免费延长至1小时，方便接送学生。"),
        ("meeting", starts + dt.timedelta(days=20), "市民代表", "一类区域首小时3元偏高，建议与周边县持平。"),
        ("email", starts + dt.timedelta(days=28), "", "建议在医院周边停车场对就医车辆给予优惠。"),
        ("letter", starts + dt.timedelta(days=30), "", "与停车收费无关的投诉内容，已转相关部门处理。"),
    ]
    made = [services.comment_register(actor=None, consultation=consultation, channel=channel, received_on=day,
                                      data={"name": name, "body": body}) for channel, day, name, body in opinions]
    for comment in made[:3]:
        services.comment_moderate(actor=None, comment=comment, publish=True)
    services.comment_moderate(actor=None, comment=made[3], publish=False, reason="与征集内容无关，已转县信访局处理。")
    services.feedback_publish(actor=None, consultation=consultation, summary=(
        "征集期内共收到意见4条，其中1条与征集内容无关，已转相关部门处理。经研究，采纳1条，部分采纳1条，未采纳1条，"
        "方案已据此修改并经县政府常务会议审议通过。感谢社会各界的关心和支持。"), dispositions={
        made[0].pk: ("not_adopted", "首30分钟免费已能满足接送需要，延长将降低车位周转率。"),
        made[1].pk: ("partly", "一类区域首小时调整为2.5元，其余标准不变。"),
        made[2].pk: ("adopted", ""),
    })
    services.final_item_link(actor=None, consultation=consultation, item=_final_document(agency, today))


def _next_number(agency, series: str) -> str:
    """The next free serial of a 文号 series: the demo's generated items already use some of them."""
    taken = Item.objects.filter(agency=agency, document_number__startswith=series).values_list("document_number", flat=True)
    serials = [int(number[len(series):-1]) for number in taken if number[len(series):-1].isdigit()]
    return f"{series}{max(serials, default=0) + 1}号"


def _final_document(agency, today):
    """The notice that adopted the plan, published through the disclosure workflow like any item."""
    item = disclosure_services.item_create(actor=None, agency=agency, data={
        "title": "清河县人民政府关于调整县城区公共停车场收费标准的通知",
        "summary": "公布调整后的县城区公共停车场收费标准。", "document_number": _next_number(agency, f"清政发〔{today.year}〕"),
        "written_on": today - dt.timedelta(days=10), "published_on": today - dt.timedelta(days=8),
        "catalogue_node": CatalogueNode.objects.get(agency=agency, code="xzgfxwj"),
        "topic": TopicCategory.objects.get(name="政务公开"), "genre": Genre.objects.get(name="通知"),
        "disclosure": "proactive", "keywords": "停车收费",
        "body": "各乡镇人民政府，县政府各部门：\n\n经县人民政府同意，现将调整后的县城区公共停车场收费标准通知如下。",
    })
    disclosure_services.item_submit(actor=None, item=item)
    item.refresh_from_db()
    while item.status == "in_review":
        disclosure_services.item_approve(actor=None, item=item)
        item.refresh_from_db()
    return item


def _overdue_renewal_plan(agency, today):
    """Closed long enough ago that its feedback is overdue: the staff list flags it."""
    starts, ends = today - dt.timedelta(days=80), today - dt.timedelta(days=50)
    consultation = _open(agency, {
        "title": "关于《清河县2026年城镇老旧小区改造计划（征求意见稿）》公开征求意见的公告",
        "kind": "policy", "draft_body": RENEWAL_PLAN, "starts_on": starts, "ends_on": ends, "accepts_online": False,
        "channel_letter": "清河县住房和城乡建设局村镇建设股", "channel_email": "zjj@example.cn",
    })
    for day, body in [(starts + dt.timedelta(days=3), "建议把东街3号院纳入改造范围，该小区排水管网老化严重。"),
                      (starts + dt.timedelta(days=12), "加装电梯的费用分摊办法请尽快明确。")]:
        services.comment_register(actor=None, consultation=consultation, channel="letter", received_on=day,
                                  data={"body": body})
