"""Demo information items for the demo county, written for gongkai.

Titles and bodies are assembled from phrase lists so several hundred items read plausibly
without copying any real document. A seeded RNG keeps the demo the same on every machine.
"""

import datetime as dt
import random

from django.db import transaction

from gongkai.demo import county
from gongkai.demo.responses import build_responses
from gongkai.disclosure import search_sync, services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Genre, Item, TopicCategory

# catalogue node code -> (title patterns, genre, topic (parent, child), document-number prefix or None)
PLANS = {
    "jgzn": (["{short}主要职责", "{short}机构职能调整情况说明"], "其他", ("综合政务", "政务公开"), None),
    "ldxx": (["{short}领导班子成员及分工"], "其他", ("综合政务", "政务公开"), None),
    "xzgfxwj": (["关于印发《清河县{topic}管理办法》的通知", "关于进一步规范{topic}工作的通知", "清河县{topic}实施细则"],
                "通知", None, "{abbr}规"),
    "qtwj": (["关于开展{year}年{topic}专项检查的通知", "关于做好{year}年{topic}工作的通知", "关于调整{topic}有关事项的函"],
             "通知", None, "{abbr}发"),
    "zcjd": (["《清河县{topic}管理办法》政策解读", "一图读懂{year}年{topic}工作要点"], "政策解读", None, None),
    "fzgh": (["清河县“十五五”{topic}发展规划", "{short}{year}—{year2}年{topic}专项规划"], "规划", None, None),
    "ndjh": (["{short}{year}年工作要点", "{short}{year}年工作总结", "{short}{year}年政务公开工作要点"], "计划", None, None),
    "yjs": (["{short}{year}年部门预算公开说明", "{short}{year}年部门决算公开说明"], "其他", ("财政、金融、审计", "财政"), None),
    "sgjf": (["{short}{year}年“三公”经费预算情况说明"], "其他", ("财政、金融、审计", "财政"), None),
    "zfcg": (["{short}{topic}采购项目中标结果公告", "{short}{year}年政府采购意向公开"], "公告", ("财政、金融、审计", "财政"), None),
    "xzxk": (["{short}{year}年第{n}批行政许可结果公示"], "公告", None, None),
    "xzcf": (["{short}行政处罚决定书（{abbr}罚〔{year}〕{n}号）"], "其他", None, None),
    "xzqz": (["{short}行政强制事项清单"], "其他", None, None),
    "shjz": (["清河县{year}年第{n}季度城乡低保资金发放情况", "关于调整{year}年城乡居民最低生活保障标准的通知"], "通知",
             ("民政、扶贫、救灾", "社会福利"), "{abbr}发"),
    "jyly": (["清河县{year}年义务教育阶段招生工作方案", "{year}年学生资助政策解答"], "其他", ("科技、教育", "教育"), None),
    "ylws": (["清河县{year}年基本公共卫生服务项目实施方案"], "其他", ("卫生、体育", "卫生"), None),
    "sthj": (["{year}年{month}月清河县环境空气质量状况"], "其他", ("城乡建设、环境保护", "环境监测、保护与治理"), None),
    "aqsc": (["关于开展{year}年安全生产大检查的通知", "{short}{year}年安全生产执法检查计划"], "通知",
             ("市场监管、安全生产监管", "安全生产监管"), "{abbr}发"),
    "rmxx": (["{short}关于{name_role}任免的通知"], "通知", ("劳动、人事、监察", "人事工作"), None),
    "gwyzl": (["{year}年清河县考试录用公务员拟录用人员公示"], "公告", ("劳动、人事、监察", "人事工作"), None),
    "tjxx": (["{year}年{month}月{short}主要统计数据", "清河县{year}年国民经济和社会发展统计公报"], "统计数据",
             ("国民经济管理、国有资产监管", "统计"), None),
    "yjya": (["清河县{topic}突发事件应急预案"], "预案", ("综合政务", "应急管理"), None),
    "yjcz": (["关于做好{year}年汛期防范应对工作的通知"], "通知", ("综合政务", "应急管理"), None),
    "gzdt": (["{short}召开{year}年{topic}工作推进会", "{short}开展{topic}宣传活动", "{short}部署{topic}重点工作"],
             "工作动态", None, None),
    "ndbg": (["{short}{year}年政府信息公开工作年度报告"], "报告", ("综合政务", "政务公开"), None),
}

TOPIC_WORDS = ["财政资金", "政府采购", "农村集体资产", "城乡低保", "养老服务", "义务教育", "公共卫生", "耕地保护",
               "河道管理", "安全生产", "食品安全", "市场主体登记", "政务服务", "信息公开", "档案管理", "就业创业"]
