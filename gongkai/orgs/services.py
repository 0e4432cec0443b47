"""Every change to areas, agencies, units, people and roles goes through these functions.

Each one checks permission, validates, writes in one transaction and records one audit row.
``actor=None`` means the installation's operator at the command line.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import (
    AREA_LEVEL_ORDER,
    Agency,
    AgencyKind,
    Area,
    AreaLevel,
    DisclosureOffice,
    InternalUnit,
    Membership,
)
from gongkai.orgs.roles import GRANTABLE_BY_OFFICE_ADMIN, PLATFORM_ROLES, Perm, Role
from gongkai.orgs.signals import password_set
from gongkai.orgs.validation import check_username, normalise_agency_code

User = get_user_model()

AGENCY_FIELDS = ["name", "short_name", "code", "kind", "area", "parent", "description", "sort_order", "is_active"]
AGENCY_EDITABLE = {"name", "short_name", "description", "sort_order", "is_active"}
OFFICE_FIELDS = ["name", "address", "postcode", "hours", "phone", "fax", "email", "website"]
USER_FIELDS = ["username", "first_name", "email", "is_active"]


def area_create(*, actor, name: str, code: str, level: str, parent: Area | None = None) -> Area:
    access.require(actor, Perm.CREATE_AGENCY)
    name, code = (name or "").strip(), (code or "").strip()
    if not name:
        raise ServiceError("AREA_NAME_REQUIRED", "请填写区划名称。", field="name")
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ServiceError("AREA_CODE_INVALID", f"行政区划代码“{code}”应为6、9或12位数字。", field="code")
    if level not in AreaLevel.values:
        raise ServiceError("AREA_LEVEL_INVALID", f"未知的区划层级“{level}”。", field="level")
    if parent is not None and AREA_LEVEL_ORDER.index(level) != AREA_LEVEL_ORDER.index(parent.level) + 1:
        raise ServiceError("AREA_LEVEL_MISMATCH", f"“{parent.name}”的下级区划应为{_next_level_label(parent)}。", field="level")
    if Area.objects.filter(code=code).exists():
        raise ServiceError("AREA_CODE_DUPLICATE", f"行政区划代码“{code}”已存在。", field="code")
    with transaction.atomic():
        area = Area.objects.create(name=name, code=code, level=level, parent=parent)
        record(actor=actor, action=Action.CREATE, obj=area, after=snapshot(area, ["name", "code", "level", "parent"]))
    return area


def _next_level_label(parent: Area) -> str:
    index = AREA_LEVEL_ORDER.index(parent.level) + 1
    return AreaLevel(AREA_LEVEL_ORDER[index]).label if index < len(AREA_LEVEL_ORDER) else "（无）"


def agency_create(
    *, actor, name: str, code: str, kind: str, area: Area, parent: Agency | None = None,
    short_name: str = "", description: str = "", sort_order: int = 100, office: dict | None = None,
) -> Agency:
    access.require(actor, Perm.CREATE_AGENCY)
    name = (name or "").strip()
    if not name:
        raise ServiceError("AGENCY_NAME_REQUIRED", "请填写机构名称。", field="name")
    code = normalise_agency_code(code)
    if kind not in AgencyKind.values:
        raise ServiceError("AGENCY_KIND_INVALID", f"未知的机构类型“{kind}”。", field="kind")
    if Agency.objects.filter(code=code).exists():
        raise ServiceError("AGENCY_CODE_DUPLICATE", f"机构代码“{code}”已被其他机构使用。", field="code")
    if Agency.objects.filter(name=name).exists():
        raise ServiceError("AGENCY_NAME_DUPLICATE", f"机构名称“{name}”已存在。", field="name")
    try:
        with transaction.atomic():
            agency = Agency.objects.create(
                name=name, short_name=short_name.strip(), code=code, kind=kind, area=area, parent=parent,
                description=description, sort_order=sort_order, path="-",
            )
            agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
            agency.save(update_fields=["path"])
            office_row = DisclosureOffice.objects.create(agency=agency, **_clean_office(office or {}))
            for setup in settings.GONGKAI_AGENCY_SETUP:
                import_string(setup)(agency)
            after = snapshot(agency, AGENCY_FIELDS) | {"office": snapshot(office_row, OFFICE_FIELDS)}
            record(actor=actor, action=Action.CREATE, obj=agency, agency=agency, after=after)
    except IntegrityError as exc:  # a concurrent create won the race for the code or name
        raise ServiceError("AGENCY_CODE_DUPLICATE", f"机构代码“{code}”或名称“{name}”已存在。") from exc
    return agency


def _clean_office(values: dict) -> dict:
    unknown = set(values) - set(OFFICE_FIELDS)
    if unknown:
        raise ServiceError("OFFICE_FIELD_UNKNOWN", f"未知的工作机构字段：{'、'.join(sorted(unknown))}。")
    cleaned = {k: (v or "").strip() for k, v in values.items()}
    if cleaned.get("postcode") and not (cleaned["postcode"].isdigit() and len(cleaned["postcode"]) == 6):
        raise ServiceError("OFFICE_POSTCODE_INVALID", "邮政编码应为6位数字。", field="postcode")
    return cleaned


def agency_update(*, actor, agency: Agency, changes: dict | None = None, office: dict | None = None) -> Agency:
    """Edit an agency's descriptive fields and its disclosure office's contact data."""
    access.require(actor, Perm.EDIT_AGENCY, agency)
    changes = dict(changes or {})
    if "code" in changes and normalise_agency_code(changes["code"]) != agency.code:
        raise ServiceError("AGENCY_CODE_IMMUTABLE", "机构代码是索引号的组成部分，建立后不能修改。", field="code")
    changes.pop("code", None)
    if "is_active" in changes and bool(changes["is_active"]) != agency.is_active:
        # Taking an agency off the portal is a platform decision, not the agency's own.
        access.require(actor, Perm.CREATE_AGENCY)
    illegal = set(changes) - AGENCY_EDITABLE
    if illegal:
        raise ServiceError("AGENCY_FIELD_READONLY", f"以下字段不能在此修改：{'、'.join(sorted(illegal))}。")
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ServiceError("AGENCY_NAME_REQUIRED", "请填写机构名称。", field="name")
        if Agency.objects.filter(name=changes["name"]).exclude(pk=agency.pk).exists():
            raise ServiceError("AGENCY_NAME_DUPLICATE", f"机构名称“{changes['name']}”已存在。", field="name")
    office_changes = _clean_office(office or {})
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        office_row = DisclosureOffice.objects.select_for_update().get(agency=agency)
        before = snapshot(agency, AGENCY_FIELDS) | {"office": snapshot(office_row, OFFICE_FIELDS)}
        for field, value in changes.items():
            setattr(agency, field, value)
        for field, value in office_changes.items():
            setattr(office_row, field, value)
        try:
            agency.full_clean(exclude=["path", "area", "parent"], validate_unique=False)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise ServiceError("AGENCY_FIELD_INVALID", f"{Agency._meta.get_field(field).verbose_name}：{messages[0]}",
                               field=field) from exc
        agency.save()
        office_row.save()
        after = snapshot(agency, AGENCY_FIELDS) | {"office": snapshot(office_row, OFFICE_FIELDS)}
        if after != before:
            record(actor=actor, action=Action.AGENCY_UPDATE, obj=agency, agency=agency, before=before, after=after)
        if after["is_active"] != before["is_active"]:
            for hook in settings.GONGKAI_AGENCY_VISIBILITY_CHANGED:
                import_string(hook)(agency)
    return agency


def unit_create(*, actor, agency: Agency, name: str, phone: str = "") -> InternalUnit:
    access.require(actor, Perm.EDIT_AGENCY, agency)
    name = (name or "").strip()
    if not name:
        raise ServiceError("UNIT_NAME_REQUIRED", "请填写科室名称。", field="name")
    if InternalUnit.objects.filter(agency=agency, name=name).exists():
        raise ServiceError("UNIT_NAME_DUPLICATE", f"本机构已有名为“{name}”的科室。", field="name")
    with transaction.atomic():
        unit = InternalUnit.objects.create(agency=agency, name=name, phone=phone.strip())
        record(actor=actor, action=Action.CREATE, obj=unit, agency=agency, after=snapshot(unit, ["name", "phone"]))
    return unit


def unit_delete(*, actor, unit: InternalUnit) -> None:
    access.require(actor, Perm.EDIT_AGENCY, unit.agency)
    with transaction.atomic():
        before = snapshot(unit, ["name", "phone"])
        record(actor=actor, action=Action.DELETE, obj=unit, agency=unit.agency, before=before)
        unit.delete()


def user_create(
    *, actor, agency: Agency | None, username: str, full_name: str, password: str,
    email: str = "", roles: list[str] | tuple = (),
) -> User:
    """Create a staff account and grant its first roles in ``agency`` (one audit row per grant)."""
    if agency is None:
        access.require(actor, Perm.CREATE_AGENCY)
    else:
        access.require(actor, Perm.MANAGE_PEOPLE, agency)
    username = check_username(username)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ServiceError("USER_NAME_REQUIRED", "请填写姓名。", field="full_name")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError("USERNAME_TAKEN", f"用户名“{username}”已被使用。", field="username")
    candidate = User(username=username, first_name=full_name, email=(email or "").strip())
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ServiceError("PASSWORD_WEAK", "密码不符合要求：" + "；".join(exc.messages), field="password") from exc
    for role in roles:
        _check_grantable(actor, None, agency, role)
    try:
        with transaction.atomic():
            return _save_new_user(actor, agency, candidate, password, roles)
    except IntegrityError as exc:  # a concurrent request took the same username
        raise ServiceError("USERNAME_TAKEN", f"用户名“{username}”已被使用。", field="username") from exc


def _save_new_user(actor, agency, candidate, password, roles):
    candidate.set_password(password)
    candidate.save()
    password_set.send(sender=type(candidate), user=candidate, by=actor)
    record(actor=actor, action=Action.CREATE, obj=candidate, agency=agency, after=snapshot(candidate, USER_FIELDS))
    for role in roles:
        _grant(actor, candidate, agency, role)
    return candidate


def _check_grantable(actor, user, agency: Agency | None, role: str) -> None:
    """``user`` is None for an account being created."""
    if role not in Role.values:
        raise ServiceError("ROLE_UNKNOWN", f"未知的角色“{role}”。", field="role")
    if actor is not None and user is not None and user.pk == actor.pk:
        # Nobody widens their own rights; another administrator's grant leaves a second name in the trail.
        raise PermissionDeniedError("不能给自己授予角色，请由其他管理员操作。")
    label = Role(role).label
    if role in PLATFORM_ROLES:
        if agency is not None:
            raise ServiceError("ROLE_SCOPE_INVALID", f"{label}角色不属于某个机构。", field="role")
        if not access.can(actor, Perm.GRANT_ROLES):
            raise PermissionDeniedError(f"只有安全管理员可以授予{label}角色。")
        held = Membership.objects.filter(user=user, role__in=PLATFORM_ROLES).first() if user is not None else None
        if held is not None and held.role != role:
            # 三权分立: 系统管理员, 审计管理员 and 安全管理员 are three different people.
            raise ServiceError("ROLE_DUTIES_SEPARATED",
                               f"三权分立：{user.username} 已是{held.get_role_display()}，不能再担任{label}。", field="role")
        return
    if agency is None:
        raise ServiceError("ROLE_AGENCY_REQUIRED", "请选择授予角色的机构。", field="agency")
    if role not in GRANTABLE_BY_OFFICE_ADMIN and not access.can(actor, Perm.GRANT_ROLES):
        raise PermissionDeniedError(f"“{label}”角色只能由安全管理员授予。")


def _require_role_admin(actor, agency: Agency | None) -> None:
    """Platform roles are the security administrator's to give; agency roles also the agency's
    people managers' (工作机构管理员, and the 系统管理员 who manages people)."""
    if agency is None or access.can(actor, Perm.GRANT_ROLES):
        if not access.can(actor, Perm.GRANT_ROLES):
            raise PermissionDeniedError("只有安全管理员可以授予和撤销平台角色（系统管理员、审计管理员、安全管理员）。")
    else:
        access.require(actor, Perm.MANAGE_PEOPLE, agency)


