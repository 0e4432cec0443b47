"""Synthetic records of one city for bench/report.py: agencies, applications, appeals, items.

Setup only, never measured. Rows are written straight into the tables (bulk inserts with explicit
ids; COPY on PostgreSQL), because the benchmark measures reporting, not intake. Seeded, so two
runs (and the two databases) hold the same records.

The city (one area government at the root of 1,000 agencies):

    市人民政府 ── 59 市直部门
               └─ 10 县区人民政府 ── 60 部门 + 33 乡镇街道 each

Applications are received from 2021-01-01 to TODAY (a few months into the year after the report
year), about 92% closed 1–40 days after receipt, the rest still open; reply types and applicant
types in the proportions published annual reports show (mostly 自然人, 予以公开 and 本机关不掌握
the largest rows). Busy agencies (city departments, county governments) get most requests.
"""

import datetime as dt
import random

TODAY = dt.date(2026, 3, 31)
FIRST_DAY = dt.date(2021, 1, 1)
COUNTIES = 10
CITY_DEPARTMENTS = 59
COUNTY_DEPARTMENTS = 60
TOWNSHIPS = 33

APPLICANT_TYPES = [("natural", 86), ("commercial", 7), ("research", 1), ("public_interest", 1),
                   ("legal_service", 3), ("other", 2)]
REPLY_TYPES = [  # every reply type, weighted roughly as published reports spread them
    ("public_already", 12), ("public_provided", 25), ("partial", 8), ("withheld_state_secret", 0.1),
    ("withheld_law_prohibits", 0.5), ("withheld_security", 0.2), ("withheld_third_party", 1.5),
    ("withheld_internal", 1), ("withheld_process", 2), ("withheld_enforcement_file", 0.5),
    ("withheld_admin_query", 1), ("unavailable_not_exist", 20), ("unavailable_not_responsible", 6),
    ("unavailable_needs_creation", 3), ("unavailable_still_unclear", 1.5), ("not_processed_petition", 3),
    ("not_processed_repeat", 3), ("not_processed_publication", 0.3), ("not_processed_excessive", 1),
    ("not_processed_confirmation", 0.5), ("other_no_correction", 4), ("other_fee_unpaid", 0.2), ("other", 2),
]
OPEN_STATUSES = ["received", "in_progress", "in_progress", "awaiting_correction", "consulting", "awaiting_fee"]
DESCRIPTIONS = [
    "请公开{year}年农村危房改造补助资金的拨付情况。", "申请获取{year}年城乡居民最低生活保障标准调整的文件。",
    "请提供{year}年政府采购供应商投诉的处理决定。", "请公开人民路道路改造工程的立项批复及资金预算（{year}年）。",
    "申请公开{year}年度征地补偿安置方案及补偿标准，包括各村组的补偿明细和发放记录。",
    "请公开污水处理厂{year}年各月出水水质监测报告。", "请提供{year}年公益性岗位招聘的报名和录用情况。",
]
ITEM_TEXT = ("为进一步规范行政行为，保障公民、法人和其他组织的合法权益，根据有关法律、法规和规章的规定，"
             "结合本地实际，制定本办法。本办法自发布之日起施行，有效期五年。")


def _pick(rng: random.Random, weighted: list[tuple[str, float]]):
    values, weights = zip(*weighted, strict=True)
    cumulative, total = [], 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return lambda: rng.choices(values, cum_weights=cumulative)[0]


