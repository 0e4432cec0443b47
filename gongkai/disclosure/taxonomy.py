"""Reference lists seeded into the database (../shared/spec/catalogue.md, regulation.md §1.1).

Every list is editable data once seeded; codes are stable so renames keep old items intact.
"""

# 主题分类: the gov.cn two-level tree (catalogue.md §1). 国务院组织机构 is gov.cn-only and
# left out; local platforms substitute their own organisation node.
TOPICS = [
    ("综合政务", ["政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"]),
    ("国民经济管理、国有资产监管", ["宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"]),
    ("财政、金融、审计", ["财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设", "审计", "其他"]),
    ("国土资源、能源", ["土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他"]),
    ("农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利", "其他"]),
    ("工业、交通", ["机械制造与重工业", "轻工纺织", "化工", "国防工业", "航天、航空", "信息产业（含电信）", "公路", "水运",
                 "铁路", "民航", "邮政", "其他"]),
    ("商贸、海关、旅游", ["对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"]),
    ("市场监管、安全生产监管", ["工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"]),
    ("城乡建设、环境保护", ["城市规划", "城乡建设（含住房）", "环境监测、保护与治理", "节能与资源综合利用", "气象、水文、测绘、地震",
                   "其他"]),
    ("科技、教育", ["科技", "教育", "知识产权", "其他"]),
    ("文化、广电、新闻出版", ["文化", "文物", "新闻出版", "广播、电影、电视", "其他"]),
    ("卫生、体育", ["卫生", "医药管理", "体育", "其他"]),
    ("人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童", "其他"]),
    ("劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"]),
    ("公安、安全、司法", ["公安", "国家安全", "司法", "其他"]),
    ("民政、扶贫、救灾", ["减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"]),
    ("民族、宗教", ["民族事务", "宗教事务"]),
    ("对外事务", ["外交、外事", "国际条约、国际组织", "其他"]),
    ("港澳台侨工作", ["港澳工作", "对台工作", "侨务工作"]),
    ("国防", ["国防建设", "国防动员"]),
    ("其他", []),
]

# 体裁: the 15 公文种类 of 《党政机关公文处理工作条例》第八条, then non-公文 genres agencies use
# (local, catalogue.md §2: no authoritative list exists) and 其他.
GENRES = [
    ("01", "决议", False), ("02", "决定", False), ("03", "命令（令）", False), ("04", "公报", False),
    ("05", "公告", False), ("06", "通告", False), ("07", "意见", False), ("08", "通知", False),
    ("09", "通报", False), ("10", "报告", False), ("11", "请示", False), ("12", "批复", False),
    ("13", "议案", False), ("14", "函", False), ("15", "纪要", False),
    ("50", "规划", True), ("51", "计划", True), ("52", "总结", True), ("53", "统计数据", True),
    ("54", "政策解读", True), ("55", "工作动态", True), ("56", "预案", True),
    # 回应关切 and 新闻发布会 are 分类号 13 and 14 of a municipal catalogue (catalogue.md §5).
    ("57", "回应关切", True), ("58", "新闻发布会", True),
    ("99", "其他", False),
]

# The default catalogue (目录) of a new agency, modelled on the national basic catalogue.
# (code, name, children)
DEFAULT_CATALOGUE = [
    ("gkxx", "概况信息", [("jgzn", "机构职能"), ("ldxx", "领导信息"), ("nsjg", "内设机构")]),
    ("zcwj", "政策文件", [("gz", "规章"), ("xzgfxwj", "行政规范性文件"), ("qtwj", "其他文件")]),
    ("zcjd", "政策解读", []),
    ("hygq", "回应关切", []),
    ("ghjh", "规划计划", [("fzgh", "发展规划"), ("ndjh", "年度计划总结")]),
    ("czxx", "财政信息", [("yjs", "预算决算"), ("sgjf", "“三公”经费"), ("zfcg", "政府采购")]),
    ("xzql", "行政权力", [("xzxk", "行政许可"), ("xzcf", "行政处罚"), ("xzqz", "行政强制")]),
    ("zdly", "重点领域信息", [("shjz", "社会救助"), ("jyly", "教育"), ("ylws", "医疗卫生"), ("sthj", "生态环境"),
                        ("aqsc", "安全生产")]),
    ("rsxx", "人事信息", [("rmxx", "人事任免"), ("gwyzl", "公务员招录")]),
    ("tjxx", "统计信息", []),
    ("yjgl", "应急管理", [("yjya", "应急预案"), ("yjcz", "预警信息与应对")]),
    ("gzdt", "工作动态", []),
    ("ndbg", "年度报告", []),
    ("qt", "其他", []),
]

# Codes of catalogue nodes whose items are 规章 / 行政规范性文件 (annual report table 二).
REGULATION_NODE = "gz"
NORMATIVE_DOCUMENT_NODE = "xzgfxwj"
INTERPRETATION_NODE = "zcjd"
CONCERN_RESPONSE_NODE = "hygq"
# Genre codes of a 回应关切 item (which carries a ConcernResponse) and of a press conference's transcript.
CONCERN_RESPONSE_GENRE = "57"
PRESS_CONFERENCE_GENRE = "58"
ANNUAL_REPORT_NODE = "ndbg"


def seed_taxonomy(topic_model, genre_model) -> None:
    """Create the 主题分类 and 体裁 rows that are missing (idempotent).

    Takes the model classes so the data migration can pass its historical models; tests that
    flush the database (transactional tests) call it with the real ones.
    """
    for i, (name, children) in enumerate(TOPICS, start=1):
        top, _ = topic_model.objects.get_or_create(code=f"{i:02d}", defaults={"name": name, "sort_order": i})
        for j, child in enumerate(children, start=1):
            topic_model.objects.get_or_create(code=f"{i:02d}{j:02d}",
                                              defaults={"name": child, "parent": top, "sort_order": j})
    for code, name, is_local in GENRES:
        genre_model.objects.get_or_create(code=code, defaults={"name": name, "is_local": is_local})
