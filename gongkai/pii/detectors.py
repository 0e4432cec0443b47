"""Finding personal information in the text of a government document before it is published.

条例第15条: information whose disclosure would harm a third party's lawful rights, personal privacy
included, is not published without consent. Before a reviewer approves an item, its text is scanned
for the identifiers that most often slip into replies and notices (身份证号, 手机号, 银行卡号, 邮箱,
当事人姓名) so they can be masked (去标识化, GB/T 37964-2019) or consciously kept.

Scanning is a screening aid, not a guarantee: numbers are matched by their structure and check
digits, and names only where documents introduce a person: after a word such as 申请人、联系人、
当事人、信访人、被执行人、姓名 ("申请人：张三"), and before the particulars that follow a private
person's name (", 男，", "（女，", "，身份证号"). A reviewer still reads the text.

Offsets always refer to the caller's text. Detection runs on a copy folded character by character
with NFKC, so that full-width digits (０-９), Ｘ, ＠, ： and the ideographic space match like their
ASCII forms. A character whose NFKC form is not exactly one character (㈱, ﬁ, ½) is left unfolded,
which keeps the copy the same length as the original and every offset valid in both.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

ID_CARD = "id_card"
SUSPECT_ID_CARD = "suspect_id_card"
MOBILE = "mobile"
BANK_CARD = "bank_card"
EMAIL = "email"
PERSON_NAME = "person_name"

LABELS = {
    ID_CARD: "居民身份证号",
    SUSPECT_ID_CARD: "疑似身份证号（校验位不符）",
    MOBILE: "手机号码",
    BANK_CARD: "银行卡号",
    EMAIL: "电子邮箱",
    PERSON_NAME: "姓名",
}

# When two candidates overlap, the longer span wins; on equal spans the kind listed first wins.
# A bank card beats a suspect id card: an 18-digit number that fails the GB 11643 check but passes
# Luhn is more likely a card, and the card mask hides more of it anyway.
SPECIFICITY = (ID_CARD, MOBILE, EMAIL, BANK_CARD, SUSPECT_ID_CARD, PERSON_NAME)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    label: str


def scan(text: str, *, today: dt.date | None = None) -> list[Finding]:
    """Personal information in ``text``, sorted by start, spans never overlapping.

    ``today`` bounds the birth year of an id card (defaults to the real date).
    """
    folded = fold(text)
    today = today or dt.date.today()
    candidates = [
        *_id_cards(folded, today),
        *_mobiles(folded),
        *_bank_cards(folded),
        *_emails(folded),
        *_person_names(folded),
    ]
    if not candidates:
        return []
    chosen: list[tuple[str, int, int]] = []
    taken = [False] * len(text)
    for kind, start, end in sorted(candidates, key=lambda c: (c[1] - c[2], SPECIFICITY.index(c[0]), c[1])):
        if not any(taken[start:end]):
            chosen.append((kind, start, end))
            taken[start:end] = [True] * (end - start)
    return [Finding(kind, start, end, text[start:end], LABELS[kind]) for kind, start, end in sorted(chosen, key=lambda c: c[1])]


class _FoldTable(dict):
    """Code point -> its NFKC form when that is one character, else itself; filled on first use,
    so ``fold`` is one ``str.translate`` instead of a normalisation per character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char) if code >= 0x80 else char
        self[code] = value = folded if len(folded) == 1 else char
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """``text`` with each character replaced by its NFKC form when that form is one character."""
    return text.translate(_FOLD)


# --- 居民身份证号 (GB 11643-1999) -------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

# Inside a longer run of digits or Latin letters an 18-character stretch is part of some other
# code (an order number, a 19-digit card), not an id card.
_ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def id_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def _birth_date_plausible(number: str, today: dt.date) -> bool:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= today.year


# Each detector first asks a cheap question every match of it implies (here: 17 digits in a row).
# The detectors' patterns start with a look-behind, so the regular expression engine tries them
# at every position of the text; the gates start with a single character class (written out as
# "[0-9][0-9]{16}", not "[0-9]{17}": only then does the engine skip ahead to the next digit).
# Most documents have no personal information, so for most texts one gate that finds nothing
# replaces a look-behind pattern tried at every position (measured: docs/architecture.md, "Performance notes").
_ID_GATE = re.compile(r"[0-9][0-9]{16}")


def _id_cards(folded: str, today: dt.date):
    if not _ID_GATE.search(folded):
        return
    for m in _ID_SHAPE.finditer(folded):
        number = m.group().upper()
        # Without a real date the 18 characters are not an id card at all, not even a mistyped one.
        if not _birth_date_plausible(number, today):
            continue
        kind = ID_CARD if id_check_char(number[:17]) == number[17] else SUSPECT_ID_CARD
        yield kind, m.start(), m.end()


# --- 手机号码 -----------------------------------------------------------------------------------

# 1[3-9]X XXXX XXXX with an optional +86/86 prefix; groups may be split by one space or hyphen,
# the same separator both times, which keeps landlines (0999-6120601) and arbitrary digit
# sequences out.
_MOBILE = re.compile(
    r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9])"
)


