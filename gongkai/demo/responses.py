"""Demo 政策解读 in three forms, a 回应关切 and a 新闻发布会, written for gongkai after the kind of
work the county seeds describe (解读 in text, graphics and Q&A; 舆情回应 through the official
microblog first; a briefing on a new rule). Made through the same services staff use."""

import datetime as dt
import struct
import zlib

from django.utils import timezone

from gongkai.disclosure import conferences, services
from gongkai.disclosure.models import CatalogueNode, Genre, TopicCategory

POLICY_TITLE = "清河县县级财政专项资金管理办法"
FUNDS = "县级财政专项资金"


def _chart_png() -> bytes:
    """A small bar chart as a PNG (for the 图解): three bars on white, drawn row by row."""
    width, height = 120, 80
    bars = [(15, 40, 30), (50, 75, 55), (85, 110, 20)]  # (left, right, top)
    rows = b""
    for y in range(height):
        row = bytearray(b"\xff\xff\xff" * width)
        for left, right, top in bars:
            if y >= top:
                row[left * 3:right * 3] = b"\xc0\x39\x2b" * (right - left)
        rows += b"\x00" + bytes(row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _publish(item):
    services.item_submit(actor=None, item=item)
    while True:
        item.refresh_from_db()
        if item.status != "in_review":
            return item
        services.item_approve(actor=None, item=item)


def build_responses(agencies: dict) -> None:
    finance, housing = agencies["czj"], agencies["zjj"]
    today = timezone.localdate()
    genres = {g.code: g for g in Genre.objects.all()}
    finance_topic = TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计")
    nodes = {n.code: n for n in CatalogueNode.objects.filter(agency=finance)}
    written, published = today - dt.timedelta(days=40), today - dt.timedelta(days=38)
    base = {"topic": finance_topic, "disclosure": "proactive", "written_on": written, "published_on": published,
            "keywords": FUNDS}
    policy = _publish(services.item_create(actor=None, agency=finance, data={
        **base, "title": POLICY_TITLE, "catalogue_node": nodes["xzgfxwj"], "genre": genres["08"],
        "document_number": f"清财规〔{written.year}〕3号", "summary": f"规范{FUNDS}的设立、分配、使用和绩效管理。",
        "body": f"第一条 为规范{FUNDS}管理，提高资金使用效益，结合本县实际，制定本办法。\n\n"
                f"第二条 {FUNDS}实行目录清单管理，未列入清单的不得安排。\n\n"
                "第三条 资金分配结果除涉及国家秘密的外，应当在下达后二十个工作日内向社会公开。"}))
    reading = {**base, "catalogue_node": nodes["zcjd"], "genre": genres["54"], "interprets": policy}
    _publish(services.item_create(actor=None, agency=finance, data={
        **reading, "title": f"《{POLICY_TITLE}》政策解读", "interpretation_form": "text",
        "body": f"一、制定背景：近年来{FUNDS}项目多、规模小、分配分散，需要统一规范。\n\n"
                "二、主要内容：实行目录清单管理，资金分配结果按时公开，全过程绩效管理。\n\n"
                "三、适用范围：县本级预算安排的各类专项资金。"}))
    _publish(services.item_create(actor=None, agency=finance, files=[("一图读懂专项资金管理办法.png", _chart_png())], data={
        **reading, "title": f"一图读懂《{POLICY_TITLE}》", "interpretation_form": "graphic",
        "body": "图解：清单管理、公开时限、绩效评价三个要点。"}))
    _publish(services.item_create(actor=None, agency=finance, data={
        **reading, "title": f"{FUNDS}管理十问十答", "interpretation_form": "qa",
        "body": "问：哪些资金属于县级财政专项资金？\n\n答：县本级预算安排、有指定用途的资金。\n\n"
                "问：分配结果在哪里公开？\n\n答：在县政府门户网站财政信息栏目公开。"}))
    transcript = _publish(services.item_create(actor=None, agency=finance, data={
        **base, "title": f"《{POLICY_TITLE}》新闻发布会文字实录", "catalogue_node": nodes["zcjd"],
        "genre": genres["58"], "body": "主持人：各位记者朋友，上午好。今天我们邀请县财政局负责同志介绍《办法》有关情况。"}))
    held = timezone.make_aware(dt.datetime.combine(published + dt.timedelta(days=1), dt.time(10, 0)))
    conferences.conference_create(actor=None, agency=finance, data={
        "topic": f"《{POLICY_TITLE}》新闻发布会", "held_at": held, "place": "县政府新闻发布厅",
        "speakers": "县财政局局长\n县财政局预算股股长", "summary": f"介绍{FUNDS}清单管理、分配公开和绩效管理的主要规定，回答记者提问。",
        "transcript": transcript, "related_items": [policy]})

    housing_nodes = {n.code: n for n in CatalogueNode.objects.filter(agency=housing)}
    surfaced = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=12), dt.time(8, 20)))
    _publish(services.item_create(actor=None, agency=housing, data={
        "title": "关于城区部分路段供水管网检修的情况说明", "topic": TopicCategory.objects.get(
            name="城乡建设（含住房）", parent__name="城乡建设、环境保护"),
        "disclosure": "proactive", "catalogue_node": housing_nodes["hygq"], "genre": genres["57"],
        "written_on": surfaced.date(), "published_on": surfaced.date(),
        "body": "近日网传“城区将连续停水三天”。经核实，本次检修仅涉及建设路北段，停水时间为当日22时至次日6时，"
                "其他路段正常供水。检修期间设临时供水点两处。"}, concern={
        "description": "网传“城区将连续停水三天”，市民关注停水范围和时间", "surfaced_at": surfaced, "level": "general",
        "responded_at": surfaced + dt.timedelta(hours=3, minutes=40), "response_channel": "清河县人民政府官方微博"}))
