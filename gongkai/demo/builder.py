"""Builds the demo county through the same services staff use, so demo data is audited like real data."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from gongkai.applications import letters
from gongkai.demo import county
from gongkai.orgs import services
from gongkai.orgs.models import Agency, Area

User = get_user_model()


def demo_exists() -> bool:
    return Agency.objects.filter(code=county.uscc("990100", 1)).exists()


def build_county(*, with_items: bool = True, progress: Callable[[str], None] | None = None) -> dict[str, Agency]:
    """The whole demo; ``progress`` (gongkai up) is told each step as it starts, since a first
    start spends most of its time here."""
    say = progress or (lambda _step: None)
    say("机构、人员和公开目录")
    agencies = _build_organisation()
    if with_items:
        from gongkai.demo.applications import build_applications
        from gongkai.demo.casework import build_last_year
        from gongkai.demo.consultations import build_consultations
        from gongkai.demo.enquiries import build_enquiries
        from gongkai.demo.items import build_items
        from gongkai.demo.normative import build_normative_documents
        from gongkai.demo.reports import build_reports

        steps = [
            ("行政规范性文件", build_normative_documents),  # first: the demo's 政策解读 items are linked to them
            ("主动公开信息", build_items),
            ("依申请公开案件", build_applications),
            ("上一年度的案件", build_last_year),
            ("年度报告", lambda built: (_refresh_planner_statistics(), build_reports(built))),
            ("意见征集", build_consultations),
            ("留言咨询", build_enquiries),
        ]
        for number, (label, build) in enumerate(steps, start=1):
            say(f"{label}（{number}/{len(steps)}）")
            build(agencies)
    return agencies


def _refresh_planner_statistics() -> None:
    """ANALYZE on PostgreSQL after the bulk load, before the reports are computed from it.

    PostgreSQL plans by its table statistics. Tables analysed while (nearly) empty keep those
    figures until autovacuum looks again, and the annual report's counts over the items just
    loaded then ran as nested loops, each as long as the whole build with fresh statistics, in
    the demo test, which builds the county in one transaction after other tests have emptied the
    tables (figures: docs/operations.md, section 3). ANALYZE may run inside a transaction and
    counts that transaction's own rows.
    """
    if connection.vendor != "postgresql":
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))


@transaction.atomic
def _build_organisation() -> dict[str, Agency]:
    areas: dict[str, Area] = {}
    for code, name, level, parent in county.AREAS:
        areas[code] = services.area_create(actor=None, name=name, code=code, level=level,
                                           parent=areas.get(parent) if parent else None)
    agencies: dict[str, Agency] = {}
    for serial, (key, name, kind, area, parent, address, phone, units) in enumerate(county.AGENCIES, start=1):
        # Departments are known by their short names inside the county; governments by their full ones.
        short = name if kind == "government" else name.removeprefix("清河县").removeprefix("青山市")
        agency = services.agency_create(
            actor=None, name=name, short_name=short, code=county.uscc(area, serial), kind=kind,
            area=areas[area], parent=agencies.get(parent) if parent else None, sort_order=serial * 10,
            office={
                "name": f"{name}办公室" if kind != "dispatched" else f"{name}党政办公室",
                "address": address, "postcode": "999100" if area != "990100" else "999000",
                "hours": county.OFFICE_HOURS, "phone": phone, "fax": phone[:-1] + "9",
                "email": f"xxgk-{key}@qinghe.example.cn",
            },
        )
        for unit in units:
            services.unit_create(actor=None, agency=agency, name=unit)
        letters.style_update(actor=None, agency=agency, number_code=county.NUMBER_CODES[key])
        agencies[key] = agency
    for username, full_name, roles, _purpose in county.PEOPLE:
        first_agency = agencies.get(roles[0][0]) if roles[0][0] else None
        user = services.user_create(
            actor=None, agency=first_agency, username=username, full_name=full_name, password=county.PASSWORD,
            email=f"{username}@qinghe.example.cn", roles=[roles[0][1]],
        )
        for key, role in roles[1:]:
            services.role_grant(actor=None, user=user, agency=agencies[key] if key else None, role=role)
    _enrol_demo_authenticators()
    return agencies


def _enrol_demo_authenticators() -> None:
    """Every staff sign-in needs a second factor (accounts/twofactor.py), demo accounts included.
    So that someone can try the demo with one entry in an authenticator app, all demo accounts
    share one random secret, printed by ``gongkai up`` with the logins. Real accounts each enrol
    their own secret on their first sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    from gongkai.accounts.twofactor import TOTP_NAME

    key = default_key()
    TOTPDevice.objects.bulk_create([
        TOTPDevice(user=user, name=TOTP_NAME, key=key, confirmed=True)
        for user in User.objects.filter(username__in=[p[0] for p in county.PEOPLE])
    ])


def demo_authenticator_secret() -> str:
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=county.PEOPLE[0][0], confirmed=True).first()
    return base64.b32encode(device.bin_key).decode() if device else ""


def login_lines() -> list[str]:
    lines = [f"演示账号（密码均为 {county.PASSWORD}）："]
    secret = demo_authenticator_secret()
    if secret:
        lines += [
            f"双因素认证：演示账号共用一个身份验证器密钥 {secret}",
            "  （在手机身份验证器应用中手动添加该密钥，基于时间、6位；或运行 oathtool --totp -b 密钥）",
        ]
    width = max(len(p[0]) for p in county.PEOPLE)
    for username, full_name, _roles, purpose in county.PEOPLE:
        lines.append(f"  {username.ljust(width)}  {full_name}  {purpose}")
    return lines