_MOBILE_GATE = re.compile(r"1[3-9][0-9]")


def _mobiles(folded: str):
    if not _MOBILE_GATE.search(folded):
        return
    for m in _MOBILE.finditer(folded):
        yield MOBILE, m.start(), m.end()


# --- 银行卡号 -----------------------------------------------------------------------------------

_CARD_PLAIN = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
# Grouped in fours (the last group 1-3 digits for 17-19 digit cards). A grouped run is also cut
# off from neighbouring groups, so a 20-digit grouped number is not read as a 16-digit card.
_CARD_GROUPED = re.compile(
    r"(?<![0-9])(?<![0-9][ -])[0-9]{4}(?P<sep>[ -])[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}"
    r"(?:(?P=sep)[0-9]{1,3})?(?![0-9])(?![ -][0-9])"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


_CARD_GATES = {_CARD_PLAIN: re.compile(r"[0-9][0-9]{15}"), _CARD_GROUPED: re.compile(r"[0-9][0-9]{3}[ -][0-9]{4}")}


def _bank_cards(folded: str):
    for pattern, gate in _CARD_GATES.items():
        if not gate.search(folded):
            continue
        for m in pattern.finditer(folded):
            if luhn_valid(re.sub(r"[ -]", "", m.group())):
                yield BANK_CARD, m.start(), m.end()


# --- 电子邮箱 -----------------------------------------------------------------------------------

# ASCII addresses only. The look-behind makes each attempt start at the beginning of a run of
# address characters, so a long run without "@" costs linear, not quadratic, time.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}(?![A-Za-z0-9-])"
)


def _emails(folded: str):
    if "@" not in folded:
        return
    for m in _EMAIL.finditer(folded):
        yield EMAIL, m.start(), m.end()


# --- 姓名 (heuristic) ---------------------------------------------------------------------------
#
# Names cannot be recognised in general; this only catches a name written right after a word
# that introduces a person in case documents (申请人、举报人、联系人、姓名 …), or right before the
# particulars that describe a private person (张三，男，1980年出生 / 李四（女） / 王五，身份证号…),
# when it starts with a common surname. Names of officials in 任免 notices ("任命张三同志为…")
# are published on purpose and are not looked for. Everything below trades recall for few false positives: a name in free prose,
# with a rare surname, or glued to an unusual following word is missed, and the reviewer remains
# responsible for it.

# The ~100 most frequent single-character surnames (公安部 household-register rankings), with
# the common variants 傅/阎/萧.
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许邓韩冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕"
    "丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万"
    "覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄葛萧"
)
COMPOUND_SURNAMES = frozenset(
    {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
     "夏侯", "轩辕", "令狐", "钟离", "端木", "独孤", "南宫", "西门", "呼延", "澹台"}
)

# Surnames that are also everyday function words (于 "at", 向 "towards", 何 "why", 曾 "once",
# 万一, 易于, 常年, 方可): right after "申请人" they are far more often the word, so they count as a
# surname only when a colon or space sets the name off ("申请人：何平").
_WORDLIKE_SURNAMES = frozenset("于向何曾万易常方")

# Words that start with a surname character but commonly follow 申请人/患者/当事人 in documents.
_NOT_NAMES = (
    "陈述", "陈列", "陈明", "张贴", "高度", "高于", "高血压", "高热", "高烧", "高级", "任何", "任意",
    "任职", "马上", "严格", "严重", "严禁", "程序", "程度", "金额", "金融", "许可", "许多", "余额",
    "余款", "林业", "石油", "史上", "杜绝", "陆续", "董事", "谢谢", "范围", "付款", "付费", "顾问",
    "周边", "周围", "康复", "施工", "文件", "文书", "黄疸", "白血病", "毛病", "钱款", "龙头", "江河",
    "武装", "郑重",
)

# Where a name ends. Single characters here are grammatical words that practically never occur
# inside a given name; longer entries are titles and the verbs/fields that follow a name.
_AFTER_NAME = tuple(sorted(
    {
        "同志", "先生", "女士", "小姐", "老师", "师傅", "医生", "律师", "主任", "局长", "科长", "处长",
        "经理", "书记", "教授", "提出", "提交", "申请", "要求", "请求", "认为", "反映", "诉称", "表示",
        "不服", "通过", "应当", "应该", "可以", "已经", "现住", "现居", "身份", "电话", "手机", "联系",
        "地址", "住址", "性别", "年龄", "出生", "民族", "汉族", "籍贯", "户籍", "职业", "工作", "单位",
        "签名", "签字", "盖章", "委托", "代理", "来信", "来访", "来电", "多次", "一直", "先后", "分别",
        "依法", "根据", "按照", "本人", "以及", "一行", "等人", "今日", "近日", "日前", "此前", "随后",
        "目前", "当日", "次日", "同日",
        "于", "在", "的", "因", "称", "等", "与", "及", "是", "系", "对", "被", "把", "将", "已", "并",
        "但", "而", "或", "不", "未", "没", "也", "都", "就", "即", "所", "住", "男", "女", "岁",
    },
    key=len,
    reverse=True,
))