SENTENCES = [
    "为进一步做好{topic}工作，根据有关法律法规和上级部署，结合本县实际，制定本文件。",
    "各乡镇、县直各部门要高度重视，明确分管领导和具体责任人，确保各项任务按时完成。",
    "本年度共安排相关资金{money}万元，全部纳入预算管理，实行专款专用。",
    "工作中发现的问题要建立台账，逐项整改，整改情况于每季度末报送县政府办公室。",
    "公众可通过县政府门户网站政府信息公开专栏查阅相关信息，也可拨打咨询电话了解办理流程。",
    "各单位要加强政策解读和回应关切，及时发布权威信息，主动回应社会关注。",
    "截至{month}月底，全县累计完成{topic}项目{n}个，完成年度目标任务的{pct}%。",
    "本文件自发布之日起施行，有效期五年。此前有关规定与本文件不一致的，以本文件为准。",
    "下一步，我们将继续完善工作机制，推动{topic}工作规范化、标准化、便民化。",
]


def _body(rng, topic: str) -> str:
    count = rng.randint(3, 6)
    picked = rng.sample(SENTENCES, count)
    return "\n\n".join(
        s.format(topic=topic, money=rng.randint(20, 900), month=rng.randint(1, 12), n=rng.randint(3, 60),
                 pct=rng.randint(60, 100))
        for s in picked
    )


def build_items(agencies: dict, *, per_agency: int = 18, seed: int = 2026) -> int:
    """Items for every agency: mostly published, some drafts, in review, withdrawn, expired, repealed."""
    rng = random.Random(seed)
    genres = {g.name: g for g in Genre.objects.all()}
    fallback_topic = TopicCategory.objects.get(name="政务公开")
    topics = {(t.parent.name, t.name): t for t in TopicCategory.objects.filter(parent__isnull=False).select_related("parent")}
    today = dt.date.today()
    created = 0
    # One transaction with the search index written once at its end (search_sync.batched).
    with transaction.atomic(), search_sync.batched():
        for key, agency in agencies.items():
            ensure_catalogue(agency)
            nodes = {n.code: n for n in CatalogueNode.objects.filter(agency=agency)}
            short = agency.name  # formal documents carry the full name
            abbr = county.NUMBER_CODES[key]  # the 机关代字 its 文号 start with: 清财发〔2025〕3号
            codes = list(PLANS)
            for n in range(per_agency):
                code = codes[(n + len(key)) % len(codes)] if n >= 3 else ["ndjh", "gzdt", "yjs"][n]
                patterns, genre_name, topic_key, number_prefix = PLANS[code]
                topic_word = rng.choice(TOPIC_WORDS)
                written = today - dt.timedelta(days=rng.randint(5, 900))
                year = written.year
                title = rng.choice(patterns).format(short=short, topic=topic_word, year=year, year2=year + 4, n=rng.randint(1, 4),
                                                    month=written.month, abbr=abbr, name_role="有关同志职务")
                data = {
                    "title": title, "written_on": written, "catalogue_node": nodes[code], "genre": genres[genre_name],
                    "topic": topics.get(topic_key, fallback_topic) if topic_key else fallback_topic,
                    "summary": f"{short}发布的{title}。", "disclosure": "proactive", "body": _body(rng, topic_word),
                    "keywords": topic_word,
                    "document_number": f"{number_prefix.format(abbr=abbr)}〔{year}〕{n + 1}号" if number_prefix else "",
                }
                roll = rng.random()
                # Mostly on time; about one in eight published late, to give the timeliness page something to show.
                delay = rng.randint(1, 12) if rng.random() > 0.12 else rng.randint(30, 60)
                published = min(written + dt.timedelta(days=delay), today)
                with transaction.atomic():
                    if roll < 0.08:
                        services.item_create(actor=None, agency=agency, data=data)
                    elif roll < 0.14:
                        item = services.item_create(actor=None, agency=agency, data=data)
                        services.item_submit(actor=None, item=item)
                    else:
                        item = services.item_create(actor=None, agency=agency, data={**data, "published_on": published})
                        _publish(item)
                        if roll > 0.97:
                            services.item_withdraw(actor=None, item=item, reason="内容需要更新，已撤回重新审核。")
                        elif roll > 0.93:
                            services.item_set_validity(actor=None, item=item, validity="repealed",
                                                       on_date=min(published + dt.timedelta(days=200), today))
                        elif roll > 0.90:
                            services.item_set_validity(actor=None, item=item, validity="expired",
                                                       on_date=min(published + dt.timedelta(days=365), today))
                created += 1
        _link_interpretations()
        build_responses(agencies)
    return created


def _publish(item: Item) -> None:
    services.item_submit(actor=None, item=item)
    while True:
        item.refresh_from_db()
        if item.status != "in_review":
            return
        services.item_approve(actor=None, item=item)


def _link_interpretations() -> None:
    """Point each demo 政策解读 at a published normative document of the same agency."""
    for reading in Item.objects.filter(catalogue_node__code="zcjd", status="published", interprets__isnull=True):
        policy = Item.objects.filter(agency=reading.agency, catalogue_node__code="xzgfxwj", status="published").first()
        if policy:
            services.item_update(actor=None, item=reading, data={"interprets": policy, "interpretation_form": "text"})