def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERT (executemany) on SQLite, COPY on PostgreSQL."""
    from django.db import connection

    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})",
                           [[v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in rows])


def build_city():
    """The areas and the 1,000 agencies; returns (root agency, [(agency id, weight)])."""
    from django.utils import timezone

    from gongkai.orgs.models import Agency, Area

    now = timezone.now()
    city_area = Area.objects.create(name="滨江市", code="990100", level="city")
    county_areas = Area.objects.bulk_create(
        Area(name=f"滨江市第{n}区", code=f"9901{n + 1:02d}", level="county", parent=city_area)
        for n in range(1, COUNTIES + 1))
    agencies, weights = [], []

    def agency(name, kind, area, parent, weight):
        pk = len(agencies) + 1
        path = f"{parent.path if parent else '/'}{pk}/"
        agencies.append(Agency(pk=pk, name=name, short_name=name[-12:], code=f"BR{pk:07d}", kind=kind, area=area,
                               parent=parent, path=path, sort_order=pk, created_at=now))
        weights.append((pk, weight))
        return agencies[-1]

    root = agency("滨江市人民政府", "government", city_area, None, 40)
    for n in range(1, CITY_DEPARTMENTS + 1):
        agency(f"滨江市第{n}局", "department", city_area, root, 12 if n <= 10 else 3)
    for area in county_areas:
        government = agency(f"{area.name}人民政府", "government", area, root, 25)
        for n in range(1, COUNTY_DEPARTMENTS + 1):
            agency(f"{area.name}第{n}局", "department", area, government, 4 if n <= 10 else 1)
        for n in range(1, TOWNSHIPS + 1):
            agency(f"{area.name}第{n}街道办事处", "dispatched" if n % 3 else "government", area, government, 0.6)
    Agency.objects.bulk_create(agencies, batch_size=500)
    return agencies[0], weights


def build_catalogues(agency_ids: list[int]) -> dict[int, dict[str, int]]:
    """Every agency's default catalogue; returns {agency id: {node code: node id}}."""
    from gongkai.disclosure.models import CatalogueNode
    from gongkai.disclosure.taxonomy import DEFAULT_CATALOGUE

    nodes, ids, next_id = [], {}, 1
    for agency_id in agency_ids:
        ids[agency_id] = {}
        for order, (code, name, children) in enumerate(DEFAULT_CATALOGUE, start=1):
            parent_id = next_id
            nodes.append(CatalogueNode(pk=parent_id, agency_id=agency_id, code=code, name=name, sort_order=order))
            ids[agency_id][code] = parent_id
            next_id += 1
            for i, (child, child_name) in enumerate(children, start=1):
                nodes.append(CatalogueNode(pk=next_id, agency_id=agency_id, parent_id=parent_id, code=child,
                                           name=child_name, sort_order=i))
                ids[agency_id][child] = next_id
                next_id += 1
    CatalogueNode.objects.bulk_create(nodes, batch_size=2000)
    return ids