# A place or organisation after "申请人" (黄山市某公司, 武汉大学, 林场办公室, 李记餐馆) is not a
# person. The single characters end the names of places and units and practically never occur
# in a given name.
_PLACE_OR_ORG = (
    "省", "市", "县", "区", "镇", "乡", "村", "局", "厅", "街道", "公司", "集团", "企业", "大学", "学院",
    "学校", "医院", "银行", "政府", "委员会", "中心", "协会", "事务所", "合作社",
    "厂", "场", "店", "馆", "部", "室", "社", "站", "队", "院", "处", "股份", "有限", "工程", "科技", "实业",
    "商贸", "贸易", "商行", "物业", "酒店", "宾馆", "饭店", "超市", "药房", "诊所", "门市", "餐厅", "管委会",
    "景区", "工作室",
)

# Words that introduce a person in case files, complaints, 信访 and enforcement documents. A longer
# word containing one of them is found through it (被申请人 via 申请人, 被举报人 via 举报人).
_NAME_CONTEXT = re.compile(
    r"(?:法定代表人|申请人|当事人|举报人|投诉人|联系人|经办人|代理人|委托人|受托人|监护人|信访人|来信人|"
    r"来访人|反映人|求助人|受害人|被害人|证人|嫌疑人|被执行人|负责人|承租人|出租人|借款人|担保人|收件人|"
    r"业主|房主|患者|户主|姓名|本人)(?P<sep>:?[ \t]*)"
)
_LOOKAHEAD = 12
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def surname_of(name: str) -> str:
    """The surname a detected name starts with (compound surnames take precedence)."""
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def _name_at(folded: str, pos: int, set_off: bool) -> int | None:
    """End of a person's name starting at ``pos``, or None if what follows does not look like one."""
    # A name is at most four characters; looking a little further finds its end without making a
    # long run of CJK text ("申请人申请人…") cost quadratic time.
    run = _CJK.match(folded, pos, pos + _LOOKAHEAD)
    if not run:
        return None
    run = run.group()
    surname = surname_of(run)
    if surname not in COMPOUND_SURNAMES and surname not in SINGLE_SURNAMES:
        return None
    if surname in _WORDLIKE_SURNAMES and not set_off:
        return None
    if run.startswith(_NOT_NAMES):
        return None
    cut = len(surname)
    while cut < len(run) and not run.startswith(_AFTER_NAME, cut):
        cut += 1
    head = run[:cut]
    if any(marker in head for marker in _PLACE_OR_ORG):
        return None
    given = head[len(surname):]
    # 王某、张某某 are already pseudonymised.
    if not given or given.startswith("某"):
        return None
    # At most two given-name characters (2–4 characters in all): three-character given names are
    # rare, while a run with no recognisable end ("王小明今晨来电") is common.
    return pos + len(surname) + min(len(given), 2)


# The particulars that follow a private person's name: the sex set off by punctuation, or the
# identity number's label ("张三，男，" "李四（女，" "王五，身份证号"). The name is the end of the
# Chinese run just before.
_PARTICULARS = re.compile(r"(?:[,，]\s*|[(（])(?:[男女](?=[,，、;；。)）\s])|(?:公民)?身份(?:证)?号码?|身份证)")
_PARTICULARS_GATE = re.compile(r"[男女身]")


def _name_before(folded: str, end: int) -> int | None:
    """Start of a person's name ending at ``end``, or None: the last 2–4 characters of the Chinese
    run before ``end`` that start with a surname (three characters preferred to two, a compound
    surname to a single one); a word-like surname (于, 向 …) only when it starts the run."""
    run_start = end
    while run_start > max(0, end - _LOOKAHEAD) and _CJK.match(folded, run_start - 1, run_start):
        run_start -= 1
    for length in (4, 3, 2):
        start = end - length
        if start < run_start:
            continue
        name = folded[start:end]
        surname = surname_of(name)
        if surname not in COMPOUND_SURNAMES and (surname not in SINGLE_SURNAMES or length == 4):
            continue
        if surname in _WORDLIKE_SURNAMES and start != run_start:
            continue
        given = name[len(surname):]
        if not given or given.startswith("某") or name.startswith(_NOT_NAMES):
            continue
        if any(marker in folded[run_start:end] for marker in _PLACE_OR_ORG):
            return None
        return start
    return None


def _person_names(folded: str):
    yield from _names_after_labels(folded)
    if _PARTICULARS_GATE.search(folded):
        for m in _PARTICULARS.finditer(folded):
            start = _name_before(folded, m.start())
            if start is not None:
                yield PERSON_NAME, start, m.start()


def _names_after_labels(folded: str):
    for m in _NAME_CONTEXT.finditer(folded):
        start, set_off = m.end(), bool(m.group("sep"))
        while (end := _name_at(folded, start, set_off)) is not None:
            yield PERSON_NAME, start, end
            # 申请人：张三、李四 — an enumeration names several people.
            if not folded.startswith("、", end):
                break
            start, set_off = end + 1, True
