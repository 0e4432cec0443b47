"""Synthetic data for bench/applications.py: applicants, the county's agencies and staff, and the
preload of N applications (setup, not the measured path)."""

import collections
import datetime as dt
import random

PASSWORD = "bench-Passw0rd!"
STAFF_USER = "bench_admin"
TOTP_KEY = "3132333435363738393031323334353637383930"  # the staff user's authenticator secret (hex)

AGENCIES = [  # (short name, share of the preloaded applications); the first one is measured
    ("财政局", 0.50), ("教育局", 0.15), ("自然资源局", 0.12), ("住房和城乡建设局", 0.10), ("民政局", 0.08),
    ("城关镇人民政府", 0.05),
]
REQUESTS = [
    "请公开{year}年农村危房改造补助资金的拨付情况。", "申请获取{year}年城乡居民最低生活保障标准调整的文件。",
    "请提供{year}年政府采购供应商投诉的处理决定。", "请公开人民路道路改造工程的立项批复及资金预算（{year}年）。",
    "申请公开{year}年食品安全抽检不合格产品处理决定。", "申请获取{year}年教育经费支出统计数据。",
    "请公开{year}年度征地补偿安置方案及补偿标准。", "请公开污水处理厂{year}年各月出水水质监测报告。",
    "请提供{year}年公益性岗位招聘的报名和录用情况。", "请公开老旧小区改造项目的设计方案和施工单位（{year}年）。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国桂兰志强丽华晓东海燕德明秀英文博雪梅子涵思远"


# --- synthetic applicants ------------------------------------------------------------------------


def person(rng: random.Random, n: int) -> dict:
    from gongkai.pii.detectors import id_check_char

    body = f"9901{rng.randint(10, 99)}19{rng.randint(55, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return {
        "applicant_type": "natural", "applicant_name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
        "contact_person": "", "id_type": "resident_id", "id_number": body + id_check_char(body),
        "phone": f"139{rng.randint(10_000_000, 99_999_999)}", "email": f"applicant{n}@example.cn",
        "address": f"清河县人民路{rng.randint(1, 300)}号{rng.randint(1, 30)}栋", "postcode": "999100",
        "description": rng.choice(REQUESTS).format(year=rng.randint(2018, 2025)),
        "provision_form": rng.choice(["email", "post", "pick_up"]),
    }


# --- setting up: organisation and preload ---------------------------------------------------------


def build_organisation():
    """An area, six agencies and the office admin of the first, through the services staff use."""
    from gongkai.demo.county import uscc
    from gongkai.orgs import services

    area = services.area_create(actor=None, name="清河县", code="990121", level="county")
    agencies = []
    for serial, (short, _share) in enumerate(AGENCIES, start=1):
        name = short if short.endswith("政府") else "清河县" + short
        agencies.append(services.agency_create(
            actor=None, name=name, short_name=short, code=uscc("990121", serial),
            kind="government" if short.endswith("政府") else "department", area=area, sort_order=serial * 10,
            office={"name": f"{name}办公室", "address": "清河县人民路1号", "postcode": "999100", "phone": "0999-1234567"},
        ))
    admin = services.user_create(actor=None, agency=agencies[0], username=STAFF_USER, full_name="吴婷",
                                 password=PASSWORD, roles=["office_admin"])
    enrol_authenticator(admin)
    handlers = [services.user_create(actor=None, agency=agencies[0], username=f"bench_xxy{i}", full_name=f"刘洋{i}",
                                     password=PASSWORD, roles=["drafter"]) for i in range(3)]
    return agencies, handlers


def enrol_authenticator(user) -> None:
    """A confirmed authenticator for the staff user (setup, as the demo accounts get theirs): every
    staff sign-in passes the second factor, and the bench answers it with the code for this key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.accounts.twofactor import TOTP_NAME

    TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=TOTP_KEY, confirmed=True)


def totp_code() -> str:
    """The authenticator's current code for TOTP_KEY (RFC 6238: 30 s steps, 6 digits)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(TOTP_KEY), step=30)
    totp.time = time.time()
    return f"{totp.token():06d}"


