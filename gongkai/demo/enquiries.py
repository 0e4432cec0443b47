"""Demo enquiries (留言咨询) for the demo county: answered and published ones, one overdue, one made
into an FAQ entry, one turned into an application, a refusal and a transfer. Written for gongkai
after the kinds of messages the county work reports in the seeds describe (政策咨询, 投诉, 纠错);
names and questions are invented."""

import datetime as dt

from django.utils import timezone

from gongkai.enquiries import services
from gongkai.enquiries.models import Enquiry

# (agency key, days ago received, channel, kind, subject, body, name)
MESSAGES = [
    ("czj", 40, "forwarded", "consult", "县级部门预算在哪里公开",
     "请问清河县各部门2026年部门预算和“三公”经费预算在网站哪个栏目公开？我在财政栏目没有找到。", "张伟"),
    ("jyj", 30, "forwarded", "consult", "秋季一年级招生划片范围何时公布",
     "孩子今年满六周岁，请问城区小学2026年秋季一年级招生的划片范围什么时候公布？需要准备哪些材料？", "刘芳"),
    ("rsj", 25, "phone", "help", "灵活就业人员社保补贴怎么申请",
     "我是灵活就业人员，去年参加了养老保险，听说可以申请社保补贴，请问我本人符合条件吗，到哪里申请？", "陈静"),
    ("zjj", 20, "forwarded", "complaint", "人民路改造工程夜间施工扰民",
     "人民路道路改造工地最近每天晚上十一点以后还在破碎路面，噪音很大，附近居民无法休息，请督促施工单位整改。", "王磊"),
    ("qhzfb", 12, "forwarded", "correction", "通知公告栏目链接打不开",
     "县政府网站“通知公告”栏目第三条《关于做好冬季供暖工作的通知》点开后提示页面不存在，请核实修复。", "赵敏"),
    ("mzj", 22, "forwarded", "consult", "高龄津贴发放标准",
     "请问清河县80周岁以上老人的高龄津贴每月发放标准是多少，是按月发放还是按季度发放？", "孙强"),
    ("czj", 6, "forwarded", "consult", "申请公开道路维修工程中标合同",
     "我想获取清河县2025年城区道路维修工程的政府采购中标合同和验收报告，请问能否提供？", "周洋"),
    ("gaj", 9, "forwarded", "consult", "户口迁移需要什么材料",
     "请问从外县迁入清河县城关镇投靠配偶落户，需要准备哪些材料，在哪里办理？", "吴刚"),
    ("gaj", 8, "forwarded", "consult", "户口迁移需要哪些材料",
     "请问从外县迁入清河县城关镇投靠配偶落户，需要准备哪些材料，在哪里办理？", "吴刚"),
    ("fgj", 4, "letter", "suggestion", "建议增开湖沟镇到县城的学生公交",
     "湖沟镇到县城的公交每天只有早晚两班，学生周末返校很不方便，建议在周日下午增开一班学生专线。", "郑丽"),
    ("wjj", 1, "forwarded", "consult", "家庭医生签约怎么办理",
     "请问在城关镇社区卫生服务中心签约家庭医生需要本人到场吗？签约后有哪些服务？", "冯军"),
]

ANSWERS = {
    0: ("各部门2026年部门预算及“三公”经费预算已于3月在县政府门户网站“财政预决算”专栏集中公开，"
        "可按部门名称检索；如仍未找到，可拨打县财政局预算股电话咨询。", 3),
    1: ("2026年城区小学招生划片范围将于5月中旬在县教育局网站和各学校公告栏公布。报名需准备户口簿、"
        "房产证明或租赁备案证明及儿童预防接种证，具体以招生公告为准。", 4),
    2: ("您的参保和补贴资格需核对个人缴费记录，工作人员已电话联系您本人说明办理方式。", 5),
    3: ("经核查，施工单位存在夜间超时作业情况。县住建局已责令其停止22时至次日6时的高噪声作业，"
        "并安排专人夜间巡查。感谢您的监督。", 2),
    4: ("经核实，该链接因栏目迁移失效，已于收到留言次日修复。感谢您的纠错。", 1),
}


def build_enquiries(agencies: dict) -> int:
    today = timezone.localdate()
    made = []
    for n, (key, days_ago, channel, kind, subject, body, name) in enumerate(MESSAGES):
        data = {"kind": kind, "subject": subject, "body": body, "name": name, "phone": f"1390999{n:04d}",
                "email": f"asker{n}@example.cn" if n % 2 == 0 else "", "allow_publish": True}
        enquiry, _secret = services.register(actor=None, agency=agencies[key], data=data,
                                             received_on=today - dt.timedelta(days=days_ago),
                                             channel=channel)
        made.append(enquiry)
    for n, (text, _days) in ANSWERS.items():
        personal = n == 2
        services.answer(actor=None, enquiry=made[n], text=text, personal=personal,
                        personal_reason="涉及留言人本人参保缴费记录" if personal else "")
    services.faq_add(actor=None, enquiry=made[0], question="县级各部门的部门预算在哪里公开？",
                     answer="各部门部门预算及“三公”经费预算在县政府门户网站“财政预决算”专栏集中公开，可按部门名称检索。")
    services.convert(actor=None, enquiry=made[6], data={
        "applicant_type": "natural", "id_type": "passport", "id_number": "E99887766", "provision_form": "email",
        "email": "zhouyang@example.cn"})
    services.refuse(actor=None, enquiry=made[8], reason="duplicate", text="与同日提交的留言内容相同，已合并答复")
    services.answer(actor=None, enquiry=made[7], text="投靠配偶落户需携带结婚证、双方户口簿和身份证、迁入地住房证明，"
                                                     "到城关派出所户籍窗口办理。")
    services.transfer(actor=None, enquiry=made[9], to_agency=agencies["jyj"], note="学生专线属教育局会同交通部门办理")
    # Answers were given today; spread their dates back to a plausible time after receipt, as staff
    # would have answered them. made[5] (高龄津贴, 22 days) stays unanswered: the overdue example.
    for n, (_text, days) in ANSWERS.items():
        answered = made[n].received_on + dt.timedelta(days=days)
        Enquiry.objects.filter(pk=made[n].pk).update(answered_on=answered)
        Enquiry.objects.filter(pk=made[n].pk, published_on__isnull=False).update(published_on=answered)
    return len(made)
