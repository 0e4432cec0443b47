"""Synthetic government information for the benchmarks: import files and search documents.

Zipf-distributed government vocabulary, seeded, so two runs with the same seed produce the same
items. ``Items.row`` is one row of an import file (docs/import-export.md), ``Items.document`` one
``SearchDocument`` for the index alone.
"""

import datetime as dt
import itertools
import json
import random
from pathlib import Path

WORDS = (
    "政府 信息 公开 工作 通知 关于 印发 实施 方案 办法 规定 管理 服务 社会 经济 发展 建设 改革 推进 加强 落实 组织 单位 "
    "部门 人民 群众 安全 生产 环境 保护 教育 卫生 健康 医疗 保障 就业 创业 财政 预算 决算 资金 项目 审批 许可 登记 备案 "
    "监督 检查 执法 行政 处罚 复议 诉讼 申请 答复 依法 规范 标准 质量 农业 农村 农民 乡村 振兴 巩固 衔接 城市 规划 土地 "
    "住房 交通 运输 水利 能源 文化 旅游 体育 科技 创新 人才 养老 儿童 妇女 残疾人 民政 救助 补贴 税收 优惠 政策 措施 意见 "
    "决定 公告 通报 报告 统计 数据 年度 季度 计划 总结 会议 纪要 领导 班子 机构 职能 编制 人员 招聘 公示 结果 名单 采购 "
    "招标 中标 合同 信用 企业 市场 营商 优化 应急 防汛 消防 食品 药品 生态 污染 治理 垃圾 分类 节能 减排 街道 社区 乡镇 "
    "县 市 省 区 第 条 款 项 年 月 日 的 和 与 及 等 在 对 为 按照 根据 进一步 全面 有关 相关 重点 重要 工作方案 实施意见 "
    "管理办法 公开工作 政务公开 信息公开 人民政府 办公室 清河县 财政局 教育局 卫生健康委员会 自然资源局 住房和城乡建设局 "
    "2026 2025 GDP PPP 第一季度 一、 二、 （一） （二） ５G ＡＩ 元 万元 亿元 百分之"
).split()
PUNCTUATION = "，，，，。。、；：“”《》（）"
GENRES = ["tz", "gg", "yj", "bg", "pf", "gb"]
TITLE_ENDS = ["的通知", "的公告", "的实施意见", "的报告", "的批复", "的公示", "的函"]
AGENCIES = 60
CHINA = dt.timezone(dt.timedelta(hours=8))


class Items:
    """Deterministic synthetic items: title, body of 200–900 characters, 30% with 200–2,000 more
    (attachment text for the index, a second paragraph of the body in an import file)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # Cumulative weights once: random.choices() would otherwise re-add them on every call.
        self.weights = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(WORDS))))
        self.start = dt.datetime(2014, 11, 1, tzinfo=CHINA)  # twelve years up to before "today"

    def _text(self, chars: int) -> str:
        out, total = [], 0
        while total < chars:
            sentence = "".join(self.rng.choices(WORDS, cum_weights=self.weights, k=self.rng.randint(3, 10)))
            sentence += self.rng.choice(PUNCTUATION)
            out.append(sentence)
            total += len(sentence)
        return "".join(out)

    def _parts(self, number: int):
        r = self.rng
        published = self.start + dt.timedelta(days=r.randint(0, 4380))
        agency = r.randint(1, AGENCIES)
        title = "关于" + "".join(r.choices(WORDS, cum_weights=self.weights, k=r.randint(2, 6))) + r.choice(TITLE_ENDS)
        body = self._text(r.randint(200, 900))
        attachments = self._text(r.randint(200, 2000)) if r.random() < 0.3 else ""
        return r, published, agency, title, body, attachments

    def document(self, number: int):
        from gongkai.search.index import SearchDocument

        r, published, agency, title, body, attachments = self._parts(number)
        if r.random() < 0.5:  # half carry a time of day, half only a date (as imports do)
            published += dt.timedelta(seconds=r.randint(8 * 3600, 18 * 3600))
        code = agency_code(agency)
        return SearchDocument(
            key=f"item:{number}", agency_code=code, index_number=f"{code}/{published.year}-{number:07d}",
            title=title, body=body, attachments_text=attachments,
            published_at=published, category=f"{r.randint(1, 12):02d}{r.randint(1, 9):02d}", genre=r.choice(GENRES),
            validity=r.choice(["valid"] * 8 + ["expired", "repealed"]), url=f"/items/{number}",
        )

    def row(self, number: int, vocabulary: dict) -> dict:
        """One import row; ``vocabulary`` holds the catalogue, topic and genre codes to pick from."""
        r, published, agency, title, body, attachments = self._parts(number)
        published_on = published.date()
        validity = r.choice(["有效"] * 8 + ["失效", "废止"])
        return {
            "agency_code": agency_code(agency), "index_number": "", "title": title,
            # Half carry a 文号, unique within the agency, so that check runs as it would on real files.
            "document_number": f"清{agency}发〔{published_on.year}〕{number}号" if r.random() < 0.5 else "",
            "written_on": (published_on - dt.timedelta(days=r.randint(0, 10))).isoformat(),
            "published_on": published_on.isoformat(),
            "catalogue": r.choice(vocabulary["catalogue"]), "topic": r.choice(vocabulary["topics"]),
            "genre": r.choice(vocabulary["genres"]), "keywords": "", "summary": "",
            "validity": validity,
            "validity_changed_on": (published_on + dt.timedelta(days=30)).isoformat() if validity != "有效" else "",
            "body": body + ("\n\n" + attachments if attachments else ""),
        }


def agency_code(number: int) -> str:
    return f"BENCH{number:04d}"


def create_agencies() -> None:
    """The agencies the rows name, made through the services as an operator would."""
    from gongkai.orgs import services

    province = services.area_create(actor=None, name="基准省", code="970000", level="province")
    city = services.area_create(actor=None, name="基准市", code="970100", level="city", parent=province)
    county = services.area_create(actor=None, name="基准县", code="970121", level="county", parent=city)
    government = services.agency_create(
        actor=None, name="基准县人民政府", code=agency_code(0), kind="government", area=county)
    for number in range(1, AGENCIES + 1):
        services.agency_create(actor=None, name=f"基准县第{number}局", code=agency_code(number), kind="department",
                               area=county, parent=government)


def vocabulary() -> dict:
    from gongkai.disclosure.models import Genre, TopicCategory
    from gongkai.disclosure.taxonomy import DEFAULT_CATALOGUE

    catalogue = [code for code, _name, children in DEFAULT_CATALOGUE for code in [code, *(c for c, _ in children)]]
    topics = list(TopicCategory.objects.filter(parent__isnull=False).values_list("code", flat=True))
    return {"catalogue": catalogue, "topics": topics, "genres": list(Genre.objects.values_list("code", flat=True))}


def write_import_file(path: Path, count: int, seed: int) -> int:
    """Write ``count`` rows as JSON Lines; returns the characters of title and body."""
    items, words, chars = Items(seed), vocabulary(), 0
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            row = items.row(number, words)
            chars += len(row["title"]) + len(row["body"])
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return chars