def _grant(actor, user, agency, role) -> Membership:
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    record(
        actor=actor, action=Action.ROLE_GRANT, obj=user, agency=agency,
        before=None, after={"role": role, "agency": agency.pk if agency else None},
    )
    access.forget_cached_roles(user)
    return membership


def role_grant(*, actor, user, agency: Agency | None, role: str) -> Membership:
    _require_role_admin(actor, agency)
    _check_grantable(actor, user, agency, role)
    if Membership.objects.filter(user=user, agency=agency, role=role).exists():
        raise ServiceError("ROLE_ALREADY_HELD", f"{user.username} 已拥有该角色。", field="role")
    try:
        with transaction.atomic():
            return _grant(actor, user, agency, role)
    except IntegrityError as exc:
        raise ServiceError("ROLE_ALREADY_HELD", f"{user.username} 已拥有该角色。", field="role") from exc


def role_revoke(*, actor, membership: Membership) -> None:
    agency = membership.agency
    _require_role_admin(actor, agency)
    if membership.role not in GRANTABLE_BY_OFFICE_ADMIN and not access.can(actor, Perm.GRANT_ROLES):
        raise PermissionDeniedError(f"“{membership.get_role_display()}”角色只能由安全管理员撤销。")
    if actor is not None and membership.user_id == actor.pk and membership.role in {Role.OFFICE_ADMIN} | PLATFORM_ROLES:
        # Prevents locking an agency (or the platform) out of its own administration by accident.
        raise ServiceError("ROLE_REVOKE_SELF", "不能撤销自己的管理员角色，请由其他管理员操作。")
    with transaction.atomic():
        record(
            actor=actor, action=Action.ROLE_REVOKE, obj=membership.user, agency=agency,
            before={"role": membership.role, "agency": agency.pk if agency else None}, after=None,
        )
        membership.delete()
        access.forget_cached_roles(membership.user)


