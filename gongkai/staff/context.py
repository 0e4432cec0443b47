from gongkai.orgs import access
from gongkai.orgs.roles import Perm, Role


def workspace(request, agency, *, section: str, **extra) -> dict:
    """Context every workspace page needs: the agency, the switcher, what the nav may show."""
    user = request.user
    return {
        "agency": agency,
        "section": section,
        "switch_choices": list(access.agencies_visible_to(user).order_by("path").only("pk", "name", "code", "path")),
        "my_roles": sorted(Role(r).label for r in access.roles_in(user, agency)) if agency else [],
        "is_system_admin": access.is_system_admin(user),
        "may": {
            perm.name.lower(): access.can(user, perm, agency) for perm in Perm
        } if agency else {},
        **extra,
    }