def build_applications(count: int, weights: list[tuple[int, float]], seed: int) -> tuple[int, list]:
    """``count`` applications; returns (how many, [(id, closed_on) of closed ones]) for the appeals."""
    from django.db import connection
    from django.utils import timezone

    from gongkai.applications.applicants import applicant_key
    from gongkai.applications.models import Application
    from gongkai.fieldcrypt import EncryptedTextField

    rng = random.Random(seed)
    applicant_type, reply_type = _pick(rng, APPLICANT_TYPES), _pick(rng, REPLY_TYPES)
    agency_ids, agency_weights = zip(*weights, strict=True)
    cumulative = []
    for w in agency_weights:
        cumulative.append((cumulative[-1] if cumulative else 0) + w)
    fields = [f for f in Application._meta.concrete_fields if not f.generated]  # open_case: the database computes it
    columns = [f.column for f in fields]
    encrypted = {f.attname: f for f in fields if isinstance(f, EncryptedTextField)}
    # A pool of applicants whose identity number, phone and address are encrypted once each.
    pool = []
    for n in range(500):
        plain = {"id_number": f"99010219{60 + n % 40}0{1 + n % 9}1{n % 10}{n:03d}X"[:18],
                 "phone": f"139{rng.randint(10_000_000, 99_999_999)}", "address": f"滨江市人民路{n}号{n % 30}栋"}
        pool.append({k: f.get_db_prep_save(plain[k], connection) for k, f in encrypted.items()}
                    | {"applicant_key": applicant_key({"id_type": "resident_id", "id_number": plain["id_number"]})})
    now = timezone.now()
    defaults = {f.attname: (None if f.null and not f.has_default() else f.get_default()) for f in fields}
    defaults |= {"created_at": now, "updated_at": now, "secret_hash": "pbkdf2_sha256$bench$" + "x" * 60,
                 "applicant_name": "王建国", "email": "", "postcode": "990100", "provision_form": "email",
                 "id_type": "resident_id"}
    span = (TODAY - FIRST_DAY).days
    closed_cases, written = [], 0
    for start in range(0, count, 20_000):
        rows = []
        for pk in range(start + 1, min(count, start + 20_000) + 1):
            received = FIRST_DAY + dt.timedelta(days=rng.randrange(span + 1))
            closing = received + dt.timedelta(days=rng.randint(1, 40))
            row = defaults | rng.choice(pool) | {
                "id": pk, "agency_id": rng.choices(agency_ids, cum_weights=cumulative)[0],
                "tracking_code": f"BR{pk:010d}", "channel": "online" if rng.random() < 0.7 else "in_person",
                "applicant_type": applicant_type(), "received_on": received,
                "description": rng.choice(DESCRIPTIONS).format(year=received.year - rng.randint(0, 3)),
                "content_fingerprint": f"{rng.getrandbits(256):064x}", "due_on": received + dt.timedelta(days=28),
            }
            # Open: not yet due to close by TODAY, or (1 in 300) a case left open for long.
            if closing > TODAY or rng.random() < 1 / 300:
                row["status"] = rng.choice(OPEN_STATUSES)
                if rng.random() < 0.2:
                    row["reply_type"] = reply_type()  # decided, 答复书 not yet issued: still open
            else:
                row["reply_type"] = reply_type()
                row["status"] = "transferred" if row["reply_type"] == "unavailable_not_responsible" and \
                    rng.random() < 0.5 else "closed"
                row["replied_on"] = row["closed_on"] = closing
                row["reply_reason"] = "经检索，本机关未制作或获取该政府信息。" if row["reply_type"].startswith("un") else ""
                closed_cases.append((pk, closing))
            rows.append(tuple(row[f.attname] for f in fields))
        insert(Application._meta.db_table, columns, rows)
        written += len(rows)
    return written, closed_cases


def build_appeals(closed_cases: list, seed: int) -> int:
    """行政复议 on ~2.5% of closed cases, some taken on to court, and ~0.7% sued directly."""
    from gongkai.applications.models import Appeal

    rng = random.Random(seed + 1)
    rows, pk = [], 0

    def appeal(application_id, kind, filed):
        nonlocal pk
        pk += 1
        decided = filed + dt.timedelta(days=rng.randint(30, 200))
        outcome = rng.choice(["upheld"] * 6 + ["corrected"] * 2 + ["other"] * 2) if decided <= TODAY else "pending"
        rows.append((pk, application_id, kind, "滨江市人民政府" if kind == "review" else "滨江市中级人民法院",
                     f"（{filed.year}）滨复字第{pk}号", filed, "", outcome, decided if outcome != "pending" else None))
        return decided

    for application_id, closed_on in closed_cases:
        draw = rng.random()
        if draw < 0.025:
            filed = closed_on + dt.timedelta(days=rng.randint(5, 59))
            if filed <= TODAY:
                decided = appeal(application_id, "review", filed)
                if rng.random() < 0.25 and decided + dt.timedelta(days=10) <= TODAY:
                    appeal(application_id, "litigation_after_review", decided + dt.timedelta(days=rng.randint(5, 14)))
        elif draw < 0.032:
            filed = closed_on + dt.timedelta(days=rng.randint(10, 170))
            if filed <= TODAY:
                appeal(application_id, "litigation_direct", filed)
    columns = ["id", "application_id", "kind", "body", "case_number", "filed_on", "stage", "outcome", "decided_on"]
    insert(Appeal._meta.db_table, columns, rows)
    return len(rows)


