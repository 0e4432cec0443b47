from gongkai.orgs import access
from gongkai.orgs.roles import Perm, Role
from gongkai.orgs.tree import in_tree_order


def workspace(request, agency, *, section: str, **extra) -> dict:
    """Context every workspace page needs: the agency, the switcher, what the nav may show."""
    user = request.user
    return {
        "agency": agency,
        "section": section,
        "switch_choices": in_tree_order(access.agencies_visible_to(user).only("pk", "name", "code", "path", "parent_id",
                                                                             "sort_order")),
        "my_roles": sorted(Role(r).label for r in access.roles_in(user, agency)) if agency else [],
        "is_system_admin": access.is_system_admin(user),
        "may": {
            perm.name.lower(): access.can(user, perm, agency) for perm in Perm
        } if agency else {},
        **extra,
    }