def can_manage_user(actor, user) -> bool:
    """An office admin manages a person only if every agency the person works in is theirs."""
    if access.is_system_admin(actor):
        return True
    agencies = [m.agency for m in user.memberships.select_related("agency")]
    if not agencies or any(a is None for a in agencies):
        return False
    return all(access.can(actor, Perm.MANAGE_PEOPLE, a) for a in agencies)


def user_set_active(*, actor, user, active: bool, agency: Agency | None = None) -> None:
    if not can_manage_user(actor, user):
        raise PermissionDeniedError("该人员还在您不管理的机构任职，请联系系统管理员。")
    if actor is not None and user.pk == actor.pk and not active:
        raise ServiceError("USER_DEACTIVATE_SELF", "不能停用自己的账号。")
    if user.is_active == active:
        return
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=actor, action=Action.ACTIVATE if active else Action.DEACTIVATE, obj=user, agency=agency,
            before=before, after=snapshot(user, USER_FIELDS),
        )


def user_set_password(*, actor, user, password: str, agency: Agency | None = None) -> None:
    if not (actor is not None and actor.pk == user.pk) and not can_manage_user(actor, user):
        raise PermissionDeniedError("该人员还在您不管理的机构任职，请联系系统管理员。")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("PASSWORD_WEAK", "密码不符合要求：" + "；".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        password_set.send(sender=type(user), user=user, by=actor)
        # The hash itself never goes into the audit log.
        record(actor=actor, action=Action.PASSWORD_SET, obj=user, agency=agency, before=None, after=None)