def build_items(catalogues: dict[int, dict[str, int]], per_agency: int, root_id: int, seed: int) -> dict:
    """Published items of every agency: ~15% 行政规范性文件, 规章 for the city government only, the
    rest in other catalogue nodes; some repealed or expired, a few drafts and 依申请公开 ones."""
    from django.utils import timezone

    from gongkai.disclosure.models import Genre, Item, TopicCategory

    rng = random.Random(seed + 2)
    topics = list(TopicCategory.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    genres = list(Genre.objects.values_list("pk", flat=True))
    other_nodes = ["jgzn", "qtwj", "zcjd", "fzgh", "ndjh", "yjs", "zfcg", "xzxk", "xzcf", "shjz", "rmxx", "gzdt", "gzdt"]
    now = timezone.now()
    items, tally = [], {"items": 0, "regulations": 0, "normative_documents": 0}
    for agency_id, nodes in catalogues.items():
        for serial in range(1, per_agency + 1 + (60 if agency_id == root_id else 0)):
            published = FIRST_DAY - dt.timedelta(days=3 * 365) + dt.timedelta(days=rng.randrange(8 * 365))
            published = min(published, TODAY)
            if serial > per_agency:
                node, kind = "gz", "regulations"  # the city government's 规章
            elif rng.random() < 0.15:
                node, kind = "xzgfxwj", "normative_documents"
            else:
                node, kind = rng.choice(other_nodes), "items"
            validity, changed = "valid", None
            if kind != "items" and rng.random() < 0.2:
                validity = rng.choice(["repealed", "expired"])
                changed = min(TODAY, published + dt.timedelta(days=rng.randint(100, 5 * 365)))
            status, disclosure = "published", "proactive"
            draw = rng.random()
            if draw < 0.03:
                status, published = "draft", None
            elif draw < 0.05:
                status, disclosure = "registered", "on_request"
            tally[kind] += 1
            items.append(Item(
                agency_id=agency_id, index_number=f"BR{agency_id:07d}/{serial:05d}", title=f"滨江市关于印发第{serial}号管理办法的通知",
                publisher="滨江市人民政府", written_on=published or TODAY, published_on=published, topic_id=rng.choice(topics),
                genre_id=rng.choice(genres), catalogue_node_id=nodes[node], validity=validity, validity_changed_on=changed,
                disclosure=disclosure, exemption_reason="" if disclosure == "proactive" else "X16-2",
                body=ITEM_TEXT * 3, public_body=ITEM_TEXT * 3 if status == "published" else "", status=status,
                created_at=now, updated_at=now,
            ))
            if len(items) >= 5000:
                Item.objects.bulk_create(items)
                items = []
    Item.objects.bulk_create(items)
    tally["total"] = Item.objects.count()
    return tally


def reset_sequences() -> None:
    """After rows written with explicit ids, let PostgreSQL's sequences continue above them."""
    from django.core.management.color import no_style
    from django.db import connection

    from gongkai.applications.models import Appeal, Application
    from gongkai.disclosure.models import CatalogueNode
    from gongkai.orgs.models import Agency, Area

    statements = connection.ops.sequence_reset_sql(no_style(), [Area, Agency, CatalogueNode, Application, Appeal])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def build(applications: int, items_per_agency: int, seed: int) -> dict:
    """The whole city; returns the root agency and counts of what was written."""
    from django.db import transaction

    with transaction.atomic():
        root, weights = build_city()
        catalogues = build_catalogues([pk for pk, _ in weights])
        written, closed_cases = build_applications(applications, weights, seed)
        appeals = build_appeals(closed_cases, seed)
        items = build_items(catalogues, items_per_agency, root.pk, seed)
        reset_sequences()
    return {"root": root, "agencies": len(weights), "applications": written, "appeals": appeals, "items": items}
