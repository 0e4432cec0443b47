"""Who may see and do what, in one place.

Staff see and change only their own agency's records; a 监督 role reaches the agencies below
the one it is held in; the platform roles (系统管理员, 审计管理员, 安全管理员) reach every agency,
each with its own permissions only (三权分立, roles.py). Views and services both ask here.
"""

from django.db.models import Q

from gongkai.orgs.models import Agency, Membership
from gongkai.orgs.roles import PLATFORM_ROLES, ROLE_PERMS, TREE_ROLES, Perm, Role


def is_system_admin(user) -> bool:
    if user is None:  # the command line acts as the operator of the installation
        return True
    return Role.SYSTEM_ADMIN in platform_roles(user)


def platform_roles(user) -> set[str]:
    """The platform roles (held without an agency) of a signed-in, active person."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return _memberships(user).get(None, set()) & PLATFORM_ROLES


def reaches_every_agency(user) -> bool:
    """The command line and the holders of a platform role see every agency (each acting only
    within its role's permissions)."""
    return user is None or bool(platform_roles(user))


def _memberships(user) -> dict:
    """{agency_id or None: {roles}} cached on the user object for the request."""
    cached = getattr(user, "_gongkai_memberships", None)
    if cached is None:
        cached = {}
        for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
            cached.setdefault(agency_id, set()).add(role)
        user._gongkai_memberships = cached
    return cached


def forget_cached_roles(user) -> None:
    for name in ("_gongkai_memberships", "_gongkai_visible"):
        if user is not None and hasattr(user, name):
            delattr(user, name)


def roles_in(user, agency: Agency) -> set[str]:
    """Roles that apply to ``agency``: held there, or a tree role held at an ancestor."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    held = _memberships(user)
    roles = set(held.get(agency.pk, set()))
    ancestor_ids = [int(p) for p in agency.path.strip("/").split("/")[:-1] if p]
    for ancestor_id in ancestor_ids:
        roles |= held.get(ancestor_id, set()) & TREE_ROLES
    return roles


def can(user, perm: str, agency: Agency | None = None) -> bool:
    if user is None:
        return True
    if any(perm in ROLE_PERMS[role] for role in platform_roles(user)):
        return True
    if agency is None:
        return False
    return any(perm in ROLE_PERMS[role] for role in roles_in(user, agency))


def agencies_visible_to(user):
    """Agencies whose staff-side pages ``user`` may open."""
    if reaches_every_agency(user):
        return Agency.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    return Agency.objects.filter(_visible_condition(user))


def _visible_condition(user) -> Q:
    """The agencies a person's memberships reach, as a filter; cached on the user object for the
    request like the memberships (a workspace page asks twice: the agency in its URL, the switcher)."""
    cached = getattr(user, "_gongkai_visible", None)
    if cached is None:
        held = _memberships(user)
        condition = Q(pk__in=[agency_id for agency_id in held if agency_id is not None])
        tree_root_ids = [a for a, roles in held.items() if a is not None and roles & TREE_ROLES]
        if tree_root_ids:  # most people hold no tree role: no query for their roots
            for path in Agency.objects.filter(pk__in=tree_root_ids).values_list("path", flat=True):
                condition |= Q(path__startswith=path)
        cached = user._gongkai_visible = condition
    return cached


def agencies_where(user, perm: str):
    """Agencies in which ``user`` holds ``perm`` (for pickers and lists)."""
    visible = agencies_visible_to(user)
    return [agency for agency in visible if can(user, perm, agency)]


def home_agencies(user):
    """Agencies a person works in directly: the choices of the agency switcher."""
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    ids = [a for a in _memberships(user) if a is not None]
    if reaches_every_agency(user) and not ids:
        return Agency.objects.filter(parent__isnull=True)
    return Agency.objects.filter(pk__in=ids)


def require(user, perm: str, agency: Agency | None = None) -> None:
    from gongkai.errors import PermissionDeniedError

    if not can(user, perm, agency):
        label = Perm(perm).label
        raise PermissionDeniedError(f"您没有“{label}”的权限。")
