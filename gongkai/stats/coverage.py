"""Which agencies a statistic covers, and whether the person asking may see every one of them.

A person sees the figures of an agency whose work they may view (Perm.VIEW_WORK, as on every
other workspace page). Figures for an area — an agency plus everything below it — and the
ranking of subordinate agencies need that right on every agency counted: in practice a 监督 role
held at or above the agency, or a system administrator (orgs/access.py).
"""

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.orgs.tree import in_tree_order

HIDDEN_NAMED = 5  # agencies named in a refusal; a county has dozens


def find_agency(actor, code: str) -> Agency:
    """The agency with this 机构代码 among those the actor may open; AGENCY_NOT_FOUND otherwise."""
    # Unknown and invisible look the same, so nobody learns which agencies exist (as `gongkai agency`).
    normalised = (code or "").replace("-", "").strip().upper()
    agency = access.agencies_visible_to(actor).filter(code=normalised).first() if normalised else None
    if agency is None:
        raise ServiceError("AGENCY_NOT_FOUND", f"找不到机构代码“{code}”，或您无权查看该机构。", field="agency")
    access.require(actor, Perm.VIEW_WORK, agency)
    return agency


def subordinates(agency: Agency) -> list[Agency]:
    """Every agency below ``agency`` in the tree (not the agency itself), by position in the tree."""
    return in_tree_order(Agency.objects.filter(path__startswith=agency.path).exclude(pk=agency.pk))


def require_all_visible(actor, agencies: list[Agency], *, purpose: str) -> None:
    hidden = [a.name for a in agencies if not access.can(actor, Perm.VIEW_WORK, a)]
    if hidden:
        named = "、".join(hidden[:HIDDEN_NAMED]) + (f"等{len(hidden)}个机关" if len(hidden) > HIDDEN_NAMED else "")
        raise PermissionDeniedError(f"{purpose}需要能查看每个下级机关的工作（监督角色），您无权查看：{named}。")


def agencies_covered(actor, agency: Agency, *, include_subordinates: bool) -> list[Agency]:
    """The agency alone, or with include_subordinates the agency and everything below it."""
    if not include_subordinates:
        return [agency]
    below = subordinates(agency)
    require_all_visible(actor, below, purpose="汇总下级机关的统计")
    return [agency, *below]
