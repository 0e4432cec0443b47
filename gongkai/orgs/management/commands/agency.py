from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import Agency, Area
from gongkai.orgs.roles import Perm
from gongkai.orgs.tree import in_tree_order


def agency_dict(agency: Agency) -> dict:
    office = agency.office
    return {
        "code": agency.code, "name": agency.name, "kind": agency.kind, "area": agency.area.code,
        "parent": agency.parent.code if agency.parent_id else None, "active": agency.is_active,
        "office": {"name": office.name, "address": office.address, "hours": office.hours, "phone": office.phone,
                   "email": office.email},
    }


class Command(GongkaiCommand):
    help = "查看或新建机构。gongkai agency list|show CODE|create --code ... [--as 用户名] [--json]"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "show", "create"])
        parser.add_argument("code", nargs="?", help="机构代码（show）")
        parser.add_argument("--code", dest="new_code", help="新机构代码（create）")
        parser.add_argument("--name")
        parser.add_argument("--kind", default="department", help="government | department | dispatched")
        parser.add_argument("--area", help="行政区划代码")
        parser.add_argument("--parent", help="上级机关的机构代码")

    def handle(self, *args, action, code, acting_as, json, **options):
        actor = self.actor(acting_as)
        visible = access.agencies_visible_to(actor).select_related("area", "parent", "office")
        if action == "list":
            rows = [agency_dict(a) for a in in_tree_order(visible)]
            if json:
                self.emit(rows)
            else:
                for row in rows:
                    self.stdout.write(f"{row['code']}  {row['name']}")
            return
        if action == "show":
            agency = self._find(visible, code)
            if json:
                self.emit(agency_dict(agency))
            else:
                for key, value in agency_dict(agency).items():
                    self.stdout.write(f"{key}: {value}")
            return
        access.require(actor, Perm.CREATE_AGENCY)
        area = Area.objects.filter(code=(options["area"] or "").strip()).first()
        if area is None:
            raise ServiceError("AREA_NOT_FOUND", f"找不到行政区划代码“{options['area']}”。", field="area")
        parent = self._find(Agency.objects.all(), options["parent"]) if options["parent"] else None
        agency = services.agency_create(actor=actor, name=options["name"] or "", code=options["new_code"] or "",
                                        kind=options["kind"], area=area, parent=parent)
        if json:
            self.emit(agency_dict(agency))
        else:
            self.stdout.write(f"已新建机构 {agency.code} {agency.name}")

    def _find(self, queryset, code):
        # Unknown and invisible look the same, so the CLI does not reveal which agencies exist.
        agency = queryset.filter(code=(code or "").replace("-", "").upper()).first()
        if agency is None:
            raise ServiceError("AGENCY_NOT_FOUND", f"找不到机构代码“{code}”，或您无权查看该机构。", field="code")
        return agency