def preload(count: int, agencies, handlers, seed: int) -> collections.Counter:
    """``count`` applications created in batches with bulk_create (setup, not the measured path).

    Closed cases over three years (about 90%), open ones received in the last ~60 days in every
    open state, so the overdue list is not empty. Applicants come from a pool of a few thousand
    people (so some apply repeatedly). No audit rows, receipts or e-mails: these are history, and
    the benchmark counts those of its own submissions.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.applications import clock
    from gongkai.applications.applicants import applicant_key
    from gongkai.applications.models import OPEN_STATUSES, Application, Channel, Status
    from gongkai.tracking_codes import CODE_ALPHABET
    from gongkai.workdays.calendar import WorkdayCalendar

    rng = random.Random(seed)
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    due_cache: dict[dt.date, tuple] = {}

    def due(received):
        if received not in due_cache:
            state = clock.compute(received, [], calendar)
            due_cache[received] = (state.due, state.calendar_confirmed)
        return due_cache[received]

    pool = []
    for n in range(min(count, 5000) or 1):
        data = person(rng, n)
        pool.append(data | {"applicant_key": applicant_key(data)})  # as intake stores it

    codes: set[str] = set()
    weights = [share for _name, share in AGENCIES]
    channels = [Channel.ONLINE] * 6 + [Channel.POST, Channel.IN_PERSON, Channel.EMAIL]
    closed_statuses = [Status.REPLIED] * 2 + [Status.CLOSED] * 7 + [Status.TRANSFERRED]
    open_statuses = ([Status.RECEIVED] * 25 + [Status.IN_PROGRESS] * 55 + [Status.AWAITING_CORRECTION] * 8
                     + [Status.CONSULTING] * 7 + [Status.AWAITING_FEE] * 5)
    open_values = {str(s) for s in OPEN_STATUSES}
    reply_types = ["public_already", "public_provided", "partial", "unavailable_not_exist", "withheld_process"]
    tally = collections.Counter()
    with transaction.atomic():
        for start in range(0, count, 5000):
            batch = []
            for _n in range(start, min(count, start + 5000)):
                agency = rng.choices(agencies, weights=weights)[0]
                while True:
                    code = "".join(rng.choices(CODE_ALPHABET, k=10))
                    if code not in codes:
                        codes.add(code)
                        break
                # No secret: nobody follows a preloaded case online.
                row = rng.choice(pool) | {"agency_id": agency.pk, "tracking_code": code, "secret_hash": "-",
                                          "channel": rng.choice(channels)}
                if rng.random() < 0.9:
                    received = today - dt.timedelta(days=rng.randint(20, 3 * 365))
                    status = rng.choice(closed_statuses)
                    row["due_on"], row["due_confirmed"] = due(received)
                    row["reply_type"] = ("unavailable_not_responsible" if status == Status.TRANSFERRED
                                         else rng.choice(reply_types))
                    row["replied_on"] = row["closed_on"] = min(today, received + dt.timedelta(days=rng.randint(3, 28)))
                else:
                    # Mostly recent; a tail of older ones makes the overdue list.
                    received = today - dt.timedelta(days=int(rng.expovariate(1 / 14)) % 60)
                    status = rng.choice(open_statuses)
                    if status == Status.AWAITING_CORRECTION:
                        row["clock_state"], row["due_on"] = "waiting_applicant", None
                    elif status in (Status.CONSULTING, Status.AWAITING_FEE):
                        row["clock_state"], row["due_on"] = "paused", None
                    else:
                        row["due_on"], row["due_confirmed"] = due(received)
                    row["supervised"] = rng.random() < 0.01
                row["received_on"], row["status"] = received, str(status)
                if status != Status.RECEIVED and agency == agencies[0]:
                    row["handler_id"] = rng.choice(handlers).pk
                tally[(agency.pk, row["status"] in open_values)] += 1
                batch.append(Application(**row))
            Application.objects.bulk_create(batch, batch_size=500)
    # Read one back through the ORM: decrypts and parses as the application will.
    sample = Application.objects.order_by("?").first()
    assert sample.phone.startswith("139") and sample.received_on <= today, sample
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return tally
